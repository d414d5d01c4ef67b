// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// What the administrator's rooms screen reads: each room's operators, when its
// site last joined a meeting, and its last technical check as its operator's
// browser reported it; and the room list of a secretariat, held to its unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let admin: Client;
let operator: Client;

const ROOM = 'hbx-h01-x01-r1';

beforeAll(async () => {
  hub = await startHub();
  admin = await hub.login('admin', 'admin123');
  operator = await hub.login('dc.h01.x01', 'diemcau123');
});
afterAll(() => hub?.close());

const overviewOf = async (roomId: string) => {
  const res = await admin.call('GET', '/api/rooms/overview');
  expect(res.status).toBe(200);
  return res.body.rooms.find((r: any) => r.id === roomId);
};

describe('rooms overview', () => {
  it('stores the operator’s technical check and shows it to the administrator', async () => {
    expect((await overviewOf(ROOM)).techCheck).toBeNull();
    const check = { camera: true, microphone: false, network: true, serverRttMs: 42 };
    const posted = await operator.call('POST', `/api/rooms/${ROOM}/tech-check`, check);
    expect(posted.status).toBe(200);
    const seen = await overviewOf(ROOM);
    expect(seen.techCheck).toMatchObject(check);
    expect(Date.parse(seen.techCheck.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.operators.map((o: any) => o.login)).toEqual(['dc.h01.x01']);
  });

  it('refuses a check for another room, or in a wrong shape, changing nothing', async () => {
    const other = await operator.call('POST', '/api/rooms/hbx-h01-x02-r1/tech-check', {
      camera: true,
      microphone: true,
      network: true,
      serverRttMs: 5,
    });
    expect(other.status).toBe(403);
    const wrong = await operator.call('POST', `/api/rooms/${ROOM}/tech-check`, { camera: 'yes' });
    expect(wrong.status).toBe(400);
    expect((await overviewOf('hbx-h01-x02-r1')).techCheck).toBeNull();
    expect((await overviewOf(ROOM)).techCheck.microphone).toBe(false);
    expect((await operator.call('GET', '/api/rooms/overview')).status).toBe(403);
  });

  it('shows when the site last joined a meeting, and whether it is in one now', async () => {
    const invitation = await hub.scheduler.db.invitation.findFirstOrThrow({ where: { roomId: ROOM } });
    const joinedAt = new Date(Date.now() - 60_000);
    // The demo's past meetings: an earlier join, and none open now.
    expect(Date.parse((await overviewOf(ROOM)).lastJoinedAt)).toBeLessThan(joinedAt.getTime());
    await hub.scheduler.recordPresence({
      meetingId: invitation.meetingId,
      roomId: ROOM,
      event: 'joined',
      at: joinedAt,
    });
    const live = await overviewOf(ROOM);
    expect(live).toMatchObject({ lastJoinedAt: joinedAt.toISOString(), connectedNow: true });
    await hub.scheduler.recordPresence({
      meetingId: invitation.meetingId,
      roomId: ROOM,
      event: 'left',
      at: new Date(),
    });
    expect(await overviewOf(ROOM)).toMatchObject({ lastJoinedAt: joinedAt.toISOString(), connectedNow: false });
  });

  it('shows a SIP room’s user name and dial-out address, never its HA1; a browser room has none', async () => {
    expect((await overviewOf(ROOM)).sip).toBeNull();
    const sip = { user: 'xa-tan-phu', password: 'mat-khau-sip-1', uri: 'sip:phonghop@10.1.2.3:5060' };
    expect((await admin.call('PUT', `/api/rooms/${ROOM}/sip`, sip)).status).toBe(200);
    const seen = await overviewOf(ROOM);
    expect(seen.sip).toEqual({ user: 'xa-tan-phu', uri: 'sip:phonghop@10.1.2.3:5060' });
    const ha1 = (await hub.scheduler.db.endpointRoom.findUniqueOrThrow({ where: { id: ROOM } })).sipHa1;
    expect(ha1).toMatch(/^[0-9a-f]{32}$/);
    const all = JSON.stringify((await admin.call('GET', '/api/rooms/overview')).body);
    expect(all).not.toContain(ha1);
    expect(all).not.toContain('mat-khau-sip-1');
    expect((await admin.call('PUT', `/api/rooms/${ROOM}/sip`, { ...sip, uri: null })).status).toBe(200);
    expect((await overviewOf(ROOM)).sip).toEqual({ user: 'xa-tan-phu', uri: null });
    expect((await admin.call('DELETE', `/api/rooms/${ROOM}/sip`)).status).toBe(200);
    expect((await overviewOf(ROOM)).sip).toBeNull();
  });
});

describe('GET /api/rooms by scope', () => {
  it('a district secretariat lists only its district’s rooms; the administrator lists all', async () => {
    const district = await hub.login('vanphong.tanphong', 'vanphong123');
    const own = await district.call('GET', '/api/rooms');
    expect(own.status).toBe(200);
    expect(own.body.count).toBeGreaterThan(0);
    expect(own.body.rooms.every((r: any) => r.unitId.startsWith('hbx-h01'))).toBe(true);
    const asked = await district.call('GET', '/api/rooms?unitId=hbx-h02');
    expect(asked.body.count).toBe(0);
    const all = await admin.call('GET', '/api/rooms');
    expect(all.body.count).toBe(302);
    const chair = await hub.login('chutri.tanphong', 'chutri123');
    expect((await chair.call('GET', '/api/rooms')).body.count).toBe(own.body.count);
  });
});
