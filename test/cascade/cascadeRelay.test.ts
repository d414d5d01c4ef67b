// What a cascade link carries once it is live, between two real hubs as two
// deployments with real WebRTC sites (werift bots) on both: A's other speakers
// reach B's sites through B's slots, B's sent site is heard in A and never
// comes back to itself, the picture on A's stage (not only A's chair) is what
// B's sites see, a microphone paused or muted on one side shows closed on the
// other side's board within two seconds (and feeds no slot there), and two
// links asked at once make one, an unlink while a link opens leaves both
// sides without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import type { SpeakingBotConfig, SpeakingBotReport } from '../helpers/speakers/SpeakingBot.ts';
import { SpeakingFleet } from '../helpers/speakers/SpeakingFleet.ts';

const SECRET = 'cascade-test-secret-0123456789abcdef';
const NATIONAL = 'national-x';
const PROVINCE = 'province-y';
const B_IN_A = 'cascade-tinh-b';
const A_IN_B = 'cascade-quocgia';
const LINK = { deployment: 'quocgia', meetingId: NATIONAL, sendSiteId: 'B-site' };

let hubA: Hub | undefined;
let hubB: Hub | undefined;
let fleet: SpeakingFleet | undefined;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bot(hub: Hub, meetingId: string, label: string, role: 'chair' | 'site', camera: boolean) {
  const token = await tokenFor(hub, { meetingId, roomId: label, role, displayName: label, mode: 'discussion' });
  return { url: hub.url, token, label, requestTimeoutMs: 15_000, camera } satisfies SpeakingBotConfig;
}

