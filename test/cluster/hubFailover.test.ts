// Two hubs of one deployment (Redis, PostgreSQL) behind a load balancer
// (haproxy), each a separate process in its own network namespace: the chair
// and sites join from Chromium through the balancer, then hub B is killed
// (SIGKILL). Its sites' pages reconnect by themselves through the balancer,
// land on hub A (their resume is unknown there: a fresh join with the same
// page and a fresh token) and receive the chair's media again within 10 s; the
// sites on A are not disturbed; the schedule and attendance are intact in
// PostgreSQL: B's intervals closed at its last sign of life by A, new ones
// open on A. Namespaces need root: elsewhere the hubs listen on 127.0.0.2 and
// 127.0.0.3 instead (printed). Skipped only when redis-server, PostgreSQL,
// haproxy or Chromium cannot start.

import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import {
  chromiumAvailable,
  DEMO,
  ensureClientBuilt,
  inboundBytes,
  joinAsRoom,
  launchChromium,
  newPage,
  openChairConsole,
  waitFor,
} from '../helpers/browser.ts';
import { haproxyMissing, startHaproxy, type TestHaproxy } from '../helpers/haproxy.ts';
import { type HubProcess, startHubProcess } from '../helpers/hubProcess.ts';
import { createSiteNetns, hostForwarding, netnsUnavailable, type SiteNetns } from '../helpers/netns.ts';
import { fixedHttpPort, redisPort, rtcPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';
import { startTcpRelay, type TcpRelay } from '../helpers/tcpRelay.ts';

const missing =
  redisMissing() ??
  postgresMissing() ??
  haproxyMissing() ??
  (chromiumAvailable() ? null : 'Chromium is not installed (/usr/bin/chromium)');
reportSkip('hub failover (test/cluster/hubFailover.test.ts)', missing);

const SECRET = 'the-secret-every-hub-of-this-deployment-shares-0123456789';
const MEDIA_BACK_MS = 10_000;
const SITES = [DEMO.rooms[0], DEMO.rooms[1]];

/** Where one hub listens and how it reaches Redis and PostgreSQL (through this host when in a namespace). */
interface HubPlace {
  id: string;
  address: string;
  /** This host as the hub sees it. */
  hostAddress: string;
  netns?: SiteNetns;
}

function places(): { a: HubPlace; b: HubPlace; note: string } {
  const why = netnsUnavailable();
  if (why) {
    return {
      a: { id: 'hub-a', address: '127.0.0.2', hostAddress: '127.0.0.1' },
      b: { id: 'hub-b', address: '127.0.0.3', hostAddress: '127.0.0.1' },
      note: `no network namespaces (${why}): hubs on 127.0.0.2 and 127.0.0.3`,
    };
  }
  const slot = Number(process.env.VITEST_POOL_ID ?? '1') + 4 * Number(process.env.TEST_PORT_SLOT ?? '0');
  const subnet = 200 + ((2 * slot) % 54);
  const [na, nb] = [createSiteNetns(subnet), createSiteNetns(subnet + 1)];
  return {
    a: { id: 'hub-a', address: na.siteIp, hostAddress: na.hostIp, netns: na },
    b: { id: 'hub-b', address: nb.siteIp, hostAddress: nb.hostIp, netns: nb },
    note: `hubs in network namespaces ${na.name} (${na.siteIp}) and ${nb.name} (${nb.siteIp})`,
  };
}

interface Interval {
  roomId: string;
  hubId: string | null;
  joinedAt: Date;
  leftAt: Date | null;
}

/** PostgreSQL, Redis and hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

describe.skipIf(missing)('a hub of two dies', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let databaseUrl: string;
  let relay: TcpRelay;
  let a: HubPlace;
  let b: HubPlace;
  let restoreForwarding = () => {};
  const hubs: HubProcess[] = [];
  let balancer: TestHaproxy;
  let browser: Browser;
  const port = fixedHttpPort();

  function startHub(place: HubPlace, rtcBlock: number): Promise<HubProcess> {
    const rtc = rtcPortBlock(rtcBlock);
    const env = {
      HOST: place.address,
      PORT: String(port),
      // Its own self-signed certificate: the balancer holds the one browsers see.
      HTTPS: 'true',
      DEMO_DATA: 'true',
      // Demo accounts on a test's private addresses only.
      FORCE_DEMO_DATA_ON_NETWORK: 'true',
      MEDIASOUP_WORKERS: '1',
      RTC_PORT_BASE: String(rtc.base),
      RTC_TRANSPORT_PORT_MIN: String(rtc.transportMin),
      RTC_TRANSPORT_PORT_MAX: String(rtc.transportMax),
      RTC_LISTEN_IP: place.address,
      RTC_ANNOUNCED_ADDRESS: place.address,
      REDIS_URL: redis.url(place.hostAddress),
      DATABASE_URL: databaseUrl.replace('127.0.0.1', place.hostAddress).replace(/:\d+\//, `:${relay.port}/`),
      HUB_ID: place.id,
      HUB_SECRET: SECRET,
      HUB_TTL_SECONDS: '3',
    };
    return startHubProcess(env, place.netns?.name).then((hub) => {
      hubs.push(hub);
      return hub;
    });
  }

  async function intervals(): Promise<Interval[]> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<Interval>(
        `SELECT a."roomId", i."hubId", i."joinedAt", i."leftAt" FROM "AttendanceInterval" i
         JOIN "Attendance" a ON a.id = i."attendanceId" WHERE a."meetingId" = $1 ORDER BY i."joinedAt"`,
        [DEMO.meetingId],
      );
      return rows;
    } finally {
      await client.end();
    }
  }

  async function meetingRow(): Promise<{ status: string; title: string; invited: number }> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; title: string; invited: number }>(
        `SELECT m.status, m.title, (SELECT count(*)::int FROM "Attendance" WHERE "meetingId" = m.id) AS invited
         FROM "Meeting" m WHERE m.id = $1`,
        [DEMO.meetingId],
      );
      return rows[0] as { status: string; title: string; invited: number };
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    ensureClientBuilt();
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    databaseUrl = await postgres.createDatabase('failover');
    // PostgreSQL trusts loopback only: hubs in namespaces come through a relay on this host.
    const pgPort = Number(new URL(databaseUrl).port);
    relay = await startTcpRelay({ host: '127.0.0.1', port: pgPort });
    const placed = places();
    ({ a, b } = placed);
    console.log(`[hubFailover] ${placed.note}`);
    if (a.netns) restoreForwarding = hostForwarding();
    browser = await launchChromium();
  }, STARTUP_MS);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await balancer?.stop();
    for (const hub of hubs) await hub.stop();
    await relay?.close();
    postgres?.stop();
    await redis?.stop();
    a?.netns?.destroy();
    b?.netns?.destroy();
    restoreForwarding();
  });

  async function online(page: Page): Promise<void> {
    await page.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });
  }

  async function receiving(page: Page, timeoutMs: number, what: string): Promise<void> {
    let before = await inboundBytes(page);
    await waitFor(
      what,
      async () => {
        const now = await inboundBytes(page);
        // A rejoin's new transports count from zero (the old ones, on the dead hub, are gone from the stats).
        if (now.video < before.video || now.audio < before.audio) before = { video: 0, audio: 0 };
        return now.video > before.video + 5_000 && now.audio > before.audio + 500;
      },
      timeoutMs,
      100,
    );
  }

  it('its sites rejoin on the other hub and get the chair’s media back within 10 s; attendance is intact', {
    timeout: 240_000,
  }, async () => {
    // What went wrong on the hubs' side, when something did.
    onTestFailed(() => {
      for (const hub of hubs) {
        const problems = hub
          .output()
          .split('\n')
          .filter((line) => /"level":(40|50|60)/.test(line));
        console.log(`[hubFailover] ${hub.url} warnings and errors:\n${problems.slice(-30).join('\n')}`);
      }
    });
    // Hub A first (it migrates the empty database and loads the demo province), the balancer in front.
    await startHub(a, 0);
    balancer = await startHaproxy(port, [
      { name: a.id, host: a.address, port },
      { name: b.id, host: b.address, port },
    ]);
    // The chair while only A is up: the meeting's chair is on the hub that survives.
    const { page: chair } = await newPage(browser, { label: 'chair', ignoreHTTPSErrors: true });
    await openChairConsole(chair, balancer.url, DEMO.chair, DEMO.meetingId);
    await online(chair);

    const hubB = await startHub(b, 1);
    // The balancer's checks see B up (rise 2 × 500 ms).
    await new Promise((r) => setTimeout(r, 2500));
    const pages: Page[] = [];
    for (const [i, room] of SITES.entries()) {
      const { page } = await newPage(browser, { label: `site-${i}`, ignoreHTTPSErrors: true });
      await joinAsRoom(page, balancer.url, room, DEMO.meetingId);
      await online(page);
      pages.push(page);
    }
    const before = await intervals();
    const hubOf = (roomId: string) => before.find((i) => i.roomId === roomId && i.leftAt === null)?.hubId;
    expect(hubOf(DEMO.chairRoomId)).toBe('hub-a');
    const onB = SITES.filter((room) => hubOf(room.roomId) === 'hub-b');
    const onA = SITES.filter((room) => hubOf(room.roomId) === 'hub-a');
    expect(onB.length, 'the balancer put a site on hub B (leastconn)').toBeGreaterThan(0);
    expect(onA.length + onB.length).toBe(SITES.length);
    // Sites on A receive the chair (sites on B do once the meeting spans hubs: not this test's concern).
    for (const room of onA) await receiving(pages[SITES.indexOf(room)] as Page, 20_000, `${room.login} receiving`);
    const meetingBefore = await meetingRow();
    expect(meetingBefore.status).toBe('live');

    // ------------------------------------------------------------------ B dies
    const killedAt = Date.now();
    await hubB.kill();
    const recoveries = await Promise.all(
      onB.map(async (room) => {
        const page = pages[SITES.indexOf(room)] as Page;
        await page.locator('[data-testid=conn-state][data-state=reconnecting]').waitFor({ timeout: 5000 });
        await receiving(page, MEDIA_BACK_MS - (Date.now() - killedAt), `${room.login} receiving again after B died`);
        return Date.now() - killedAt;
      }),
    );
    console.log(`[hubFailover] B's sites receive the chair's media again ${recoveries.join(', ')} ms after the kill`);
    for (const page of pages) await online(page);

    // ------------------------------------------------------------------ the record
    await waitFor(
      'hub A closing hub B’s attendance',
      async () => (await intervals()).every((i) => i.hubId !== 'hub-b' || i.leftAt !== null),
      15_000,
    );
    const after = await intervals();
    for (const room of onB) {
      const mine = after.filter((i) => i.roomId === room.roomId);
      const onBInterval = mine.find((i) => i.hubId === 'hub-b');
      // Closed at B's last refresh: before it died.
      expect(onBInterval?.leftAt?.getTime()).toBeLessThanOrEqual(killedAt);
      expect(onBInterval?.leftAt?.getTime()).toBeGreaterThan(killedAt - 3000);
      const onAInterval = mine.find((i) => i.hubId === 'hub-a');
      expect(onAInterval?.joinedAt.getTime()).toBeGreaterThan(killedAt);
      expect(onAInterval?.leftAt).toBeNull();
    }
    // The chair and A's sites were not disturbed: still their one open interval from before.
    for (const roomId of [DEMO.chairRoomId, ...onA.map((r) => r.roomId)]) {
      const mine = after.filter((i) => i.roomId === roomId);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.leftAt).toBeNull();
    }
    const meetingAfter = await meetingRow();
    expect(meetingAfter).toEqual(meetingBefore);
  });
});
