// The load harness, small and real: 20 WebRTC bots (msc-node + werift, in a
// separate bot process as in `npm run bench:load`) join one meeting through a
// real hub with join tokens, and every one of them receives the chair's audio
// and video.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { startBotMeeting } from '../helpers/bots.ts';
import { startTestHub } from '../helpers/hub.ts';
import type { BotResult } from '../helpers/werift/Bot.ts';
import type { BotFleet } from '../helpers/werift/BotFleet.ts';

const SITES = 20;
const MEETING = 'load-20';

describe('load harness: 20 sites in one meeting', () => {
  let hub: Hub;
  let fleet: BotFleet | undefined;
  let chair: BotFleet | undefined;

  beforeAll(async () => {
    hub = await startTestHub({}, 2);
  });

  afterAll(async () => {
    fleet?.kill();
    chair?.kill();
    await hub?.close();
  });

  it('every site receives the chair’s audio and video', async () => {
    const meeting = await startBotMeeting(hub, MEETING, SITES);
    ({ chair, sites: fleet } = meeting);
    const progress = await fleet.settled(SITES, 40_000);
    expect(progress.failed).toBe(0);
    expect(progress.joined).toBe(SITES);
    // Sites were spread over both workers: half of them receive the chair's
    // streams through a pipe from the chair's worker.
    const peers = [...(hub.meetings.get(MEETING)?.sites.values() ?? [])];
    const chairWorker = peers.find((p) => p.role === 'chair')?.workerIndex;
    expect(peers.filter((p) => p.role === 'site' && p.workerIndex !== chairWorker).length).toBeGreaterThanOrEqual(
      SITES / 2 - 1,
    );
    // Key frames come every second: let every site see video before counting.
    await new Promise((r) => setTimeout(r, 2500));
    const results = await fleet.finish();
    fleet = undefined;

    expect(results).toHaveLength(SITES);
    const summary = (r: BotResult) => ({
      label: r.label,
      joined: r.joined,
      error: r.error,
      audio: r.counters.audio.packets,
      video: r.counters.video.packets,
    });
    for (const r of results) {
      expect(summary(r)).toMatchObject({ joined: true, error: null });
      expect(r.counters.audio.packets, `${r.label} audio`).toBeGreaterThan(20);
      expect(r.counters.video.packets, `${r.label} video`).toBeGreaterThan(5);
      expect(r.firstVideoMs, `${r.label} first video`).not.toBeNull();
      // The sites really sent (opus at 50 packets/s and VP8) over their own transports.
      expect(r.counters.sentPackets, `${r.label} sent`).toBeGreaterThan(50);
    }
    const [chairResult] = await chair.finish();
    chair = undefined;
    // The chair's console heard the sites' audio levels: ssrc-audio-level was negotiated and sent.
    expect(chairResult?.audioLevelEvents).toBeGreaterThan(0);
    // One list for the whole meeting: each worker's router reports at most 16
    // sites, so more than 16 in one event means both workers' reports were merged.
    expect(chairResult?.mostLevelsInOneEvent).toBeGreaterThan(16);
    expect(chairResult?.activeSpeakerEvents).toBeGreaterThan(0);
  });
});
