// One meeting carried by two hubs (sfu/span/): two real hubs in this process
// on one Redis and one PostgreSQL database, the chair (a werift bot sending
// audio and VP8) and a site on hub A, two sites on hub B. Hub A claims the
// meeting's home; B opens it as an edge and the hubs open a pipe pair with
// SRTP between them. Every site receives the chair's audio and video
// (packets arriving); the chair mutes a site on B: its microphone is paused on
// B and the site is told; a site on B speaking is heard on A and by the other
// site on B through the home's audio slots, never by itself, and a site on A
// is heard on B; a camera of B crosses to A while A shows it (on the stage)
// and stops when it does not; the chair's board lists B's sites and its
// controls act on them; the pipe survives the home's worker dying; when hub A
// goes away B takes the meeting over. The pipe's bitrate is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingHomeKey } from '../../hub/cluster/keys.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { applyPostgresMigrations } from '../../scheduler/postgresMigrations.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import { SpanHome } from '../../sfu/span/SpanHome.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';
import type { SpeakingBotConfig, SpeakingBotReport } from '../helpers/speakers/SpeakingBot.ts';
import { SpeakingFleet } from '../helpers/speakers/SpeakingFleet.ts';
import { BotFleet } from '../helpers/werift/BotFleet.ts';

const MEETING = 'across-hubs';
const missing = redisMissing() ?? postgresMissing();
reportSkip('meeting across hubs', missing);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heardBy = (r: SpeakingBotReport | undefined, source: string) => r?.heard[source]?.packets ?? 0;

