// The Pion bot engine against a real hub: a chair and 5 sites, each a Go
// WebRTC peer (ICE, DTLS, SRTP) of the hub's mediasoup transports joining
// through socket.io with a join token, send opus and a 3-layer VP8 simulcast
// camera. Every site must receive the chair's audio and video, the chair every
// site's audio, and the hub must see all three layers of each camera.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PionUnavailable, pionEngineBinary } from '../../bench/pion/build.ts';
import { PionFleet } from '../../bench/pion/PionFleet.ts';
import { BROWSER_LIKE_CAMERA, type PionBotConfig } from '../../bench/pion/types.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { reportSkip } from '../helpers/skip.ts';

const SITES = 5;
const MEETING = 'pion-5';

// Builds the engine now (cached after the first time); only a toolchain that
// cannot be installed skips the suite, a build error fails it.
let unavailable: string | null = null;
try {
  pionEngineBinary();
} catch (err) {
  if (!(err instanceof PionUnavailable)) throw err;
  unavailable = `the Go toolchain or Pion cannot be installed: ${err.message}`;
}
reportSkip('Pion bots (test/load/pionBots.test.ts)', unavailable);

describe.skipIf(unavailable)('Pion bots: a chair and 5 sites in one meeting', () => {
  let hub: Hub;
  let chair: PionFleet | undefined;
  let sites: PionFleet | undefined;

  beforeAll(async () => {
    hub = await startTestHub({}, 3);
  });

  afterAll(async () => {
    chair?.kill();
    sites?.kill();
    await hub?.close();
  });

  it('every site receives the chair’s audio and video, and the chair hears every site', async () => {
    [chair, sites] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(1)]);
    const claims = { meetingId: MEETING, maxSites: SITES + 2, mode: 'discussion' as const };
    const common = {
      url: hub.url,
      sendAudio: true,
      sendVideo: BROWSER_LIKE_CAMERA,
      browserSendPolicy: false,
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
          speaking: true,
          consume: { from: 'sites', kinds: ['audio'] },
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
        speaking: i < 2,
        consume: { from: 'chair', kinds: ['audio', 'video'] },
      });
    }
    sites.start(bots, 0);
    const progress = await sites.settled(SITES, 40_000);
    expect(progress).toMatchObject({ joined: SITES, failed: 0 });
    // Key frames come every few seconds and on request: let every site count a while.
    await new Promise((r) => setTimeout(r, 3000));

    // The hub sees each site's camera as one simulcast producer whose three layers all arrive.
    const peers = [...(hub.meetings.get(MEETING)?.peers.values() ?? [])];
    expect(peers).toHaveLength(SITES + 1);
    for (const peer of peers) {
      const camera = [...peer.producers.values()].find((p) => p.kind === 'video');
      expect(camera?.type, `${peer.id} camera`).toBe('simulcast');
      const layers = (await camera?.getStats()) ?? [];
      expect(
        layers.filter((l) => l.byteCount > 0),
        `${peer.id} layers arriving`,
      ).toHaveLength(3);
    }

    const results = await sites.finish();
    sites = undefined;
    expect(results).toHaveLength(SITES);
    for (const r of results) {
      expect({ label: r.label, joined: r.joined, error: r.error }).toEqual({
        label: r.label,
        joined: true,
        error: null,
      });
      expect(r.counters.audio.packets, `${r.label} chair audio`).toBeGreaterThan(100);
      expect(r.counters.video.packets, `${r.label} chair video`).toBeGreaterThan(50);
      expect(r.firstVideoMs, `${r.label} first video`).not.toBeNull();
      expect(r.counters.sentPackets, `${r.label} sent`).toBeGreaterThan(500);
    }
    const [chairResult] = await chair.finish();
    chair = undefined;
    for (let i = 0; i < SITES; i++) {
      expect(chairResult?.receivedFrom[`room-${i}`]?.audio, `chair hears room-${i}`).toBeGreaterThan(100);
    }
    // The loud sites' ssrc-audio-level reached the hub's audio-level observer.
    expect(chairResult?.audioLevelEvents).toBeGreaterThan(0);
  }, 90_000);
});