async function until(
  what: string,
  check: (reports: Map<string, SpeakingBotReport>) => boolean,
  timeoutMs = 10_000,
): Promise<Map<string, SpeakingBotReport>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reports = await (fleet as SpeakingFleet).reports();
    if (check(reports)) return reports;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify([...reports.values()])}`);
    await pause(100);
  }
}

const heard = (r: Map<string, SpeakingBotReport>, listener: string, speaker: string) =>
  r.get(listener)?.heard[speaker]?.packets ?? 0;

beforeAll(async () => {
  hubA = await startTestHub(
    {
      HUB_SECRET: 'deployment-a-hub-secret-0123456789abcdef',
      CASCADE_NAME: 'quocgia',
      CASCADE_LINKS: JSON.stringify([
        { name: 'tinh-b', displayName: 'Tỉnh B', url: 'http://127.0.0.1:9', secret: SECRET },
      ]),
    },
    0,
  );
  hubB = await startTestHub(
    {
      HUB_SECRET: 'deployment-b-hub-secret-0123456789abcdef',
      CASCADE_NAME: 'tinh-b',
      CASCADE_LINKS: JSON.stringify([{ name: 'quocgia', displayName: 'Trung ương', url: hubA.url, secret: SECRET }]),
    },
    1,
  );
  fleet = await SpeakingFleet.spawn(2);
}, 60_000);

afterAll(async () => {
  fleet?.finish();
  await pause(300);
  fleet?.kill();
  await hubA?.close();
  await hubB?.close();
});

describe('what a live cascade link carries', () => {
  it('A’s speakers and stage down, B’s site up and not back, pauses both ways', { timeout: 150_000 }, async () => {
    const a = hubA as Hub;
    const b = hubB as Hub;
    const f = fleet as SpeakingFleet;
    // A's chair sends no camera: a picture of A in B is A's staged site's.
    f.start([
      await bot(a, NATIONAL, 'A-chair', 'chair', false),
      await bot(a, NATIONAL, 'A-site', 'site', true),
      await bot(b, PROVINCE, 'B-chair', 'chair', true),
      await bot(b, PROVINCE, 'B-site', 'site', false),
    ]);
    const labels = ['A-chair', 'A-site', 'B-chair', 'B-site'];
    const joined = await f.joined(labels, 30_000);
    expect(labels.map((l) => joined.get(l)?.error ?? null)).toEqual([null, null, null, null]);

    // B's chair links, sending B-site up.
    const { upstream } = await f.request('B-chair', 'linkUpstream', LINK);
    expect(upstream).toMatchObject({ state: 'live', siteId: A_IN_B, sendSiteId: 'B-site' });

    // ------------------------------------------------------------ A's speakers reach B's sites
    f.speak('A-site', true);
    await until(
      'B’s sites hearing A-site',
      (r) => heard(r, 'B-site', 'A-site') > 20 && heard(r, 'B-chair', 'A-site') > 20,
    );
    f.speak('A-site', false);

    // ------------------------------------------------------------ B's sent site: heard in A, never back in B
    f.speak('B-site', true);
    await until(
      'A’s sites hearing B-site',
      (r) => heard(r, 'A-site', 'B-site') > 50 && heard(r, 'A-chair', 'B-site') > 50,
    );
    await pause(1000);
    const echo = await f.reports();
    expect(heard(echo, 'B-site', 'B-site')).toBe(0);
    f.speak('B-site', false);

    // ------------------------------------------------------------ A's stage: B's sites see A's staged site
    await pause(500);
    expect((await f.reports()).get('B-site')?.videoPackets[A_IN_B] ?? 0).toBe(0);
    await f.request('A-chair', 'setStage', { siteId: 'A-site' });
    await until('B-site seeing A’s stage', (r) => (r.get('B-site')?.videoPackets[A_IN_B] ?? 0) > 20);

    // ------------------------------------------------------------ A's chair pauses its microphone: B's board shows it
    f.speak('A-chair', true);
    await until('B-site hearing A’s chair', (r) => heard(r, 'B-site', 'A-chair') > 20);
    const micOf = (r: Map<string, SpeakingBotReport>, viewer: string, site: string) => r.get(viewer)?.boardMic[site];
    expect(micOf(await f.reports(), 'B-chair', A_IN_B)).toBe(true);
    const aChairMic = joined.get('A-chair')?.micProducerId as string;
    let since = Date.now();
    await f.request('A-chair', 'pauseProducer', { producerId: aChairMic });
    await until('B’s board showing A’s microphone closed', (r) => micOf(r, 'B-chair', A_IN_B) === false, 2000);
    const pausedAfter = Date.now() - since;
    // Paused, it feeds none of B's slots: B-site stops hearing A's chair.
    await pause(500);
    const quiet = heard(await f.reports(), 'B-site', 'A-chair');
    await pause(1000);
    expect(heard(await f.reports(), 'B-site', 'A-chair')).toBe(quiet);
    since = Date.now();
    await f.request('A-chair', 'resumeProducer', { producerId: aChairMic });
    await until('B’s board showing A’s microphone open', (r) => micOf(r, 'B-chair', A_IN_B) === true, 2000);
    const resumedAfter = Date.now() - since;
    await until('B-site hearing A’s chair again', (r) => heard(r, 'B-site', 'A-chair') > quiet + 20);
    f.speak('A-chair', false);

    // ------------------------------------------------------------ B's chair mutes its sent site: A's board shows it
    expect(micOf(await f.reports(), 'A-chair', B_IN_A)).toBe(true);
    since = Date.now();
    await f.request('B-chair', 'setSiteMuted', { siteId: 'B-site', muted: true });
    await until('A’s board showing B muted', (r) => micOf(r, 'A-chair', B_IN_A) === false, 2000);
    const mutedAfter = Date.now() - since;
    await f.request('B-chair', 'setSiteMuted', { siteId: 'B-site', muted: false });
    await until('A’s board showing B unmuted', (r) => micOf(r, 'A-chair', B_IN_A) === true, 2000);
    console.log(`across the link: paused ${pausedAfter} ms, resumed ${resumedAfter} ms, muted ${mutedAfter} ms`);

    // ------------------------------------------------------------ two links at once make one
    await f.request('B-chair', 'unlinkUpstream', {});
    await until('B gone from A', (r) => r.get('A-chair')?.board[B_IN_A] === undefined);
    const twice = await Promise.all([
      f.request('B-chair', 'linkUpstream', LINK),
      f.request('B-chair', 'linkUpstream', LINK),
    ]);
    expect(twice.map((t) => t.upstream.state)).toEqual(['live', 'live']);
    expect(a.relays.size).toBe(1);
    const meetingB = b.meetings.get(PROVINCE);
    const chairB = meetingB?.sites.get('B-chair');
    if (!meetingB || !chairB) throw new Error('B’s meeting or chair is gone');
    // Not through one chair's queue: the meeting's own (a second chair tab, a scheduled link).
    meetingB.upstream.unlink();
    await until('B gone from A', (r) => r.get('A-chair')?.board[B_IN_A] === undefined);
    const both = await Promise.all([meetingB.upstream.open(chairB, LINK), meetingB.upstream.open(chairB, LINK)]);
    expect(both.map((u) => u.state)).toEqual(['live', 'live']);
    expect(a.relays.size).toBe(1);
    expect([...(a.meetings.get(NATIONAL)?.sites.keys() ?? [])].filter((id) => id.startsWith('cascade-'))).toEqual([
      B_IN_A,
    ]);

    // ------------------------------------------------------------ an unlink while a link opens
    meetingB.upstream.unlink();
    await until('B gone from A', (r) => r.get('A-chair')?.board[B_IN_A] === undefined);
    const opening = meetingB.upstream.open(chairB, LINK).catch((err: Error) => err);
    while (meetingB.state().upstream?.state !== 'connecting') await pause(1);
    meetingB.upstream.unlink();
    const outcome = await opening;
    expect(outcome).toBeInstanceOf(Error);
    expect(meetingB.state().upstream).toBeNull();
    expect(meetingB.sites.has(A_IN_B)).toBe(false);
    // A let its end go too, even if its answer came after the unlink.
    await until('A without B', (r) => r.get('A-chair')?.board[B_IN_A] === undefined && a.relays.size === 0, 5000);
    await pause(500);
    expect(a.relays.size).toBe(0);
    expect(a.meetings.get(NATIONAL)?.sites.has(B_IN_A)).toBe(false);
  });
});