describe.skipIf(missing !== null)('one meeting across two hubs', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let hubA: Hub;
  let hubB: Hub;
  let hubC: Hub | undefined;
  let database: string;
  let chair: BotFleet | undefined;
  let sites: SpeakingFleet | undefined;

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    database = await postgres.createDatabase('span');
    await applyPostgresMigrations(database);
    const env = (hubId: string) => ({ REDIS_URL: redis.url(), DATABASE_URL: database, HUB_ID: hubId });
    hubA = await startTestHub(env('hub-a'), 0);
    hubB = await startTestHub(env('hub-b'), 1);
    [chair, sites] = await Promise.all([BotFleet.spawn(1), SpeakingFleet.spawn(1)]);
  }, 90_000);

  afterAll(async () => {
    sites?.finish();
    chair?.kill();
    await pause(300);
    sites?.kill();
    await hubC?.close();
    await hubB?.close();
    await hubA?.close();
    await redis?.stop();
    postgres?.stop();
  }, 30_000);

  async function site(hub: Hub, label: string): Promise<SpeakingBotConfig> {
    const token = await tokenFor(hub, { meetingId: MEETING, roomId: label, displayName: label, maxSites: 10 });
    return { url: hub.url, token, label, requestTimeoutMs: 15_000 };
  }

  async function until(
    what: string,
    check: (reports: Map<string, SpeakingBotReport>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Map<string, SpeakingBotReport>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = await (sites as SpeakingFleet).reports();
      if (check(reports)) return reports;
      if (Date.now() > deadline) {
        const seen = [...reports.values()].map((r) => ({
          label: r.label,
          audio: r.chairAudioPackets,
          video: r.videoPackets,
          heard: r.heard,
          consumers: r.consumers,
          events: r.events,
        }));
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen)}`);
      }
      await pause(250);
    }
  }

  it('carries the chair to every site, the chair’s mute to a site on B, B’s voices through the home’s slots, B’s camera when A shows it', {
    timeout: 120_000,
  }, async () => {
    const chairFleet = chair as BotFleet;
    const fleet = sites as SpeakingFleet;
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
    const labels = ['a1', 'b1', 'b2'];
    fleet.start([await site(hubA, 'a1'), { ...(await site(hubB, 'b1')), camera: true }, await site(hubB, 'b2')]);
    const joined = await fleet.joined(labels, 30_000);
    expect(labels.map((l) => joined.get(l)?.error ?? null)).toEqual([null, null, null]);

    // ------------------------------------------------------------ homes and edges
    expect(await hubA.redis?.pub.get(meetingHomeKey(MEETING))).toBe('hub-a');
    const onA = hubA.meetings.get(MEETING);
    const onB = hubB.meetings.get(MEETING);
    if (!onA || !onB) throw new Error('the meeting is not open on both hubs');
    expect(onA.span?.edge).toBe(false);
    expect(onB.span?.edge).toBe(true);
    // B's sites are on the chair's board on A; the chair is among B's sites; both count four sites.
    await until('both hubs to count every site', () => onA.state().connectedSites === 4);
    expect([...onA.sites.keys()].sort()).toEqual(['a1', 'b1', 'b2', 'chair']);
    expect([...onB.sites.keys()].sort()).toEqual(['b1', 'b2', 'chair']);
    expect(onB.state().connectedSites).toBe(4);
    expect(onB.state().chairSiteId).toBe('chair');

    // ------------------------------------------------------------ the chair's audio and video everywhere
    const first = await until(
      "the chair's audio and video at every site",
      (r) => labels.every((l) => (r.get(l)?.chairAudioPackets ?? 0) > 20 && (r.get(l)?.videoPackets.chair ?? 0) > 10),
      20_000,
    );
    await pause(2000);
    const later = await fleet.reports();
    for (const l of labels) {
      // Still flowing: 50 audio packets and 30 video packets a second.
      expect((later.get(l)?.chairAudioPackets ?? 0) - (first.get(l)?.chairAudioPackets ?? 0), l).toBeGreaterThan(50);
      expect((later.get(l)?.videoPackets.chair ?? 0) - (first.get(l)?.videoPackets.chair ?? 0), l).toBeGreaterThan(20);
    }

    // ------------------------------------------------------------ a mute on A reaches a site on B
    const b1 = onB.sites.get('b1');
    expect(b1?.producerFor('mic')?.paused).toBe(false);
    await onA.moderation.setSiteMuted('b1', true);
    expect(onA.sites.get('b1')?.info(false).mutedByChair).toBe(true);
    await until('b1 told it is muted', (r) => r.get('b1')?.self?.mutedByChair === true);
    expect(b1?.producerFor('mic')?.paused).toBe(true);
    expect(b1?.mutedByChair).toBe(true);
    const told = (await fleet.reports()).get('b1')?.self;
    expect(told).toMatchObject({ mutedByChair: true, canSpeak: false, micOn: false });
    // b2 was not muted.
    expect(onB.sites.get('b2')?.producerFor('mic')?.paused).toBe(false);
    // The chair lifts it: b1 may speak again, and its microphone opens.
    await onA.moderation.setSiteMuted('b1', false);
    await until('b1 told it may speak', (r) => r.get('b1')?.self?.canSpeak === true);
    expect(b1?.producerFor('mic')?.paused).toBe(false);

    // ------------------------------------------------------------ B's voices through the home's slots
    // Every site holds the home's K slots (B's arrived over the pipe), not slots of its own hub.
    const homeSlots = onA.slots.info().map((s) => s.producerId);
    expect(onB.slots.info().map((s) => s.producerId)).toEqual(homeSlots);
    for (const l of labels) expect((await fleet.reports()).get(l)?.consumers.slots, l).toBe(homeSlots.length);
    for (let round = 0; round < 2; round++) {
      fleet.resetHeard();
      fleet.speak('b1', true);
      const heard = await until(
        'b1 heard on A and by b2',
        (r) => heardBy(r.get('a1'), 'b1') > 20 && heardBy(r.get('b2'), 'b1') > 20,
      );
      expect(heardBy(heard.get('b1'), 'b1'), 'b1 hears itself').toBe(0);
      // The chair's board shows who speaks on B: the home taps B's microphone.
      expect(onA.slots.holders()).toContain('b1');
      fleet.speak('b1', false);
      await pause(2600);
      expect(heardBy((await fleet.reports()).get('b1'), 'b1'), 'b1 hears itself').toBe(0);
    }
    fleet.resetHeard();
    fleet.speak('a1', true);
    const fromA = await until(
      'a1 heard on B',
      (r) => heardBy(r.get('b1'), 'a1') > 20 && heardBy(r.get('b2'), 'a1') > 20,
    );
    expect(heardBy(fromA.get('a1'), 'a1'), 'a1 hears itself').toBe(0);
    fleet.speak('a1', false);
    // A muted site on B is not heard anywhere.
    await onA.moderation.setSiteMuted('b2', true);
    await until('b2 told it is muted', (r) => r.get('b2')?.self?.mutedByChair === true);
    await pause(2600);
    fleet.resetHeard();
    fleet.speak('b2', true);
    await pause(1500);
    expect([...(await fleet.reports()).values()].map((r) => heardBy(r, 'b2'))).toEqual([0, 0, 0]);
    fleet.speak('b2', false);

    // ------------------------------------------------------------ a camera of B crosses when A shows it
    const pipe = async () => {
      const span = onA.span;
      if (!(span instanceof SpanHome)) throw new Error('A is not home');
      const [edge] = await span.pipeBitrates();
      return edge ?? { down: 0, up: 0 };
    };
    // b1's camera is on the chair's board on A, held at B: nobody on A shows it.
    const b1Camera = onA.sites.get('b1')?.producerFor('camera');
    expect(b1Camera).toBeDefined();
    const held = await fleet.reports();
    expect(held.get('a1')?.videoPackets.b1 ?? 0).toBe(0);
    const quiet = await pipe();
    await onA.moderation.setStage('b1');
    const staged = await until(
      "b1's camera on the stage on both hubs",
      (r) => (r.get('a1')?.videoPackets.b1 ?? 0) > 10 && (r.get('b2')?.videoPackets.b1 ?? 0) > 10,
      15_000,
    );
    expect(staged.get('b1')?.videoPackets.b1 ?? 0).toBe(0);
    await pause(1500);
    const shown = await pipe();
    console.log(
      `inter-hub pipe: down ${Math.round(quiet.down / 1000)} kbit/s, up ${Math.round(quiet.up / 1000)} kbit/s (the chair's audio and video, K slots, B's microphones); up ${Math.round(shown.up / 1000)} kbit/s while B's camera is on A's stage`,
    );
    expect(shown.up - quiet.up, "b1's camera crossing up").toBeGreaterThan(20_000);
    // Off the stage: nobody on A shows it, and it stops crossing.
    await onA.moderation.setStage(null);
    await pause(2500);
    expect((await pipe()).up - quiet.up, "b1's camera still crossing").toBeLessThan(20_000);

    // ------------------------------------------------------------ B's sites on the chair's board, the chair's hand on them
    const b2 = onB.sites.get('b2');
    if (!b2) throw new Error('b2 is not on B');
    onB.audience.raiseHand(b2, true);
    await until('b2’s hand up on A', () => onA.sites.get('b2')?.handRaisedAt != null);
    expect(onA.audience.info(onA.sites.get('b2') as NonNullable<ReturnType<typeof onA.sites.get>>)).toMatchObject({
      handRaised: true,
      connection: 'online',
      mutedByChair: true,
    });
    // The speaking queue's next on A is the site on B: the floor unmutes it there and lowers its hand.
    await onA.moderation.setMode('briefing');
    expect(await onA.moderation.giveFloorToNext()).toBe('b2');
    const floor = await until('b2 given the floor on B', (r) => r.get('b2')?.self?.canSpeak === true);
    expect(floor.get('b2')?.self).toMatchObject({ handRaised: false, mutedByChair: false });
    expect(b2.producerFor('mic')?.paused).toBe(false);
    // In a briefing, b1 (no floor) is held on B.
    await until('b1 held by the briefing', (r) => r.get('b1')?.self?.canSpeak === false);
    expect(b1?.producerFor('mic')?.paused).toBe(true);
    // The chair removes b2: it is sent away from B, and both hubs count three sites.
    onA.moderation.removeSite('b2');
    const removed = await until('b2 removed on B', (r) => (r.get('b2')?.events.kicked ?? 0) > 0);
    expect(removed.get('b2')?.events.kicked).toBe(1);
    await until('B to count three sites', () => !onB.sites.has('b2') && onB.state().connectedSites === 3);
    expect(onA.state().connectedSites).toBe(3);

    // ------------------------------------------------------------ A's worker carrying the pipe and the slots dies
    const oldSlots = onA.slots.info().map((s) => s.producerId);
    const victim = hubA.pool.summaries().find((w) => w.index === onA.planes.homeIndex);
    if (!victim) throw new Error('no worker carries the home');
    process.kill(victim.pid, 'SIGKILL');
    const ids = (slots: { producerId: string }[]) => slots.map((s) => s.producerId);
    await until(
      'B to open the pipe again and follow the new slots',
      () => {
        const now = ids(onA.slots.info());
        return (
          now.length === oldSlots.length &&
          !now.some((id) => oldSlots.includes(id)) &&
          JSON.stringify(ids(onB.slots.info())) === JSON.stringify(now)
        );
      },
      20_000,
    );
    // b1 is back on the chair's board with its microphone, and heard through the new slots when it has the floor.
    await until('b1 on A again', () => onA.sites.get('b1')?.producerFor('mic') !== undefined);
    await onA.moderation.setFloor('b1', true);
    await until('b1 given the floor on B', (r) => r.get('b1')?.self?.canSpeak === true);
    fleet.speak('b1', true);
    await until('the home hearing b1 again', () => onA.slots.holders().includes('b1'));
    fleet.speak('b1', false);
  });

  it('takes the meeting over on B when its home hub A goes away; the chair joining B is heard there', {
    timeout: 60_000,
  }, async () => {
    const fleet = sites as SpeakingFleet;
    const onB = hubB.meetings.get(MEETING);
    if (!onB) throw new Error('the meeting is not open on B');
    const oldSlots = onB.slots.info().map((s) => s.producerId);
    await hubA.close();
    await until('B to become home', () => onB.span?.edge === false, 15_000);
    expect(await hubB.redis?.pub.get(meetingHomeKey(MEETING))).toBe('hub-b');
    // The chair of A left with it; B's site holds B's own slots now.
    expect([...onB.sites.keys()]).toEqual(['b1']);
    const newSlots = onB.slots.info().map((s) => s.producerId);
    expect(newSlots).toHaveLength(oldSlots.length);
    expect(newSlots.some((id) => oldSlots.includes(id))).toBe(false);
    // b1 was told of B's slots and consumes them on B (its test client may still be settling them).
    const b1OnB = onB.sites.get('b1');
    await until('b1 to consume the new slots on B', () => {
      const consumed = [...(b1OnB?.consumers.values() ?? [])].filter((c) => !c.closed).map((c) => c.producerId);
      return newSlots.every((id) => consumed.includes(id));
    });
    // The chair reconnects to B (as its client would after A's loss) and hears b1 there.
    const token = await tokenFor(hubB, {
      meetingId: MEETING,
      roomId: 'chair',
      role: 'chair',
      displayName: 'UBND tỉnh',
      maxSites: 10,
    });
    fleet.start([{ url: hubB.url, token, label: 'chair-b', requestTimeoutMs: 15_000 }]);
    expect((await fleet.joined(['chair-b'], 20_000)).get('chair-b')?.error ?? null).toBeNull();
    // The decisions carried over: the meeting is still a briefing, b1 without the floor is held.
    expect(onB.state().mode).toBe('briefing');
    await onB.moderation.setFloor('b1', true);
    fleet.resetHeard();
    fleet.speak('b1', true);
    await until(
      'the chair on B hearing b1, b1 hearing the chair',
      (r) => heardBy(r.get('chair-b'), 'b1') > 20 && (r.get('b1')?.chairAudioPackets ?? 0) > 20,
      15_000,
    );
    expect(heardBy((await fleet.reports()).get('b1'), 'b1'), 'b1 hears itself').toBe(0);
    fleet.speak('b1', false);
  });

  it('makes a third hub an edge of the new home, and ends the meeting there when the chair ends it', {
    timeout: 60_000,
  }, async () => {
    const fleet = sites as SpeakingFleet;
    hubC = await startTestHub({ REDIS_URL: redis.url(), DATABASE_URL: database, HUB_ID: 'hub-c' }, 2);
    fleet.start([await site(hubC, 'c1')]);
    expect((await fleet.joined(['c1'], 20_000)).get('c1')?.error ?? null).toBeNull();
    const onC = hubC.meetings.get(MEETING);
    expect(onC?.span?.edge).toBe(true);
    await until('c1 hearing the chair on B', (r) => (r.get('c1')?.chairAudioPackets ?? 0) > 20);
    hubB.meetings.get(MEETING)?.end({ roomId: 'chair', userId: null });
    const ended = await until('c1 sent away', (r) => (r.get('c1')?.events.kicked ?? 0) > 0);
    expect(ended.get('c1')?.events.kicked).toBe(1);
    await until('the meeting closed on C', () => hubC?.meetings.get(MEETING) === undefined);
  });
});
