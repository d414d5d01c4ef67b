// What the schedule takes back reaches the media at once: cancelling a live
// meeting, ending it, uninviting a room, moving the meeting to another chair
// room, deactivating a room or a user removes the sites
// concerned (their page gets `kicked` with the reason and its message, their
// transports close), and the join tokens issued before are refused from then on
// (TOKEN_REVOKED), on a fresh join as on a resume. A join racing a cancellation
// is never left inside.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KICK_REASONS } from '../../contract/signaling.ts';
import type { Hub } from '../../hub/Hub.ts';
import type { Peer } from '../../sfu/Peer.ts';
import { type ApiUser, bookMeetingNow, joinToken, login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
let secretariat: ApiUser;
let admin: ApiUser;
let chairUser: ApiUser;
const operators: ApiUser[] = [];
const clients: SignalingClient[] = [];
const [X01, X02, X03] = DEMO.rooms;

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true', SITE_RESUME_GRACE_MS: '5000' }, 2);
  [secretariat, admin, chairUser] = await Promise.all([
    login(hub, { login: 'vanphong.tinh', password: 'vanphong123' }),
    login(hub, { login: 'admin', password: 'admin123' }),
    login(hub, DEMO.chair),
  ]);
  operators.push(...(await Promise.all(DEMO.rooms.map((room) => login(hub, room)))));
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await hub?.close();
});

async function joinWith(token: string): Promise<SignalingClient> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  await c.ok('join', { token });
  return c;
}

/** The chair and the given operators' rooms joined to `meetingId`, each site sending a microphone. */
async function liveMeeting(meetingId: string, rooms: number[]) {
  const chair = await joinWith(await joinToken(chairUser, meetingId));
  const sites = [];
  for (const i of rooms) {
    const token = await joinToken(operators[i] as ApiUser, meetingId);
    const c = await joinWith(token);
    const send = await c.ok('createTransport', { direction: 'send' });
    await c.ok('produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: opusRtpParameters(7000 + i) as never,
    });
    const roomId = DEMO.rooms[i]?.roomId as string;
    const peer = hub.meetings.get(meetingId)?.sites.get(roomId) as Peer;
    sites.push({ c, token, roomId, peer, transportIds: [send.id] });
  }
  return { chair, sites };
}

async function refusal(token: string, resume?: { transportIds: string[] }) {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const ack = await c.request('join', { token, ...(resume && { resume }) });
  if (ack.ok) throw new Error('a revoked token was let in');
  return ack.error;
}

function expectMediaClosed(peer: Peer): void {
  expect(peer.released).toBe(true);
  expect(peer.transports.size).toBe(0);
}

