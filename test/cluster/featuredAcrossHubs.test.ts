// Sites other than the chair shown across hubs (sfu/span/FeaturedSites.ts,
// HomeSites.ts): three real hubs in this process on one Redis and one
// PostgreSQL database, hub A the meeting's home (the chair and two sites),
// hubs B (two sites) and C (one site) its edges. A site of A the chair stages
// reaches B's and C's sites, its camera crossing once per edge however many
// of the edge's sites watch it, and stops crossing once off the stage; a
// presenting site of A shows its content on B and C; a site of B the chair
// stages reaches C's site through the home; the grid's sites reach C too.
// B's worker carrying its end of the pipe dies: B opens the meeting again on
// A over a new pipe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { applyPostgresMigrations } from '../../scheduler/postgresMigrations.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import type { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import { SpanHome } from '../../sfu/span/SpanHome.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';
import type { SpeakingBotConfig, SpeakingBotReport } from '../helpers/speakers/SpeakingBot.ts';
import { SpeakingFleet } from '../helpers/speakers/SpeakingFleet.ts';
import { BotFleet } from '../helpers/werift/BotFleet.ts';

const MEETING = 'featured-across-hubs';
const missing = redisMissing() ?? postgresMissing();
reportSkip('sites shown across hubs', missing);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const videoFrom = (r: Map<string, SpeakingBotReport>, at: string, from: string) => r.get(at)?.videoPackets[from] ?? 0;

