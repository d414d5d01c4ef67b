// The hub calling a room system that challenges incoming calls (digest), with
// a real SIP user agent as the room (the npm `sip` stack over UDP, answering
// 401 with its own realm, then 486 Busy Here to a right answer so that no
// media is needed): the administrator stores the hub's account on the room
// (user, the room's realm, password: only its HA1 is kept and never shown);
// when the meeting opens, the hub answers the challenge once — the room
// verifies it against the password — and the chair hears the room's answer
// (486); with a wrong stored password the room challenges again and the hub
// gives up after that second INVITE (the chair hears 401), no loop.
import * as sip from 'sip';
import { authenticateRequest, challenge, type DigestContext } from 'sip/digest.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomCallProgress } from '../../contract/sip.ts';
import type { Hub } from '../../hub/Hub.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const ports = sipPortBlock();
const ROOM_PORT = ports.endpoints[2] as number;
const REALM = 'polycom-room';
const HUB_ACCOUNT = { user: 'diemcau-hub', password: 'room-side-secret' };
const RIGHT = DEMO.rooms[0].roomId;
const WRONG = DEMO.rooms[1].roomId;

interface Seen {
  to: string;
  seq: number;
  answered: boolean;
  verified: boolean;
}

describe('SIP dial-out to a room that challenges the hub', () => {
  let hub: Hub;
  let room: sip.Stack;
  const seen: Seen[] = [];
  const challenges = new Map<string, DigestContext>();

  beforeAll(async () => {
    // The room system: challenges every call, verifies the answer against the hub's password on it.
    room = sip.create({ port: ROOM_PORT, address: '127.0.0.1', tcp: false }, (request) => {
      if (request.method !== 'INVITE') return;
      const callId = request.headers['call-id'];
      const ctx = challenges.get(callId);
      const answered = Boolean(request.headers.authorization?.length);
      const verified = ctx !== undefined && answered && authenticateRequest(ctx, request, HUB_ACCOUNT);
      seen.push({ to: sip.parseUri(request.uri).user ?? '', seq: request.headers.cseq.seq, answered, verified });
      if (verified) {
        room.send(sip.makeResponse(request, 486, 'Busy Here'));
        return;
      }
      const fresh: DigestContext = { realm: REALM, qop: 'auth' };
      challenges.set(callId, fresh);
      room.send(challenge(fresh, sip.makeResponse(request, 401, 'Unauthorized')));
    });
    hub = await startTestHub({ DEMO_DATA: 'true', SIP_PORT: String(ports.hub) });
  }, 120_000);

  afterAll(async () => {
    room?.destroy();
    await hub?.close();
  });

  it('answers the room’s challenge with the stored HA1, once', { timeout: 60_000 }, async () => {
    const admin = await apiLogin(hub, { login: 'admin', password: 'admin123' });
    for (const [roomId, user, password] of [
      [RIGHT, 'right', HUB_ACCOUNT.password],
      [WRONG, 'wrong', 'not-the-password'],
    ] as const) {
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, {
        user,
        password: 'secret123',
        uri: `sip:${user}@127.0.0.1:${ROOM_PORT}`,
        dialAuth: { user: HUB_ACCOUNT.user, realm: REALM, password },
      });
      expect(set.status).toBe(200);
      expect(set.body.room.sipDialUser).toBe(HUB_ACCOUNT.user);
      expect(set.body.room.sipDialRealm).toBe(REALM);
      expect(set.body.room.sipDialHa1).toBeUndefined();
      expect(JSON.stringify(set.body)).not.toContain(password);
    }
    const secretariat = await apiLogin(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const meetingId = await bookMeetingNow(secretariat, 'Họp gọi thiết bị có xác thực', DEMO.chairRoomId, [
      RIGHT,
      WRONG,
    ]);
    const chair = new SignalingClient(hub.url);
    const progress: RoomCallProgress[] = [];
    chair.socket.on('roomCall', (p) => progress.push(p));
    try {
      await chair.connected();
      await chair.ok('join', { token: await tokenFor(hub, { meetingId, roomId: DEMO.chairRoomId, role: 'chair' }) });
      const outcome = (siteId: string) => progress.find((p) => p.siteId === siteId && p.state === 'failed');
      await waitFor('both calls ended', async () => outcome(RIGHT) && outcome(WRONG), 20_000);
      // Past the challenge: the room's own answer to a verified call.
      expect(outcome(RIGHT)).toMatchObject({ sipStatus: 486, sipReason: 'Busy Here' });
      expect(outcome(WRONG)).toMatchObject({ sipStatus: 401 });
      expect(seen.filter((s) => s.to === 'right')).toEqual([
        { to: 'right', seq: 1, answered: false, verified: false },
        { to: 'right', seq: 2, answered: true, verified: true },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(seen.filter((s) => s.to === 'wrong')).toEqual([
        { to: 'wrong', seq: 1, answered: false, verified: false },
        { to: 'wrong', seq: 2, answered: true, verified: false },
      ]);
    } finally {
      chair.close();
    }
  });
});
