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

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { postgresMissing } from '../../prisma/postgres/cluster.ts';
import { redisMissing } from '../../scripts/redisServer.ts';
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
import { type HubCluster, hubProblems, startHubCluster } from '../helpers/hubCluster.ts';
import type { HubProcess } from '../helpers/hubProcess.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing =
  redisMissing() ??
  postgresMissing() ??
  haproxyMissing() ??
  (chromiumAvailable() ? null : 'Chromium is not installed (/usr/bin/chromium)');
reportSkip('hub failover (test/cluster/hubFailover.test.ts)', missing);

const MEDIA_BACK_MS = 10_000;
const SITES = [DEMO.rooms[0], DEMO.rooms[1]];

/** PostgreSQL, Redis and hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

describe.skipIf(missing)('a hub of two dies', () => {
  let cluster: HubCluster;
  const hubs: HubProcess[] = [];
  let balancer: TestHaproxy;
  let browser: Browser;

  async function startHub(place: HubCluster['a'], rtcBlock: number): Promise<HubProcess> {
    const hub = await cluster.startHub(place, rtcBlock);
    hubs.push(hub);
    return hub;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    cluster = await startHubCluster('failover');
    console.log(`[hubFailover] ${cluster.note}`);
    browser = await launchChromium();
  }, STARTUP_MS);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await balancer?.stop();
    await cluster?.stop();
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
    onTestFailed(() => console.log(`[hubFailover] ${hubProblems(hubs)}`));
    const { a, b, port } = cluster;
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
    await cluster.acceptInvitations(SITES.map((room) => room.roomId));
    // The balancer's checks see B up (rise 2 × 500 ms).
    await new Promise((r) => setTimeout(r, 2500));
    const pages: Page[] = [];
    for (const [i, room] of SITES.entries()) {
      const { page } = await newPage(browser, { label: `site-${i}`, ignoreHTTPSErrors: true });
      await joinAsRoom(page, balancer.url, room, DEMO.meetingId);
      await online(page);
      pages.push(page);
    }
    const before = await cluster.intervals();
    const hubOf = (roomId: string) => before.find((i) => i.roomId === roomId && i.leftAt === null)?.hubId;
    expect(hubOf(DEMO.chairRoomId)).toBe('hub-a');
    const onB = SITES.filter((room) => hubOf(room.roomId) === 'hub-b');
    const onA = SITES.filter((room) => hubOf(room.roomId) === 'hub-a');
    expect(onB.length, 'the balancer put a site on hub B (leastconn)').toBeGreaterThan(0);
    expect(onA.length + onB.length).toBe(SITES.length);
    // Sites on A receive the chair (sites on B do once the meeting spans hubs: not this test's concern).
    for (const room of onA) await receiving(pages[SITES.indexOf(room)] as Page, 20_000, `${room.login} receiving`);
    const meetingBefore = await cluster.meetingRow();
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
      async () => (await cluster.intervals()).every((i) => i.hubId !== 'hub-b' || i.leftAt !== null),
      15_000,
    );
    const after = await cluster.intervals();
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
    const meetingAfter = await cluster.meetingRow();
    expect(meetingAfter).toEqual(meetingBefore);
  });
});
