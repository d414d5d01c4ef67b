// A simulcast camera crosses a hub pipe at one layer, the highest its viewers
// on the other hub want (sfu/span/LayeredCrossing.ts): two real hubs in this
// process on one Redis and one PostgreSQL database, hub A the home (the chair
// and a1), hub B its edge (b1). The sites are Pion bots (bench/pion) sending a
// 3-layer VP8 simulcast camera with the browser's send policy and receiving
// what the browser receives. b1 shown only as a tile of the chair's mosaic
// crosses at the lowest layer; staged, at the top layer, its picture at a1
// growing to match; off the stage, at the lowest again; a1 receives it
// throughout. A key frame asked for on A reaches b1's camera on B through
// the pipe and the loopback.
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PionUnavailable, pionEngineBinary } from '../../bench/pion/build.ts';
import { PionFleet } from '../../bench/pion/PionFleet.ts';
import { BROWSER_LIKE_CAMERA, type PionBotConfig } from '../../bench/pion/types.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { applyPostgresMigrations } from '../../scheduler/postgresMigrations.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import type { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { SpanEdge } from '../../sfu/span/SpanEdge.ts';
import { SpanHome } from '../../sfu/span/SpanHome.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const MEETING = 'layers-across-hubs';

function pionMissing(): string | null {
  try {
    pionEngineBinary();
    return null;
  } catch (err) {
    if (!(err instanceof PionUnavailable)) throw err;
    return `the Go toolchain or Pion is not installed: ${err.message}`;
  }
}
const missing = redisMissing() ?? postgresMissing() ?? pionMissing();
reportSkip('cameras crossing hubs at one layer', missing);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a consumer sends now, in kbit/s, as its worker measures it. */
async function kbps(consumer: types.Consumer): Promise<number> {
  const stats = await consumer.getStats();
  const sent = stats.find((s) => s.type === 'outbound-rtp');
  return (sent?.bitrate ?? 0) / 1000;
}

describe.skipIf(missing !== null)('a camera crossing a hub pipe at the layer its viewers there want', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  const hubs: Hub[] = [];
  let bots: PionFleet | undefined;

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const database = await postgres.createDatabase('layers');
    await applyPostgresMigrations(database);
    for (const [slot, id] of ['hub-a', 'hub-b'].entries()) {
      hubs.push(await startTestHub({ REDIS_URL: redis.url(), DATABASE_URL: database, HUB_ID: id }, slot));
    }
    bots = await PionFleet.spawn(1);
  }, 90_000);

  afterAll(async () => {
    bots?.kill();
    for (const hub of [...hubs].reverse()) await hub.close();
    await redis?.stop();
    postgres?.stop();
  }, 30_000);

  async function bot(hub: Hub, label: string, chair = false): Promise<PionBotConfig> {
    const token = await tokenFor(hub, {
      meetingId: MEETING,
      roomId: label,
      displayName: label,
      role: chair ? 'chair' : 'site',
      maxSites: 10,
    });
    return {
      url: hub.url,
      token,
      label,
      sendAudio: true,
      sendVideo: chair ? null : BROWSER_LIKE_CAMERA,
      speaking: false,
      receive: true,
      mosaicPageSize: chair ? 12 : 0,
      browserSendPolicy: true,
      connectTimeoutMs: 8000,
      maxTransportAttempts: 3,
      requestTimeoutMs: 15_000,
    };
  }

  async function until(
    what: string,
    check: () => boolean | Promise<boolean>,
    timeoutMs = 15_000,
    seen: () => unknown = () => null,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen())}`);
      await pause(250);
    }
  }

  /** Video packets `label` receives within `ms`. */
  async function videoAt(label: string, ms: number): Promise<number> {
    const fleet = bots as PionFleet;
    const count = async () => (await fleet.snapshot()).received.find((r) => r.label === label)?.video ?? 0;
    const before = await count();
    await pause(ms);
    return (await count()) - before;
  }

  /** `siteId`'s consumer of `producerId` on `meeting`. */
  function consumerAt(meeting: MeetingRoom, siteId: string, producerId: string): types.Consumer {
    const found = [...(meeting.sites.get(siteId)?.consumers.values() ?? [])].find(
      (c) => !c.closed && c.producerId === producerId,
    );
    if (!found) throw new Error(`${siteId} does not consume ${producerId}`);
    return found;
  }

  it('crosses at the lowest layer for a tile, the top one for the stage, and back', { timeout: 120_000 }, async () => {
    const [hubA, hubB] = hubs as [Hub, Hub];
    const fleet = bots as PionFleet;
    fleet.start([await bot(hubA, 'chair', true)], 0);
    expect((await fleet.settled(1, 20_000)).joined).toBe(1);
    fleet.start([await bot(hubA, 'a1'), await bot(hubB, 'b1')], 0);
    expect(await fleet.settled(3, 40_000)).toMatchObject({ joined: 3, failed: 0 });
    const onA = hubA.meetings.get(MEETING);
    const onB = hubB.meetings.get(MEETING);
    const home = onA?.span;
    const edge = onB?.span;
    if (!onA || !onB || !(home instanceof SpanHome) || !(edge instanceof SpanEdge)) {
      throw new Error('the meeting is not homed on A with B its edge');
    }
    const camera = onB.sites.get('b1')?.producerFor('camera');
    if (!camera) throw new Error('b1 has no camera on B');
    const crossing = () => edge.sentUpBy(camera.id);
    const layerCrossing = () => crossing()?.currentLayers?.spatialLayer;
    const pipeUp = async () => ((await home.pipeBitrates())[0]?.up ?? 0) / 1000;

    // ------------------------------------------------------------ a tile of the chair's mosaic: the lowest layer
    await until('b1 crossing as a tile', () => crossing()?.paused === false && layerCrossing() === 0);
    expect(crossing()?.type).toBe('simulcast');
    await pause(3000); // the pipe's rate settles
    const asTile = await pipeUp();
    // One 150 kbit/s layer and b1's microphone, not the 500 kbit/s middle layer b1 sends as well.
    expect(asTile).toBeGreaterThan(80);
    expect(asTile).toBeLessThan(400);

    // ------------------------------------------------------------ staged: the top layer, bigger at a1
    onA.moderation.setStage('b1');
    await until('b1 crossing at the top layer', () => layerCrossing() === 2, 20_000);
    const a1View = consumerAt(onA, 'a1', camera.id);
    await until('the top layer at a1', async () => (await kbps(a1View)) > 900, 15_000);
    const staged = await pipeUp();
    expect(staged).toBeGreaterThan(900);
    console.log(`pipe up: ${Math.round(asTile)} kbit/s with b1 a mosaic tile, ${Math.round(staged)} kbit/s staged`);
    expect(await videoAt('a1', 1500)).toBeGreaterThan(50);

    // ------------------------------------------------------------ a key frame asked for on A reaches b1's camera
    const [before] = await camera.getStats();
    const pliBefore = before?.pliCount ?? 0;
    await consumerAt(onA, 'a1', camera.id).requestKeyFrame();
    await until(
      'a key frame asked of b1',
      async () => {
        const [now] = await camera.getStats();
        return (now?.pliCount ?? 0) > pliBefore;
      },
      5000,
    );

    // ------------------------------------------------------------ off the stage: the lowest layer again
    onA.moderation.setStage(null);
    await until('b1 crossing at the lowest layer again', () => layerCrossing() === 0, 20_000);
    await pause(3000);
    expect(await pipeUp()).toBeLessThan(400);
    // Still a tile of the chair's mosaic: its frames still reach the chair.
    expect(await videoAt('chair', 1500)).toBeGreaterThan(20);
  });
});
