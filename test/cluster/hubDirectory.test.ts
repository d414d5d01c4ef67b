// Two hubs of one deployment on a throwaway Redis and PostgreSQL: each is
// listed in the directory with its address and load, a clean stop leaves it
// at once, and a hub that falls silent (its Redis link cut, as in a crash) is
// cleaned up after by the survivor: its open attendance intervals are closed
// at its last refresh, the survivor's stay open; a hub restarting after a
// crash closes only its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBS_KEY, hubKey } from '../../hub/cluster/keys.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import { waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing = redisMissing() ?? postgresMissing();
reportSkip('hub directory on Redis (test/cluster/hubDirectory.test.ts)', missing);

const SECRET = 'a-secret-every-hub-of-the-deployment-shares-0123456789';
const MEETING = 'demo-live';
const ROOM_ON_A = 'hbx-h01-x01-r1';
const ROOM_ON_B = 'hbx-h01-x02-r1';
const ROOM_ELSEWHERE = 'hbx-h01-x03-r1';

/** PostgreSQL, Redis and hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

describe.skipIf(missing)('hub directory', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let a: Hub;
  let b: Hub;
  const env = (hubId: string, databaseUrl: string) => ({
    REDIS_URL: redis.url(),
    DATABASE_URL: databaseUrl,
    HUB_ID: hubId,
    HUB_SECRET: SECRET,
    HUB_TTL_SECONDS: '2',
    DEMO_DATA: 'true',
  });

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const databaseUrl = await postgres.createDatabase('directory');
    // One after the other: the first hub migrates and loads the demo province.
    a = await startTestHub(env('hub-a', databaseUrl), 0);
    b = await startTestHub({ ...env('hub-b', databaseUrl), HUB_URL: 'http://hub-b.example:8443' }, 1);
  }, STARTUP_MS);

  afterAll(async () => {
    await a?.close();
    // B's link comes back for its own clean stop (the adapter publishes its goodbye on it).
    await b?.redis?.pub.connect().catch(() => undefined);
    await b?.close();
    postgres?.stop();
    await redis?.stop();
  });

  it('lists every live hub with its address and load, on /api/health for operators', async () => {
    const hubs = (await a.directory?.liveHubs()) ?? [];
    expect(hubs.map((h) => h.id).sort()).toEqual(['hub-a', 'hub-b']);
    const hubB = hubs.find((h) => h.id === 'hub-b');
    expect(hubB).toMatchObject({ url: 'http://hub-b.example:8443', workers: 2, sites: 0, meetings: 0 });
    expect(hubs.find((h) => h.id === 'hub-a')?.url).toBe(a.url);
    const ttl = await a.redis?.pub.pttl(hubKey('hub-a'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);

    const health = await (await fetch(`${a.url}/api/health`)).json();
    expect(health.cluster.hubId).toBe('hub-a');
    expect(health.cluster.hubs.map((h: { id: string }) => h.id).sort()).toEqual(['hub-a', 'hub-b']);
    // The health page says it in words.
    const report = await (await fetch(`${a.url}/api/health/report`)).json();
    const line = report.checks.find((c: { key: string }) => c.key === 'hubs');
    expect(line).toMatchObject({ level: 'ok', state: { en: '2 hubs running — hub-a: 0 sites, hub-b: 0 sites.' } });
  });

  it('a hub restarting after a crash closes only the intervals it opened itself', async () => {
    const db = a.scheduler.db;
    const at = new Date();
    // The same site seen by both hubs (it moved): each hub's interval is its own.
    await a.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ELSEWHERE, event: 'joined', at });
    await b.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ELSEWHERE, event: 'joined', at });
    const crashedAt = new Date();
    // What hub-a does at its start after a crash (hub/Hub.ts), its last heartbeat being `crashedAt`.
    const closed = await a.scheduler.closeDanglingPresence(crashedAt, 'hub-a');
    expect(closed).toBe(1);
    const open = await db.attendanceInterval.findMany({
      where: { leftAt: null, attendance: { meetingId: MEETING, roomId: ROOM_ELSEWHERE } },
    });
    expect(open.map((i) => i.hubId)).toEqual(['hub-b']);
  });

  it('closes a silent hub’s open attendance at its last refresh, once, and leaves the survivor’s open', async () => {
    const db = a.scheduler.db;
    const t0 = new Date();
    await a.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ON_A, event: 'joined', at: t0 });
    await b.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ON_B, event: 'joined', at: t0 });
    const openOf = (roomId: string) =>
      db.attendanceInterval.findMany({ where: { attendance: { meetingId: MEETING, roomId } } });
    expect((await openOf(ROOM_ON_B))[0]?.hubId).toBe('hub-b');

    // B's link to Redis is cut: it can no longer refresh its registration, as if it had died.
    b.redis?.pub.disconnect();
    const cutAt = Date.now();
    // B itself carries on: what it broadcasts no longer crosses hubs, and nothing is left unhandled.
    await b.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ELSEWHERE, event: 'left', at: new Date() });
    // A site of B that already came back on A: its new interval is A's, B's stays for the cleanup.
    await a.scheduler.recordPresence({ meetingId: MEETING, roomId: ROOM_ON_B, event: 'joined', at: new Date() });
    expect((await openOf(ROOM_ON_B)).filter((i) => i.leftAt === null)).toHaveLength(2);

    await waitFor(
      'hub-a closes hub-b’s intervals',
      async () => (await openOf(ROOM_ON_B)).some((i) => i.hubId === 'hub-b' && i.leftAt !== null),
      8000,
    );
    const onB = await openOf(ROOM_ON_B);
    const closed = onB.find((i) => i.hubId === 'hub-b');
    // At B's last refresh: before its link was cut, not when A noticed.
    expect(closed?.leftAt?.getTime()).toBeLessThanOrEqual(cutAt);
    expect(closed?.leftAt?.getTime()).toBeGreaterThan(cutAt - 1000);
    expect(onB.find((i) => i.hubId === 'hub-a')?.leftAt).toBeNull();
    expect((await openOf(ROOM_ON_A))[0]?.leftAt).toBeNull();
    // Claimed: gone from the directory, so no hub cleans up after it a second time.
    expect(await a.redis?.pub.zscore(HUBS_KEY, 'hub-b')).toBeNull();
    expect((await a.directory?.liveHubs())?.map((h) => h.id)).toEqual(['hub-a']);
  });

  it('leaves the directory at once on a clean stop', async () => {
    const c = await startTestHub(env('hub-c', postgres.url('directory')), 2);
    expect((await a.directory?.liveHubs())?.map((h) => h.id).sort()).toEqual(['hub-a', 'hub-c']);
    await c.close();
    expect((await a.directory?.liveHubs())?.map((h) => h.id)).toEqual(['hub-a']);
    expect(await a.redis?.pub.zscore(HUBS_KEY, 'hub-c')).toBeNull();
  });
});
