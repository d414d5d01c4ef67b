// The chair's audio levels arrive at the pace docs/protocol.md gives: at most
// once per 0.4 s, however many workers carry the meeting. Each worker's router
// reports every 0.4 s on its own clock; sent as they came, a meeting on two
// workers gave the chair ~5 events a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { type BotMeeting, startBotMeeting } from '../helpers/bots.ts';
import { startTestHub } from '../helpers/hub.ts';

const SITES = 6;
const MEETING = 'audio-level-rate';

let hub: Hub;
let meeting: BotMeeting | undefined;

beforeAll(async () => {
  hub = await startTestHub({ MEDIASOUP_WORKERS: '2' }, 2);
});

afterAll(async () => {
  meeting?.kill();
  await hub?.close();
});

describe('the chair’s audio levels', () => {
  it('come at most once per 0.4 s with sites on two workers', async () => {
    const chairJoinedAt = Date.now();
    meeting = await startBotMeeting(hub, MEETING, SITES);
    expect(await meeting.sites.settled(SITES, 40_000)).toMatchObject({ joined: SITES, failed: 0 });
    const workers = new Set([...(hub.meetings.get(MEETING)?.sites.values() ?? [])].map((s) => s.workerIndex));
    expect(workers.size).toBe(2);
    await new Promise((r) => setTimeout(r, 6000));
    const [chair] = await meeting.chair.finish();
    const elapsedMs = Date.now() - chairJoinedAt;
    const events = chair?.audioLevelEvents ?? 0;
    console.log(
      `[audio levels] ${events} events in ${elapsedMs} ms (${((events * 1000) / elapsedMs).toFixed(2)}/s), up to ${chair?.mostLevelsInOneEvent} sites in one`,
    );
    // The sites were heard, merged across both workers…
    expect(events).toBeGreaterThan(5);
    expect(chair?.mostLevelsInOneEvent).toBeGreaterThan(1);
    // …and no faster than one event per 0.4 s.
    expect(events).toBeLessThanOrEqual(Math.ceil(elapsedMs / 400) + 1);
  }, 120_000);
});
