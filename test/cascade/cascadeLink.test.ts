// A cascade link between two deployments, each a real hub with its own data
// directory, HUB_SECRET and RTC ports, sharing only the link's secret:
// province B's chair links its meeting to national meeting X of deployment A.
// Real WebRTC sites (werift bots) on both sides: a site of B receives A's
// chair's voice and picture, A's chair sees B on its board and A's sites
// receive B when it is staged; a request without the right credential is
// refused with 401 and opens nothing; A's chair coming on air after the link
// opened reaches B (the link's sync); B's chair unlinks (A's meeting lets B's
// site go) and links again; when A goes away, B's meeting goes on and its
// chair is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../hub/cascade/credential.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import type { SpeakingBotConfig, SpeakingBotReport } from '../helpers/speakers/SpeakingBot.ts';
import { SpeakingFleet } from '../helpers/speakers/SpeakingFleet.ts';

const SECRET = 'cascade-test-secret-0123456789abcdef';
const NATIONAL = 'national-x';
const PROVINCE = 'province-y';
/** B's site in A's meeting, and A's in B's (sfu/cascade/CascadeSetup.ts cascadeSiteId). */
const B_IN_A = 'cascade-tinh-b';
const A_IN_B = 'cascade-quocgia';

let hubA: Hub | undefined;
let hubB: Hub | undefined;
let fleet: SpeakingFleet | undefined;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bot(hub: Hub, meetingId: string, label: string, role: 'chair' | 'site'): Promise<SpeakingBotConfig> {
  const token = await tokenFor(hub, { meetingId, roomId: label, role, displayName: label, mode: 'discussion' });
  return { url: hub.url, token, label, requestTimeoutMs: 15_000, camera: role === 'chair' };
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
    await pause(250);
  }
}

function relayUrl(hub: Hub): string {
  return `${hub.url}/api/cascade/relay`;
}

