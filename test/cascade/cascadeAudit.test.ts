// A cascade link in both meetings' audit trails (GET /api/meetings/:id/audit),
// two real hubs as two deployments, each with its own schedule: in B's
// meeting, its chair's link and unlink (`chair.linkUpstream`,
// `chair.unlinkUpstream`) and the link's life (`cascade.upstream.live`,
// `.closed`, `.lost` with why, naming A and its meeting); in A's meeting, B
// relaying it and letting go (`cascade.downstream.opened`, `.closed`). The
// secretariat who booked each meeting reads them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { type ApiUser, bookMeetingNow, joinToken, login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const SECRET = 'cascade-test-secret-0123456789abcdef';
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };

let hubA: Hub | undefined;
let hubB: Hub | undefined;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hubA = await startTestHub(
    {
      DEMO_DATA: 'true',
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
      DEMO_DATA: 'true',
      HUB_SECRET: 'deployment-b-hub-secret-0123456789abcdef',
      CASCADE_NAME: 'tinh-b',
      CASCADE_LINKS: JSON.stringify([{ name: 'quocgia', displayName: 'Trung ương', url: hubA.url, secret: SECRET }]),
      CASCADE_LOST_AFTER_MS: '1500',
    },
    1,
  );
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hubA?.close();
  await hubB?.close();
});

async function joinWith(hub: Hub, token: string): Promise<SignalingClient> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  await c.ok('join', { token });
  return c;
}

interface Entry {
  action: string;
  details: Record<string, unknown>;
}

async function trail(user: ApiUser, meetingId: string, count: number): Promise<Entry[]> {
  return waitFor(
    `${count} cascade entries`,
    async () => {
      const res = await user.call('GET', `/api/meetings/${meetingId}/audit`);
      if (res.status !== 200) throw new Error(`audit: ${res.status} ${JSON.stringify(res.body)}`);
      const entries = (res.body.entries as Entry[]).filter(
        (e) => e.action.startsWith('cascade.') || e.action.endsWith('Upstream'),
      );
      return entries.length >= count ? entries : undefined;
    },
    10_000,
  );
}

describe('a cascade link in the audit trails', () => {
  it('records the chair’s link and unlink, and the link live, closed and lost, on both sides', {
    timeout: 90_000,
  }, async () => {
    const a = hubA as Hub;
    const b = hubB as Hub;
    const [x01] = DEMO.rooms;
    const secretariatA = await login(a, SECRETARIAT);
    const secretariatB = await login(b, SECRETARIAT);
    const meetingA = await bookMeetingNow(secretariatA, 'Hội nghị trực tuyến toàn quốc', DEMO.chairRoomId, [
      x01.roomId,
    ]);
    const meetingB = await bookMeetingNow(secretariatB, 'Tỉnh B theo dõi hội nghị', DEMO.chairRoomId, [x01.roomId]);
    // A's meeting is live (one site); B's chair is in its own.
    await joinWith(a, await joinToken(await login(a, x01), meetingA));
    const chair = await joinWith(b, await joinToken(await login(b, DEMO.chair), meetingB));

    const link = { deployment: 'quocgia', meetingId: meetingA };
    expect((await chair.ok('linkUpstream', link)).upstream.state).toBe('live');
    await chair.ok('unlinkUpstream', {});
    expect((await chair.ok('linkUpstream', link)).upstream.state).toBe('live');

    // A's side: B relaying its meeting, letting go, relaying again.
    const onA = await trail(secretariatA, meetingA, 3);
    expect(onA.map((e) => e.action)).toEqual([
      'cascade.downstream.opened',
      'cascade.downstream.closed',
      'cascade.downstream.opened',
    ]);
    expect(onA[0]?.details).toMatchObject({ by: 'cascade', deployment: 'tinh-b', displayName: 'Tỉnh B' });

    // A goes away: B's link is lost, and B's trail says why.
    await a.close();
    hubA = undefined;
    const onB = await trail(secretariatB, meetingB, 7);
    const cascade = onB.filter((e) => e.action.startsWith('cascade.'));
    expect(cascade.map((e) => e.action)).toEqual([
      'cascade.upstream.live',
      'cascade.upstream.closed',
      'cascade.upstream.live',
      'cascade.upstream.lost',
    ]);
    for (const entry of cascade) {
      expect(entry.details).toMatchObject({
        deployment: 'quocgia',
        displayName: 'Trung ương',
        upstreamMeetingId: meetingA,
      });
    }
    expect(cascade[3]?.details.reasonEn).toMatch(/closed the link|Lost contact/);
    const chairs = onB.filter((e) => e.action.startsWith('chair.'));
    expect(chairs.map((e) => e.action)).toEqual(['chair.linkUpstream', 'chair.unlinkUpstream', 'chair.linkUpstream']);
    expect(chairs[0]?.details).toMatchObject({ by: 'chair-site', roomId: DEMO.chairRoomId, meetingId: meetingA });
  });
});
