// Placement across two hubs on Redis and PostgreSQL: a hub at
// MAX_SITES_PER_HUB answers a join with MOVE_TO_HUB naming a hub with room,
// and the same token is admitted there; the chair joining a hub that is not
// its meeting's home is pointed at the home; a site taking back media the hub
// keeps is never sent away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRedirectSchema } from '../../contract/hubRedirect.ts';
import { meetingHomeKey } from '../../hub/cluster/keys.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import { DEMO } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing = redisMissing() ?? postgresMissing();
reportSkip('placement across hubs (test/cluster/placement.test.ts)', missing);

const SECRET = 'a-secret-every-hub-of-the-deployment-shares-0123456789';
const MEETING = { meetingId: DEMO.meetingId, maxSites: 10 };

/** PostgreSQL, Redis and hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

describe.skipIf(missing)('placement across hubs', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let a: Hub;
  let b: Hub;
  const clients: SignalingClient[] = [];

  async function connect(hub: Hub): Promise<SignalingClient> {
    const client = new SignalingClient(hub.url);
    clients.push(client);
    await client.connected();
    return client;
  }

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const databaseUrl = await postgres.createDatabase('placement');
    const env = (hubId: string) => ({
      REDIS_URL: redis.url(),
      DATABASE_URL: databaseUrl,
      HUB_ID: hubId,
      HUB_SECRET: SECRET,
      DEMO_DATA: 'true',
    });
    a = await startTestHub({ ...env('hub-a'), MAX_SITES_PER_HUB: '1' }, 0);
    b = await startTestHub(env('hub-b'), 1);
  }, STARTUP_MS);

  afterAll(async () => {
    for (const client of clients) client.close();
    await a?.close();
    await b?.close();
    postgres?.stop();
    await redis?.stop();
  });

  it('a full hub sends a site to one with room; the same token is admitted there', async () => {
    const [first, second] = DEMO.rooms;
    const one = await connect(a);
    await one.ok('join', { token: await tokenFor(a, { ...MEETING, roomId: first.roomId }) });
    await one.ok('createTransport', { direction: 'recv' });
    // The directory's figures are a refresh old: what counts is the hub's own count.
    const token = await tokenFor(a, { ...MEETING, roomId: second.roomId });
    const refused = await (await connect(a)).request('join', { token });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('MOVE_TO_HUB');
    expect(refused.error.message).toContain('máy chủ khác');
    expect(hubRedirectSchema.parse(refused.error.details)).toEqual({ url: b.url, hubId: 'hub-b', reason: 'hub_full' });
    expect(a.meetings.get(DEMO.meetingId)?.sites.has(second.roomId)).toBe(false);

    const moved = await connect(b);
    const joined = await moved.ok('join', { token });
    expect(joined.self.id).toBe(second.roomId);
  });

  it('a site taking back its kept media is not sent away, even from a full hub', async () => {
    const [first] = DEMO.rooms;
    const site = a.meetings.get(DEMO.meetingId)?.sites.get(first.roomId);
    expect(site).toBeDefined();
    const again = await connect(a);
    // Its earlier connection drops; it comes back on a new one asking for its transports.
    clients[0]?.close();
    await new Promise((r) => setTimeout(r, 300));
    const token = await tokenFor(a, { ...MEETING, roomId: first.roomId });
    const transportIds = [...(site?.transports.keys() ?? [])];
    expect(transportIds).toHaveLength(1);
    const ack = await again.request('join', { token, resume: { transportIds } });
    expect(ack).toMatchObject({ ok: true, data: { resumed: true } });
  });

  it('the chair is pointed at its meeting’s home hub', async () => {
    await a.redis?.pub.set(meetingHomeKey(DEMO.meetingId), 'hub-a');
    const token = await tokenFor(b, { ...MEETING, roomId: DEMO.chairRoomId, role: 'chair' });
    const refused = await (await connect(b)).request('join', { token });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'MOVE_TO_HUB', details: { url: a.url, hubId: 'hub-a', reason: 'meeting_home' } },
    });
    // At home it is admitted, full as the hub is: the chair is never turned away for load.
    const chair = await connect(a);
    expect((await chair.ok('join', { token })).self.role).toBe('chair');
  });
});
