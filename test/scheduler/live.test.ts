// biome-ignore-all lint/suspicious/noExplicitAny: event payloads are loosely typed in tests
// Live updates over socket.io namespace /live, authenticated by session.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
const sockets: Socket[] = [];

beforeAll(async () => {
  hub = await startHub({}, { io: true });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await hub?.close();
});

function open(opts: Parameters<typeof connect>[1]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(`${hub.url}/live`, { transports: ['websocket'], reconnection: false, ...opts });
    sockets.push(s);
    s.on('live:ready', () => resolve(s));
    s.on('connect_error', reject);
  });
}

function next(s: Socket, event: string): Promise<any> {
  return new Promise((resolve) => s.once(event, resolve));
}

describe('live namespace', () => {
  it('refuses sockets without a session', async () => {
    await expect(open({})).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it("a room's open page and the secretariat hear invitation changes", async () => {
    const op = await hub.login('dc.h02.x01', 'diemcau123');
    const sec = await hub.login('vanphong.tinh', 'vanphong123');
    const other = await hub.login('dc.h01.x01', 'diemcau123');
    const roomSocket = await open({ auth: { token: op.token } });
    const secSocket = await open({ extraHeaders: { cookie: `diemcau_session=${sec.token}` } });
    const otherSocket = await open({ auth: { token: other.token } });
    let otherHeard = 0;
    otherSocket.on('invitation:changed', () => {
      otherHeard++;
    });

    const roomHears = next(roomSocket, 'invitation:changed');
    const secHears = next(secSocket, 'invitation:changed');
    const start = new Date(Date.UTC(2032, 5, 1, 1));
    const created = await sec.call('POST', '/api/meetings', {
      title: 'Họp có mời xã',
      startAt: vn(start),
      endAt: vn(new Date(start.getTime() + 3600_000)),
      chairRoomId: 'hbx-r1',
      invite: { roomIds: ['hbx-h02-x01-r1'] },
    });
    expect(created.status).toBe(201);
    const ev = await roomHears;
    expect(ev).toMatchObject({ meetingId: created.body.meeting.id, change: 'invited', roomIds: ['hbx-h02-x01-r1'] });
    expect((await secHears).meetingId).toBe(created.body.meeting.id);

    const answered = next(secSocket, 'invitation:changed');
    await op.call('POST', `/api/meetings/${created.body.meeting.id}/invitations/hbx-h02-x01-r1/respond`, {
      status: 'accepted',
    });
    expect(await answered).toMatchObject({ change: 'answered', roomId: 'hbx-h02-x01-r1', status: 'accepted' });
    expect(otherHeard).toBe(0);
  });
});
