// The browser client follows a MOVE_TO_HUB answer: hub A carries its limit
// (MAX_SITES_PER_HUB=1, the chair), so a room opening the meeting on A's page
// is pointed at hub B; the page shows it is moving, reconnects its signaling
// to B with the same token and is online there, in the same page. When B
// then stops, the page finds its way back through its own address.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import {
  chromiumAvailable,
  DEMO,
  ensureClientBuilt,
  launchChromium,
  login,
  newPage,
  openChairConsole,
  readRecorder,
  startRecorder,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { fixedHttpPort, redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing =
  redisMissing() ?? postgresMissing() ?? (chromiumAvailable() ? null : 'Chromium is not installed (/usr/bin/chromium)');
reportSkip('the client moving between hubs (test/cluster/placementBrowser.test.ts)', missing);

const SECRET = 'a-secret-every-hub-of-the-deployment-shares-0123456789';

/** PostgreSQL, Redis and hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

describe.skipIf(missing)('the client pointed at another hub', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let a: Hub;
  let b: Hub;
  let browser: Browser;

  beforeAll(async () => {
    ensureClientBuilt();
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const databaseUrl = await postgres.createDatabase('moving');
    const env = (hubId: string) => ({
      REDIS_URL: redis.url(),
      DATABASE_URL: databaseUrl,
      HUB_ID: hubId,
      HUB_SECRET: SECRET,
      DEMO_DATA: 'true',
      MEDIASOUP_WORKERS: '1',
    });
    // A's address is fixed: B lets A's pages open sockets to it (ALLOWED_ORIGINS).
    const portA = fixedHttpPort();
    a = await startTestHub({ ...env('hub-a'), PORT: String(portA), MAX_SITES_PER_HUB: '1' }, 0);
    b = await startTestHub({ ...env('hub-b'), ALLOWED_ORIGINS: `http://127.0.0.1:${portA}` }, 1);
    browser = await launchChromium();
  }, STARTUP_MS);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await a?.close();
    await b?.close();
    postgres?.stop();
    await redis?.stop();
  });

  it('shows it is moving and comes online on the hub it was pointed at', { timeout: 120_000 }, async () => {
    const { page: chair } = await newPage(browser, { label: 'chair' });
    await openChairConsole(chair, a.url, DEMO.chair, DEMO.meetingId);
    await chair.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });

    // A's pages may connect to the hubs A knows of (their Content-Security-Policy names them).
    await waitFor('hub A knowing hub B', async () => a.directory?.otherUrls().includes(b.url));
    const room = DEMO.rooms[0];
    const { page: site } = await newPage(browser, { label: 'site' });
    await login(site, a.url, room);
    const card = site.locator(`li[data-meeting-id="${DEMO.meetingId}"]`);
    const accept = card.getByRole('button', { name: 'Nhận', exact: true });
    if (await accept.isVisible()) await accept.click();
    await card.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
    const join = site.getByRole('button', { name: 'Vào cuộc họp' });
    await waitFor('the join button enabled', () => join.isEnabled());
    // Sampled often: the move takes a moment only.
    await startRecorder(site, 'conn', { selector: '[data-testid=conn-state]', attribute: 'data-state' }, 10);
    await join.click();
    await site.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });

    await waitFor(
      'the site on hub B',
      async () => b.meetings.get(DEMO.meetingId)?.sites.get(room.roomId)?.remote === false,
    );
    // Hub A may list it (the meeting spans both hubs: its chair's board shows B's sites), but as another hub's.
    expect(a.meetings.get(DEMO.meetingId)?.sites.get(room.roomId)?.remote ?? true).toBe(true);
    const states = (await readRecorder(site, 'conn')).map((s) => s.value);
    expect(states).toContain('moving');
    expect(states.at(-1)).toBe('online');
    expect(site.url()).toContain(a.url);

    // Hub B stops: after a few tries at B's own address, the page goes back to its own (A's) and rejoins there.
    await b.close();
    await waitFor('the site back on hub A', async () => a.meetings.get(DEMO.meetingId)?.sites.has(room.roomId), 30_000);
    await site.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 20_000 });
  });
});