describe.skipIf(missing !== null)('sites other than the chair shown across three hubs', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  const hubs: Hub[] = [];
  let chair: BotFleet | undefined;
  let sites: SpeakingFleet | undefined;

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const database = await postgres.createDatabase('featured');
    await applyPostgresMigrations(database);
    for (const [slot, id] of ['hub-a', 'hub-b', 'hub-c'].entries()) {
      hubs.push(await startTestHub({ REDIS_URL: redis.url(), DATABASE_URL: database, HUB_ID: id }, slot));
    }
    [chair, sites] = await Promise.all([BotFleet.spawn(1), SpeakingFleet.spawn(1)]);
  }, 90_000);

  afterAll(async () => {
    sites?.finish();
    chair?.kill();
    await pause(300);
    sites?.kill();
    for (const hub of [...hubs].reverse()) await hub.close();
    await redis?.stop();
    postgres?.stop();
  }, 30_000);

  async function site(hub: Hub, label: string, camera = false): Promise<SpeakingBotConfig> {
    const token = await tokenFor(hub, { meetingId: MEETING, roomId: label, displayName: label, maxSites: 10 });
    return { url: hub.url, token, label, requestTimeoutMs: 15_000, camera };
  }

  async function until(
    what: string,
    check: (reports: Map<string, SpeakingBotReport>) => boolean | Promise<boolean>,
    timeoutMs = 15_000,
  ): Promise<Map<string, SpeakingBotReport>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = await (sites as SpeakingFleet).reports();
      if (await check(reports)) return reports;
      if (Date.now() > deadline) {
        const seen = [...reports.values()].map((r) => ({
          label: r.label,
          video: r.videoPackets,
          consumers: r.consumers,
        }));
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen)}`);
      }
      await pause(250);
    }
  }

  /** Video packets from `from` that arrive at each of `at` within `ms`. */
  async function flowing(at: string[], from: string, ms: number): Promise<number[]> {
    const fleet = sites as SpeakingFleet;
    const before = await fleet.reports();
    await pause(ms);
    const after = await fleet.reports();
    return at.map((l) => videoFrom(after, l, from) - videoFrom(before, l, from));
  }

  /** The producer of `source` the site `siteId` has on `meeting`. */
  function producer(meeting: MeetingRoom, siteId: string, source: 'camera' | 'screen'): string {
    const found = meeting.sites.get(siteId)?.producerFor(source);
    if (!found) throw new Error(`${siteId} has no ${source} on this hub`);
    return found.id;
  }

  /** The consumers of `producerId` that `siteId`'s connection on `meeting` holds. */
  const consumersOf = (meeting: MeetingRoom, siteId: string, producerId: string) =>
    [...(meeting.sites.get(siteId)?.consumers.values() ?? [])].filter((c) => !c.closed && c.producerId === producerId)
      .length;

  it('pipes a staged or presenting site of the home down to each edge once, and a staged site of B to C', {
    timeout: 150_000,
  }, async () => {
    const [hubA, hubB, hubC] = hubs as [Hub, Hub, Hub];
    const fleet = sites as SpeakingFleet;
    const chairFleet = chair as BotFleet;
    chairFleet.start(
      [
        {
          url: hubA.url,
          label: 'chair',
          token: await tokenFor(hubA, {
            meetingId: MEETING,
            roomId: 'chair',
            role: 'chair',
            displayName: 'UBND tỉnh',
            maxSites: 10,
          }),
          sendAudio: true,
          sendVideo: { fps: 15, packetsPerFrame: 2, payloadBytes: 900, keyFrameEverySec: 1 },
          consumeChair: false,
          connectTimeoutMs: 6000,
          maxTransportAttempts: 4,
          requestTimeoutMs: 15_000,
        },
      ],
      0,
    );
    expect((await chairFleet.settled(1, 20_000)).joined).toBe(1);
    const labels = ['a1', 'a2', 'b1', 'b2', 'c1'];
    fleet.start([
      await site(hubA, 'a1', true),
      await site(hubA, 'a2'),
      await site(hubB, 'b1', true),
      await site(hubB, 'b2'),
      await site(hubC, 'c1'),
    ]);
    const joined = await fleet.joined(labels, 30_000);
    expect(labels.map((l) => joined.get(l)?.error ?? null)).toEqual(labels.map(() => null));
    const [onA, onB, onC] = hubs.map((hub) => hub.meetings.get(MEETING));
    if (!onA || !onB || !onC) throw new Error('the meeting is not open on every hub');
    const home = onA.span;
    if (!(home instanceof SpanHome)) throw new Error('A is not the home');
    expect([onB.span?.edge, onC.span?.edge]).toEqual([true, true]);
    await until('every hub to count every site', () =>
      [onA, onB, onC].every((meeting) => meeting.state().connectedSites === 6),
    );

    // ------------------------------------------------------------ a staged site of A, down to B and C once
    const a1Camera = producer(onA, 'a1', 'camera');
    // Nobody off A knows a1 yet: nothing of it crosses.
    expect(onB.sites.has('a1')).toBe(false);
    const none = { consumers: 0, crossing: false };
    const once = { consumers: 1, crossing: true };
    expect(await home.pipedDown(a1Camera)).toEqual({ 'hub-b': none, 'hub-c': none });
    onA.moderation.setStage('a1');
    await until("a1's camera at b1, b2 and c1", (r) => ['b1', 'b2', 'c1'].every((l) => videoFrom(r, l, 'a1') > 10));
    // Still flowing (10 frames a second), at every site of B and C.
    for (const packets of await flowing(['b1', 'b2', 'c1'], 'a1', 2000)) expect(packets).toBeGreaterThan(10);
    // Once per edge: one consumer on each edge's pipe, one producer on B that both of B's sites consume.
    expect(await home.pipedDown(a1Camera)).toEqual({ 'hub-b': once, 'hub-c': once });
    expect(onB.sites.get('a1')?.remote).toBe(true);
    expect(producer(onB, 'a1', 'camera')).toBe(a1Camera);
    expect([consumersOf(onB, 'b1', a1Camera), consumersOf(onB, 'b2', a1Camera)]).toEqual([1, 1]);

    // ------------------------------------------------------------ the source's pauses follow it down
    await fleet.request('a1', 'pauseProducer', { producerId: a1Camera });
    await until('a1’s camera paused on B and C', () =>
      [onB, onC].every((meeting) => meeting.sites.get('a1')?.producerFor('camera')?.paused === true),
    );
    await until('b1 told a1’s camera paused', (r) => (r.get('b1')?.events.producerPaused ?? 0) > 0);
    await fleet.request('a1', 'resumeProducer', { producerId: a1Camera });
    await until('a1’s camera resumed on B and C', () =>
      [onB, onC].every((meeting) => meeting.sites.get('a1')?.producerFor('camera')?.paused === false),
    );
    await until("a1's camera at b1 again", async () => ((await flowing(['b1'], 'a1', 500))[0] ?? 0) > 2);

    // ------------------------------------------------------------ no site of an edge shows it: held at the home
    // The grid (the chair and no other site) hides the stage: B's and C's sites drop a1's camera.
    onA.layout.set('grid', []);
    await until('a1 held at the home', async () => {
      const piped = await home.pipedDown(a1Camera);
      return !piped['hub-b']?.crossing && !piped['hub-c']?.crossing;
    });
    expect(await home.pipedDown(a1Camera)).toEqual({
      'hub-b': { consumers: 1, crossing: false },
      'hub-c': { consumers: 1, crossing: false },
    });
    await pause(500);
    for (const packets of await flowing(['b1', 'b2', 'c1'], 'a1', 1500)) expect(packets).toBeLessThanOrEqual(1);
    // Back to the speaker layout: it crosses again.
    onA.layout.set('speaker');
    await until("a1's camera at b1 and c1 again", async () => {
      const packets = await flowing(['b1', 'c1'], 'a1', 500);
      return packets.every((n) => n > 2);
    });
    expect(await home.pipedDown(a1Camera)).toEqual({ 'hub-b': once, 'hub-c': once });

    // ------------------------------------------------------------ off the stage: it stops crossing
    onA.moderation.setStage(null);
    await until('a1 no longer piped down', async () => {
      const piped = await home.pipedDown(a1Camera);
      return piped['hub-b']?.consumers === 0 && piped['hub-c']?.consumers === 0;
    });
    await pause(500);
    for (const packets of await flowing(['b1', 'b2', 'c1'], 'a1', 1500)) expect(packets).toBeLessThanOrEqual(1);
    expect(onB.sites.get('a1')?.producerFor('camera')).toBeUndefined();

    // ------------------------------------------------------------ a presenting site of A: its content on B and C
    await fleet.request('a2', 'requestPresentation', { requested: true });
    const chairOnA = onA.sites.get('chair');
    if (!chairOnA) throw new Error('the chair is not on A');
    onA.presentation.answer(chairOnA, 'a2', true);
    await fleet.share('a2');
    const a2Screen = producer(onA, 'a2', 'screen');
    await until("a2's content at b1, b2 and c1", (r) => ['b1', 'b2', 'c1'].every((l) => videoFrom(r, l, 'a2') > 10));
    expect(onB.state().presentation).toMatchObject({ presenterSiteId: 'a2', live: true });
    expect(await home.pipedDown(a2Screen)).toEqual({ 'hub-b': once, 'hub-c': once });
    // The presenter stops: its content closes on the edges too.
    await fleet.request('a2', 'stopPresentation', {});
    await until('a2’s content closed on B and C', () =>
      [onB, onC].every((meeting) => meeting.sites.get('a2')?.producerFor('screen') === undefined),
    );

    // ------------------------------------------------------------ a staged site of B, through the home to C
    const b1Camera = producer(onA, 'b1', 'camera');
    onA.moderation.setStage('b1');
    await until("b1's camera at c1 and a1", (r) => videoFrom(r, 'c1', 'b1') > 10 && videoFrom(r, 'a1', 'b1') > 10);
    for (const packets of await flowing(['c1', 'a1'], 'b1', 2000)) expect(packets).toBeGreaterThan(10);
    // Down to C only: B has it already.
    expect(await home.pipedDown(b1Camera)).toEqual({ 'hub-b': none, 'hub-c': once });
    expect(onC.sites.get('b1')?.remote).toBe(true);

    // ------------------------------------------------------------ the grid's sites, a1 of A and b1 of B, at C
    onA.moderation.setStage(null);
    onA.layout.set('grid', ['a1', 'b1']);
    await until("the grid's cameras at c1", async () => {
      const [fromA, fromB] = await Promise.all([flowing(['c1'], 'a1', 600), flowing(['c1'], 'b1', 600)]);
      return (fromA[0] ?? 0) > 2 && (fromB[0] ?? 0) > 2;
    });
    expect(await home.pipedDown(a1Camera)).toEqual({ 'hub-b': once, 'hub-c': once });
    expect(await home.pipedDown(b1Camera)).toEqual({ 'hub-b': none, 'hub-c': once });
    // Out of the grid: neither crosses down any more.
    onA.layout.set('speaker', []);
    await until('a1 and b1 no longer piped down', async () => {
      const [a1, b1] = await Promise.all([home.pipedDown(a1Camera), home.pipedDown(b1Camera)]);
      return [a1['hub-b'], a1['hub-c'], b1['hub-c']].every((edge) => edge?.consumers === 0);
    });
  });

  it("reopens B's end of the pipe when B's worker carrying it dies", { timeout: 60_000 }, async () => {
    const [hubA, hubB] = hubs as [Hub, Hub, Hub];
    const fleet = sites as SpeakingFleet;
    const onA = hubA.meetings.get(MEETING);
    const onB = hubB.meetings.get(MEETING);
    if (!onA || !onB) throw new Error('the meeting is not open on A and B');
    onA.moderation.setStage('a1');
    await until("a1's camera at b2", (r) => videoFrom(r, 'b2', 'a1') > 10);
    const chairOnB = onB.sites.get('chair');
    const victim = hubB.pool.summaries().find((w) => w.index === onB.planes.homeIndex);
    if (!victim || !chairOnB) throw new Error('no worker carries the pipe on B');
    process.kill(victim.pid, 'SIGKILL');
    // B opens the meeting again on A: a new pipe, the chair's streams and the stage back over it.
    await until(
      'B to take the chair from A again',
      () => {
        const chairNow = onB.sites.get('chair');
        return chairNow !== undefined && chairNow !== chairOnB && chairNow.producerFor('camera') !== undefined;
      },
      20_000,
    );
    expect(onB.span?.edge).toBe(true);
    // A site joining B now receives the chair and the stage from A, and is heard there.
    fleet.start([await site(hubB, 'b3')]);
    expect((await fleet.joined(['b3'], 20_000)).get('b3')?.error ?? null).toBeNull();
    await until(
      "the chair's and a1's video at b3",
      (r) => videoFrom(r, 'b3', 'chair') > 10 && videoFrom(r, 'b3', 'a1') > 10,
      20_000,
    );
    await until('b3 on the chair’s board on A', () => onA.sites.get('b3')?.producerFor('mic') !== undefined);
    fleet.resetHeard();
    fleet.speak('b3', true);
    await until('b3 heard on A', (r) => (r.get('a1')?.heard.b3?.packets ?? 0) > 20);
    fleet.speak('b3', false);
  });
});
