// The Pion bots (the load benchmark's sites) against a real hub: a chair and
// 6 sites, each a Go WebRTC peer (ICE, DTLS, SRTP) of the hub's mediasoup
// transports joining through socket.io with a join token, sending opus and a
// 3-layer VP8 simulcast camera with the browser's send policy, and receiving
// what the meeting's receive plan gives it, as the browser does
// (bench/pion/PlanFollower.ts). The chair bot runs its console: it pages its
// mosaic and moves the stage from site to site. Checks: every site holds at
// most the bounded number of receive streams, hears the chair and the
// speaking site (through an audio slot), sees the staged camera; the chair
// sees its mosaic's pages; the chair's camera sends all three layers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PionUnavailable, pionEngineBinary } from '../../bench/pion/build.ts';
import { PionFleet } from '../../bench/pion/PionFleet.ts';
import { BROWSER_LIKE_CAMERA, type PionBotConfig } from '../../bench/pion/types.ts';
import { maxSiteReceiveStreams } from '../../contract/receivePlan.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { reportSkip } from '../helpers/skip.ts';

const SITES = 6;
const K = 2;
const MEETING = 'pion-6';
const PAGE = 2;

// Builds the engine now (cached after the first time); only a toolchain that
// cannot be installed skips the suite, a build error fails it.
let unavailable: string | null = null;
try {
  pionEngineBinary();
} catch (err) {
  if (!(err instanceof PionUnavailable)) throw err;
  unavailable = `the Go toolchain or Pion is not installed: ${err.message}`;
}
reportSkip('Pion bots (test/load/pionBots.test.ts)', unavailable);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable)('Pion bots: a chair and 6 sites following the receive plan', () => {
  let hub: Hub;
  let chair: PionFleet | undefined;
  let sites: PionFleet | undefined;

  beforeAll(async () => {
    hub = await startTestHub({ AUDIO_SLOTS: String(K) }, 3);
  });

  afterAll(async () => {
    chair?.kill();
    sites?.kill();
    await hub?.close();
  });

  it('bounds each site’s receive streams, carries the speaker through a slot, the chair and the stage to every site', async () => {
    [chair, sites] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(1)]);
    const claims = { meetingId: MEETING, maxSites: SITES + 2, mode: 'discussion' as const };
    const common = {
      url: hub.url,
      sendAudio: true,
      sendVideo: BROWSER_LIKE_CAMERA,
      browserSendPolicy: true,
      receive: true,
      connectTimeoutMs: 8000,
      maxTransportAttempts: 3,
      requestTimeoutMs: 15_000,
    };
    chair.start(
      [
        {
          ...common,
          label: 'chair',
          token: await tokenFor(hub, { ...claims, roomId: 'chair-room', role: 'chair', displayName: 'UBND tỉnh' }),
          speaking: false,
          mosaicPageSize: PAGE,
        },
      ],
      0,
    );
    expect((await chair.settled(1, 20_000)).joined).toBe(1);
    const bots: PionBotConfig[] = [];
    for (let i = 0; i < SITES; i++) {
      bots.push({
        ...common,
        label: `site-${i}`,
        token: await tokenFor(hub, { ...claims, roomId: `room-${i}`, displayName: `UBND xã ${i}` }),
        // One designated speaker; the others send quiet levels.
        speaking: i === 0,
        mosaicPageSize: 0,
      });
    }
    sites.start(bots, 0);
    expect(await sites.settled(SITES, 40_000)).toMatchObject({ joined: SITES, failed: 0 });
    const meeting = hub.meetings.get(MEETING);
    // The speaker takes a slot (the hub's selector reads its ssrc-audio-level).
    for (let i = 0; i < 50 && !meeting?.slots.holders().includes('room-0'); i++) await pause(100);
    expect(meeting?.slots.holders()).toContain('room-0');

    // The chair's console: a page every 1.5 s, the stage to the next site every 3 s.
    chair.runConsole({ pageTurnSec: 1.5, stageMoveSec: 3 });
    for (let t = 0; t < 10; t++) {
      await pause(1000);
      for (const site of meeting?.sites.values() ?? []) {
        if (site.isChair) continue;
        expect(site.consumers.size, `${site.id} consumers on the hub`).toBeLessThanOrEqual(maxSiteReceiveStreams(K));
      }
    }
    chair.runConsole(null);

    // The chair sends every camera layer (the hub sees three arriving).
    const chairSite = [...(meeting?.sites.values() ?? [])].find((s) => s.isChair);
    const camera = [...(chairSite?.producers.values() ?? [])].find((p) => p.kind === 'video');
    expect(camera?.type).toBe('simulcast');
    const layers = (await camera?.getStats()) ?? [];
    expect(layers.filter((l) => l.byteCount > 0)).toHaveLength(3);

    const results = await sites.finish();
    sites = undefined;
    const [chairResult] = await chair.finish();
    chair = undefined;
    expect(results).toHaveLength(SITES);
    expect(chairResult?.stageMoves).toBeGreaterThanOrEqual(3);
    expect(chairResult?.stageMoveErrors).toBe(0);
    const slotAudio = (r: (typeof results)[number]) =>
      Object.entries(r.receivedFrom)
        .filter(([source]) => source.startsWith('slot-'))
        .reduce((sum, [, n]) => sum + n.audio, 0);
    for (const r of results) {
      expect({ label: r.label, joined: r.joined, error: r.error }).toEqual({
        label: r.label,
        joined: true,
        error: null,
      });
      expect(r.maxReceiveStreams, `${r.label} receive streams`).toBeLessThanOrEqual(maxSiteReceiveStreams(K));
      expect(r.receivedFrom['chair-room']?.audio, `${r.label} hears the chair`).toBeGreaterThan(100);
      expect(r.receivedFrom['chair-room']?.video, `${r.label} sees the chair`).toBeGreaterThan(20);
      // The stage moved over three sites at least: each site saw two of them (not itself) as they came on stage.
      const stagesSeen = Object.entries(r.receivedFrom).filter(
        ([source, n]) => source.startsWith('room-') && n.video > 0,
      );
      expect(stagesSeen.length, `${r.label} sees the stage move`).toBeGreaterThanOrEqual(2);
      if (r.label !== 'site-0') {
        expect(slotAudio(r), `${r.label} hears the speaker through a slot`).toBeGreaterThan(100);
      }
      // Nobody consumes a microphone but the chair's.
      for (const [source, n] of Object.entries(r.receivedFrom)) {
        if (source !== 'chair-room' && !source.startsWith('slot-'))
          expect(n.audio, `${r.label} from ${source}`).toBe(0);
      }
    }
    // Its own voice never comes back: the speaker's slot is paused for it.
    expect(slotAudio(results.find((r) => r.label === 'site-0') as (typeof results)[number])).toBeLessThan(50);
    // The chair saw several sites' cameras as its mosaic's pages turned.
    const seen = Object.values(chairResult?.receivedFrom ?? {}).filter((n) => n.video > 0).length;
    expect(seen).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
