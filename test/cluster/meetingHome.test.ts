// A meeting's home claim in a real redis-server (sfu/span/MeetingHome.ts):
// the first hub to claim wins and the others read its name; a hub cannot
// release another's claim; a claim nobody refreshes runs out and the next
// hub to claim becomes home; the holder keeps it alive while the meeting is open.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingHomeKey } from '../../hub/cluster/keys.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import { MeetingHome } from '../../sfu/span/MeetingHome.ts';
import { redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing = redisMissing();
reportSkip('meeting home claims', missing);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)('a meeting’s home hub', () => {
  let server: RedisServer;
  let redis: Redis;
  const homes: MeetingHome[] = [];
  const hub = (id: string, ttl = 2) => {
    const home = new MeetingHome(redis, id, ttl, meetingHomeKey);
    homes.push(home);
    return home;
  };

  beforeAll(async () => {
    server = await startRedis(redisPort());
    redis = new Redis(server.url());
  });

  afterAll(async () => {
    for (const home of homes) home.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('goes to the first hub to claim it; the others are its edges and cannot release it', async () => {
    const [a, b] = [hub('hub-a'), hub('hub-b')];
    const claims = await Promise.all([a.claim('m1'), b.claim('m1')]);
    const winners = claims.filter((c) => c.home);
    expect(winners).toHaveLength(1);
    const holder = await a.holder('m1');
    expect(claims.find((c) => !c.home)).toEqual({ home: false, hubId: holder });
    const loser = holder === 'hub-a' ? b : a;
    await loser.release('m1');
    expect(await a.holder('m1')).toBe(holder);
    // Claiming again changes nothing: the holder is home, the other an edge.
    expect(await (holder === 'hub-a' ? a : b).claim('m1')).toEqual({ home: true });
  });

  it('stays with its hub while it refreshes, and passes on when it stops', {
    timeout: 15_000,
  }, async () => {
    const [a, b] = [hub('hub-a'), hub('hub-b')];
    expect(await a.claim('m2')).toEqual({ home: true });
    // Twice the TTL: a's refresh keeps it.
    await pause(4200);
    expect(await b.claim('m2')).toEqual({ home: false, hubId: 'hub-a' });
    // a stops refreshing (its process died): the claim runs out, b takes it.
    a.close();
    await pause(2500);
    expect(await b.holder('m2')).toBeNull();
    expect(await b.claim('m2')).toEqual({ home: true });
    // a closing its meeting later does not take b's claim away.
    await a.release('m2');
    expect(await b.holder('m2')).toBe('hub-b');
  });
});