beforeAll(async () => {
  hubA = await startTestHub(
    {
      HUB_SECRET: 'deployment-a-hub-secret-0123456789abcdef',
      CASCADE_NAME: 'quocgia',
      // A never calls B: the address is B's for the record only.
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
      CASCADE_LINKS: JSON.stringify([
        { name: 'quocgia', displayName: 'Trung ương', url: hubA.url, secret: SECRET },
        // The same deployment A, configured here with a secret A does not share.
        { name: 'quocgia-sai', displayName: 'Trung ương (sai khóa)', url: hubA.url, secret: `${SECRET}-wrong` },
      ]),
      CASCADE_LOST_AFTER_MS: '2000',
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

describe('a cascade link between two deployments', () => {
  it('relays A’s chair into B’s meeting and B’s chair back into A’s', { timeout: 120_000 }, async () => {
    const a = hubA as Hub;
    const b = hubB as Hub;
    const f = fleet as SpeakingFleet;
    // A's meeting is on with one site; its chair comes on air after B has linked.
    f.start([
      await bot(a, NATIONAL, 'A-site', 'site'),
      await bot(b, PROVINCE, 'B-chair', 'chair'),
      await bot(b, PROVINCE, 'B-site', 'site'),
    ]);
    const labels = ['A-site', 'B-chair', 'B-site'];
    const joined = await f.joined(labels, 30_000);
    expect(labels.map((l) => joined.get(l)?.error ?? null)).toEqual([null, null, null]);
    f.speak('B-chair', true);

    // ------------------------------------------------------------ the credential
    const body = JSON.stringify({ meetingId: NATIONAL });
    const anonymous = await fetch(relayUrl(a), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { messageEn: string } }).error.messageEn).toMatch(
      /Missing the cascade credential/,
    );
    const forged = await fetch(relayUrl(a), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders('tinh-b', 'not-the-shared-secret-0123456789abcdef', {
          method: 'POST',
          path: '/api/cascade/relay',
          body,
        }),
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { messageEn: string } }).error.messageEn).toMatch(
      /Wrong cascade signature/,
    );
    // The right secret, but the same signed request twice: the second is a replay.
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders('tinh-b', SECRET, { method: 'POST', path: '/api/cascade/relay', body }),
    };
    expect((await fetch(relayUrl(a), { method: 'POST', headers, body })).status).toBe(400);
    const replay = await fetch(relayUrl(a), { method: 'POST', headers, body });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { messageEn: string } }).error.messageEn).toMatch(/replay/);
    // Nothing opened: no relay, no site of B in A's meeting.
    expect(a.relays.size).toBe(0);
    expect([...(a.meetings.get(NATIONAL)?.sites.keys() ?? [])].sort()).toEqual(['A-site']);

    // B's chair links with a secret A does not share: refused in A's words, nothing opened on either side.
    await expect(
      f.request('B-chair', 'linkUpstream', { deployment: 'quocgia-sai', meetingId: NATIONAL }),
    ).rejects.toThrow(/UPSTREAM_FAILED .*refused \(401\): Wrong cascade signature/);
    expect(a.relays.size).toBe(0);
    expect([...(a.meetings.get(NATIONAL)?.sites.keys() ?? [])].sort()).toEqual(['A-site']);
    expect([...(b.meetings.get(PROVINCE)?.sites.keys() ?? [])].sort()).toEqual(['B-chair', 'B-site']);
    expect(b.meetings.get(PROVINCE)?.state().upstream?.state).toBe('lost');

    // ------------------------------------------------------------ B's chair links its meeting to A's
    const { upstream } = await f.request('B-chair', 'linkUpstream', { deployment: 'quocgia', meetingId: NATIONAL });
    expect(upstream).toMatchObject({ deployment: 'quocgia', state: 'live', siteId: A_IN_B, sendSiteId: 'B-chair' });
    expect(a.relays.size).toBe(1);
    expect([...(a.meetings.get(NATIONAL)?.sites.keys() ?? [])].sort()).toEqual(['A-site', B_IN_A]);

    // A's chair comes on air: the link's sync carries it to B.
    f.start([await bot(a, NATIONAL, 'A-chair', 'chair')]);
    expect((await f.joined(['A-chair'], 30_000)).get('A-chair')?.error ?? null).toBeNull();
    f.speak('A-chair', true);

    // A site of B receives A's chair: its picture on B's stage, its voice through B's slots.
    await until(
      'B-site receiving A’s chair',
      (r) =>
        (r.get('B-site')?.videoPackets[A_IN_B] ?? 0) > 20 && (r.get('B-site')?.heard['A-chair']?.packets ?? 0) > 20,
    );
    const bState = (await f.reports()).get('B-chair')?.meeting;
    expect(bState?.stageSiteId).toBe(A_IN_B);
    expect(bState?.upstream?.state).toBe('live');

    // A's chair sees B on its board; staged, A's site receives B's chair picture and voice.
    const boards = await until('B on A’s chair board', (r) => r.get('A-chair')?.board[B_IN_A] !== undefined);
    expect(boards.get('A-chair')?.board[B_IN_A]).toBe('Tỉnh B');
    await f.request('A-chair', 'setStage', { siteId: B_IN_A });
    await until(
      'A-site receiving B’s chair',
      (r) =>
        (r.get('A-site')?.videoPackets[B_IN_A] ?? 0) > 20 && (r.get('A-site')?.heard['B-chair']?.packets ?? 0) > 20,
    );
    // Nobody hears its own voice come back over the link.
    const reports = await f.reports();
    expect(reports.get('A-chair')?.heard['A-chair']).toBeUndefined();
    expect(reports.get('B-chair')?.heard['B-chair']).toBeUndefined();

    // ------------------------------------------------------------ B's chair unlinks, then links again
    await f.request('B-chair', 'unlinkUpstream', {});
    expect(b.meetings.get(PROVINCE)?.state().upstream).toBeNull();
    expect([...(b.meetings.get(PROVINCE)?.sites.keys() ?? [])].sort()).toEqual(['B-chair', 'B-site']);
    await until('B’s site gone from A’s board', (r) => r.get('A-chair')?.board[B_IN_A] === undefined);
    expect(a.relays.size).toBe(0);
    const again = await f.request('B-chair', 'linkUpstream', { deployment: 'quocgia', meetingId: NATIONAL });
    expect(again.upstream.state).toBe('live');
    const before = (await f.reports()).get('B-site')?.videoPackets[A_IN_B] ?? 0;
    await until('A’s chair on B’s stage again', (r) => (r.get('B-site')?.videoPackets[A_IN_B] ?? 0) > before + 20);

    // ------------------------------------------------------------ A goes away
    await a.close();
    hubA = undefined;
    const lost = await until(
      'B’s chair told the link is lost',
      (r) => r.get('B-chair')?.meeting?.upstream?.state === 'lost',
    );
    // A stopping answers B's held sync at once (the link no longer stands there); a cut network would be silence.
    expect(lost.get('B-chair')?.meeting?.upstream?.messageEn).toMatch(/closed the link|Lost contact/);
    expect(lost.get('B-chair')?.meeting?.stageSiteId).toBeNull();
    // B's meeting goes on without A's site.
    expect([...(b.meetings.get(PROVINCE)?.sites.keys() ?? [])].sort()).toEqual(['B-chair', 'B-site']);
  });
});
