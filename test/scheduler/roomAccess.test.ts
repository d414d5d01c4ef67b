// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// What a room reaches through the scheduler API over real HTTP on a real SQLite
// file seeded with the demo province: its calendar, its invitations, its join tokens.
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJoinToken } from '../../contract/joinToken.ts';
import { type Client, hours, SECRET, startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
let admin: Client;
let provSec: Client; // vanphong.tinh: whole province
let chairProv: Client;
let opX01: Client; // operator of hbx-h01-x01-r1, invited to demo-live
let opH02: Client; // operator of hbx-h02-x01-r1, not invited to Tân Phong meetings

beforeAll(async () => {
  hub = await startHub();
  [admin, provSec, chairProv, opX01, opH02] = await Promise.all([
    hub.login('admin', 'admin123'),
    hub.login('vanphong.tinh', 'vanphong123'),
    hub.login('chutri.tinh', 'chutri123'),
    hub.login('dc.h01.x01', 'diemcau123'),
    hub.login('dc.h02.x01', 'diemcau123'),
  ]);
});

afterAll(async () => {
  await hub?.close();
});

describe('calendar', () => {
  it('the meeting .ics parses back with the right UTC times', async () => {
    const start = new Date(Date.UTC(2031, 5, 2, 1, 0, 0)); // a Monday 08:00 local, far from the demo meetings
    const end = new Date(start.getTime() + hours(2));
    const created = await provSec.call('POST', '/api/meetings', {
      title: 'Hội nghị học tập Nghị quyết',
      invitationNumber: '12/GM-UBND',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
    });
    const id = created.body.meeting.id;
    const res = await provSec.call('GET', `/api/meetings/${id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const parsed = ical.sync.parseICS(res.text);
    const events = Object.values(parsed).filter((c: any) => c.type === 'VEVENT') as any[];
    expect(events).toHaveLength(1);
    expect(events[0].summary).toBe('Hội nghị học tập Nghị quyết');
    expect(new Date(events[0].start).toISOString()).toBe(start.toISOString());
    expect(new Date(events[0].end).toISOString()).toBe(end.toISOString());
    expect(events[0].description).toMatch(/12\/GM-UBND/);
  });

  it("the room feed lists the room's meetings, by session or by feed token", async () => {
    const room = await opX01.call('GET', '/api/rooms/hbx-h01-x01-r1');
    expect(room.status).toBe(200);
    const feed = await hub.call('GET', room.body.calendarFeedUrl);
    expect(feed.status).toBe(200);
    const events = Object.values(ical.sync.parseICS(feed.text)).filter((c: any) => c.type === 'VEVENT') as any[];
    const live = events.find((e) => String(e.uid).startsWith('demo-live@'));
    expect(live).toBeTruthy();
    const m = await hub.scheduler.db.meeting.findUniqueOrThrow({ where: { id: 'demo-live' } });
    expect(new Date(live.start).toISOString()).toBe(m.startAt.toISOString());
    expect((await hub.call('GET', '/api/rooms/hbx-h01-x01-r1/calendar.ics?token=nope')).status).toBe(401);
    expect((await opH02.call('GET', '/api/rooms/hbx-h01-x01-r1/calendar.ics')).status).toBe(404);
  });
});

describe('join tokens', () => {
  it('the chair room gets role chair and an invited room role site; tokens verify', async () => {
    const chair = await chairProv.call('POST', '/api/meetings/demo-live/join-token', {});
    expect(chair.status).toBe(200);
    expect(chair.body.role).toBe('chair');
    const claims = await verifyJoinToken(chair.body.token, SECRET);
    expect(claims).toMatchObject({ meetingId: 'demo-live', roomId: 'hbx-r1', role: 'chair', mode: 'briefing' });
    expect(Array.isArray(chair.body.iceServers)).toBe(true);

    const site = await opX01.call('POST', '/api/meetings/demo-live/join-token');
    expect(site.status).toBe(200);
    const sc = await verifyJoinToken(site.body.token, SECRET);
    expect(sc).toMatchObject({ meetingId: 'demo-live', roomId: 'hbx-h01-x01-r1', role: 'site' });
    expect(sc.displayName).toMatch(/^UBND thị trấn/);
    await expect(verifyJoinToken(site.body.token, 'another-secret-another-secret-xx')).rejects.toThrow();

    const opChair = await hub.login('dc.tinh', 'diemcau123');
    expect((await opChair.call('POST', '/api/meetings/demo-live/join-token')).body.role).toBe('chair');
    // An operator may not ask for another room.
    const other = await opX01.call('POST', '/api/meetings/demo-live/join-token', { roomId: 'hbx-h01-x02-r1' });
    expect(other.status).toBe(403);
    // Nor may the secretariat or an admin take an invited room's place: a site's token is its operator's alone.
    for (const user of [provSec, admin]) {
      const asRoom = await user.call('POST', '/api/meetings/demo-live/join-token', { roomId: 'hbx-h01-x01-r1' });
      expect(asRoom.status).toBe(403);
      expect(asRoom.body.error.code).toBe('FORBIDDEN');
    }
    // The secretariat gets the chair room's token (it may chair its meetings).
    expect((await provSec.call('POST', '/api/meetings/demo-live/join-token', {})).body.role).toBe('chair');
  });

  it('refuses rooms not invited, wrong meetings, too early, after the end, cancelled', async () => {
    expect((await opH02.call('POST', '/api/meetings/demo-live/join-token')).status).toBe(404);
    const notInvited = await admin.call('POST', '/api/meetings/demo-live/join-token', { roomId: 'hbx-h02-x01-r1' });
    expect(notInvited.status).toBe(403);
    expect((await opX01.call('POST', '/api/meetings/no-such-meeting/join-token')).status).toBe(404);

    const early = await chairProv.call('POST', '/api/meetings/demo-hoc-tap-nghi-quyet/join-token');
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('TOO_EARLY');
    expect(early.body.error.message).toMatch(/kiểm tra kỹ thuật/);

    const over = await opX01.call('POST', '/api/meetings/demo-giao-ban-thang/join-token');
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('MEETING_OVER');

    // Default window opens JOIN_LEAD_MINUTES (60) before the start; an explicit techCheckAt wins.
    const now = Date.now();
    const soon = await provSec.call('POST', '/api/meetings', {
      title: 'Họp sau 50 phút',
      startAt: vn(new Date(now + 50 * 60_000)),
      endAt: vn(new Date(now + 110 * 60_000)),
      chairRoomId: 'hbx-r5',
      invite: { roomIds: ['hbx-h02-x01-r1'] },
      override: true,
    });
    expect(soon.status).toBe(201);
    const ok = await opH02.call('POST', `/api/meetings/${soon.body.meeting.id}/join-token`);
    expect(ok.status).toBe(200);
    const tc = await provSec.call('PATCH', `/api/meetings/${soon.body.meeting.id}`, {
      techCheckAt: vn(new Date(now + 30 * 60_000)),
    });
    expect(tc.status).toBe(200);
    expect((await opH02.call('POST', `/api/meetings/${soon.body.meeting.id}/join-token`)).body.error.code).toBe(
      'TOO_EARLY',
    );
    await provSec.call('PATCH', `/api/meetings/${soon.body.meeting.id}`, { techCheckAt: null });
    await provSec.call('POST', `/api/meetings/${soon.body.meeting.id}/cancel`, { reason: 'Hủy để thử' });
    const cancelled = await opH02.call('POST', `/api/meetings/${soon.body.meeting.id}/join-token`);
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe('MEETING_CANCELLED');
  });
});

describe('invitations answered by the room', () => {
  it('an operator lists and answers its own invitations only', async () => {
    const list = await opX01.call('GET', '/api/invitations');
    expect(list.status).toBe(200);
    expect(list.body.invitations.map((i: any) => i.meeting.id)).toContain('demo-live');
    const decline = await opX01.call('POST', '/api/meetings/demo-live/invitations/hbx-h01-x01-r1/respond', {
      status: 'declined',
    });
    expect(decline.status).toBe(400); // a reason is needed
    const accept = await opX01.call('POST', '/api/meetings/demo-live/invitations/hbx-h01-x01-r1/respond', {
      status: 'accepted',
      note: 'Sẵn sàng',
    });
    expect(accept.status).toBe(200);
    const inv = await hub.scheduler.db.invitation.findUniqueOrThrow({
      where: { meetingId_roomId: { meetingId: 'demo-live', roomId: 'hbx-h01-x01-r1' } },
    });
    expect(inv.status).toBe('accepted');
    const foreign = await opX01.call('POST', '/api/meetings/demo-live/invitations/hbx-h01-x02-r1/respond', {
      status: 'accepted',
    });
    expect(foreign.status).toBe(403);
    const audit = await admin.call('GET', '/api/audit?entity=meeting&entityId=demo-live');
    expect(
      audit.body.entries.some((e: any) => e.action === 'invitation.accepted' && e.userLogin === 'dc.h01.x01'),
    ).toBe(true);
  });
});