describe('revocation reaches the media', () => {
  it('cancelling a live meeting removes every site at once; tokens issued before are refused', async () => {
    const meetingId = await bookMeetingNow(secretariat, 'Họp sẽ bị hủy', DEMO.chairRoomId, [X01.roomId, X02.roomId]);
    const { chair, sites } = await liveMeeting(meetingId, [0]);
    const unused = await joinToken(operators[1] as ApiUser, meetingId);
    const [site] = sites;
    if (!site) throw new Error('no site');

    const cancelled = await secretariat.call('POST', `/api/meetings/${meetingId}/cancel`, { reason: 'Hoãn họp' });
    expect(cancelled.status).toBe(200);
    const [message, messageEn] = KICK_REASONS.cancelled;
    expect(await site.c.next('kicked')).toEqual({ reason: 'cancelled', message, messageEn });
    expect(await chair.next('kicked')).toMatchObject({ reason: 'cancelled' });
    expectMediaClosed(site.peer);
    await waitFor('the meeting closed on the SFU', async () => hub.meetings.get(meetingId) === undefined);

    expect(await refusal(site.token)).toMatchObject({ code: 'TOKEN_REVOKED', messageEn });
    expect(await refusal(site.token, { transportIds: site.transportIds })).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(await refusal(unused)).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(hub.meetings.get(meetingId)).toBeUndefined();
  });

  it('uninviting a room removes its site only; its token stays refused after a new invitation', async () => {
    const meetingId = await bookMeetingNow(secretariat, 'Họp bỏ mời', DEMO.chairRoomId, [X01.roomId, X02.roomId]);
    const { chair, sites } = await liveMeeting(meetingId, [0, 1]);
    const [gone, staying] = sites;
    if (!gone || !staying) throw new Error('no sites');

    const removed = await secretariat.call('DELETE', `/api/meetings/${meetingId}/invitations/${gone.roomId}`);
    expect(removed.status).toBe(200);
    expect(await gone.c.next('kicked')).toMatchObject({ reason: 'uninvited', messageEn: KICK_REASONS.uninvited[1] });
    expect(await chair.next('peerLeft')).toEqual({ peerId: gone.roomId, reason: 'removed' });
    expectMediaClosed(gone.peer);
    const meeting = hub.meetings.get(meetingId);
    expect([...(meeting?.sites.keys() ?? [])].sort()).toEqual([DEMO.chairRoomId, staying.roomId].sort());
    expect(await refusal(gone.token)).toMatchObject({ code: 'TOKEN_REVOKED' });

    // Invited again: the old token names the old invitation and stays refused; a new one gets in.
    const again = await secretariat.call('POST', `/api/meetings/${meetingId}/invitations`, {
      roomIds: [gone.roomId],
      override: true,
    });
    expect(again.status).toBe(200);
    expect(await refusal(gone.token)).toMatchObject({ code: 'TOKEN_REVOKED' });
    await joinWith(await joinToken(operators[0] as ApiUser, meetingId));
    expect(meeting?.sites.has(gone.roomId)).toBe(true);
  });

  it('ending a meeting from the schedule removes its sites at once; their tokens answer MEETING_ENDED', async () => {
    const meetingId = await bookMeetingNow(secretariat, 'Họp kết thúc', DEMO.chairRoomId, [X01.roomId]);
    const { chair, sites } = await liveMeeting(meetingId, [0]);
    const [site] = sites;
    if (!site) throw new Error('no site');
    const ended = await secretariat.call('POST', `/api/meetings/${meetingId}/end`, {});
    expect(ended.status).toBe(200);
    expect(await site.c.next('kicked')).toMatchObject({ reason: 'ended', messageEn: KICK_REASONS.ended[1] });
    expect(await chair.next('kicked')).toMatchObject({ reason: 'ended' });
    expectMediaClosed(site.peer);
    expect(hub.meetings.get(meetingId)).toBeUndefined();
    expect(await refusal(site.token)).toMatchObject({ code: 'MEETING_ENDED' });
  });

  it('moving a meeting to another chair room removes the former chair site and refuses its token', async () => {
    const meetingId = await bookMeetingNow(secretariat, 'Họp đổi điểm chủ trì', DEMO.chairRoomId, [X01.roomId]);
    const chairToken = await joinToken(chairUser, meetingId);
    const chair = await joinWith(chairToken);
    const site = await joinWith(await joinToken(operators[0] as ApiUser, meetingId));
    const moved = await secretariat.call('PATCH', `/api/meetings/${meetingId}`, {
      chairRoomId: 'hbx-h01-r1',
      override: true,
    });
    expect(moved.status).toBe(200);
    expect(await chair.next('kicked')).toMatchObject({ reason: 'uninvited' });
    expect(await site.next('peerLeft')).toEqual({ peerId: DEMO.chairRoomId, reason: 'removed' });
    expect(await refusal(chairToken)).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(hub.meetings.get(meetingId)?.sites.has(X01.roomId)).toBe(true);
  });

  it('a join racing a cancellation is never left inside', async () => {
    const rooms = DEMO.rooms.map((r) => r.roomId);
    // The window is a few milliseconds wide: a few rounds, each with every room joining at once.
    for (let round = 0; round < 4; round++) {
      const meetingId = await bookMeetingNow(secretariat, `Họp hủy khi đang vào ${round}`, DEMO.chairRoomId, rooms);
      const tokens = await Promise.all([
        joinToken(chairUser, meetingId),
        ...operators.map((operator) => joinToken(operator, meetingId)),
      ]);
      const sockets = await Promise.all(
        tokens.map(async () => {
          const c = new SignalingClient(hub.url);
          clients.push(c);
          await c.connected();
          return c;
        }),
      );
      const joins = sockets.map((c, i) => c.request('join', { token: tokens[i] as string }));
      const cancel = secretariat.call('POST', `/api/meetings/${meetingId}/cancel`, { reason: 'Hoãn' });
      const acks = await Promise.all(joins);
      expect((await cancel).status).toBe(200);
      for (const [i, ack] of acks.entries()) {
        // Refused, or let in and then told to go.
        if (!ack.ok) expect(ack.error.code).toBe('TOKEN_REVOKED');
        else expect(await sockets[i]?.next('kicked')).toMatchObject({ reason: 'cancelled' });
      }
      await waitFor('no site left in the cancelled meeting', async () => !hub.meetings.get(meetingId)?.sites.size);
    }
  });

  it('deactivating a room or a user removes their sites at once and refuses their tokens', async () => {
    const meetingId = await bookMeetingNow(secretariat, 'Họp ngừng hoạt động', DEMO.chairRoomId, [
      X02.roomId,
      X03.roomId,
    ]);
    const { chair, sites } = await liveMeeting(meetingId, [1, 2]);
    const [ofUser, ofRoom] = sites;
    if (!ofUser || !ofRoom) throw new Error('no sites');
    try {
      const room = await admin.call('PATCH', `/api/rooms/${ofRoom.roomId}`, { active: false });
      expect(room.status).toBe(200);
      expect(await ofRoom.c.next('kicked')).toMatchObject({ reason: 'deactivated' });
      expectMediaClosed(ofRoom.peer);
      expect(await refusal(ofRoom.token)).toMatchObject({ code: 'TOKEN_REVOKED' });
    } finally {
      await admin.call('PATCH', `/api/rooms/${ofRoom.roomId}`, { active: true });
    }

    // The operator who asked for this site's token is deactivated: the site goes, its room stays active.
    const user = await admin.call('DELETE', `/api/users/${(operators[1] as ApiUser).userId}`);
    expect(user.status).toBe(200);
    expect(await ofUser.c.next('kicked')).toMatchObject({ reason: 'deactivated' });
    expectMediaClosed(ofUser.peer);
    expect(await refusal(ofUser.token)).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(hub.meetings.get(meetingId)?.sites.has(DEMO.chairRoomId)).toBe(true);
    chair.close();
  });
});
