// Every control the chair uses from its console (mute a site, mute all, floor,
// stage, remove, lock, mode, end) is in the meeting's audit trail (GET
// /api/meetings/:id/audit), in order, naming the chair room and the user who
// asked for its join token; a refused request leaves no entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { bookMeetingNow, joinToken, login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true' }, 3);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close();
});

async function joinWith(token: string): Promise<SignalingClient> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  await c.ok('join', { token });
  return c;
}

interface Entry {
  action: string;
  userLogin: string | null;
  details: Record<string, unknown>;
}

describe('the chair’s console actions in the audit trail', () => {
  it('records mute, mute all, floor, stage, lock, mode, remove and end with the chair room and user', async () => {
    const secretariat = await login(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const chairUser = await login(hub, DEMO.chair);
    const [x01, x02] = DEMO.rooms;
    const meetingId = await bookMeetingNow(secretariat, 'Họp ghi nhật ký', DEMO.chairRoomId, [x01.roomId, x02.roomId]);
    const chair = await joinWith(await joinToken(chairUser, meetingId));
    const site = await joinWith(await joinToken(await login(hub, x01), meetingId));
    await joinWith(await joinToken(await login(hub, x02), meetingId));

    await chair.ok('setSiteMuted', { siteId: x01.roomId, muted: true });
    await chair.ok('muteAll', {});
    await chair.ok('setFloor', { siteId: x01.roomId, granted: true });
    await chair.ok('setStage', { siteId: x01.roomId });
    await chair.ok('setLocked', { locked: true });
    await chair.ok('setMode', { mode: 'briefing' });
    await chair.ok('removeSite', { siteId: x02.roomId });
    // Refused: no entry.
    expect((await chair.request('removeSite', { siteId: DEMO.chairRoomId })).ok).toBe(false);
    expect((await site.request('setLocked', { locked: false })).ok).toBe(false);
    await chair.ok('endMeeting', {});

    const expected: [string, Record<string, unknown>][] = [
      ['chair.setSiteMuted', { siteId: x01.roomId, muted: true }],
      ['chair.muteAll', { muted: 2 }],
      ['chair.setFloor', { siteId: x01.roomId, granted: true }],
      ['chair.setStage', { siteId: x01.roomId }],
      ['chair.setLocked', { locked: true }],
      ['chair.setMode', { mode: 'briefing' }],
      ['chair.removeSite', { siteId: x02.roomId }],
      ['meeting.end', {}],
    ];
    const entries = await waitFor('every action in the trail', async () => {
      const trail = await chairUser.call('GET', `/api/meetings/${meetingId}/audit`);
      const fromChair = (trail.body.entries as Entry[]).filter(
        (e) => e.action.startsWith('chair.') || e.action === 'meeting.end',
      );
      return fromChair.length >= expected.length ? fromChair : undefined;
    });
    expect(entries.map((e) => e.action)).toEqual(expected.map(([action]) => action));
    for (const [i, [, details]] of expected.entries()) {
      expect(entries[i]).toMatchObject({
        userLogin: DEMO.chair.login,
        details: { by: 'chair-site', roomId: DEMO.chairRoomId, ...details },
      });
    }
  });
});
