// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Scheduler API over real HTTP on a real SQLite file seeded with the demo province.
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJoinToken } from '../../contract/joinToken.ts';
import { type Client, hours, SECRET, startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
let admin: Client;
let provSec: Client; // vanphong.tinh: whole province
let distSec: Client; // vanphong.tanphong: Huyện Tân Phong (hbx-h01) only
let chairProv: Client;
let opX01: Client; // operator of hbx-h01-x01-r1, invited to demo-live
let opH02: Client; // operator of hbx-h02-x01-r1, not invited to Tân Phong meetings

const DAY = 86_400_000;
/** A slot far from the demo meetings, distinct per test to keep them independent. */
let slot = 0;
function nextSlot(): { start: Date; end: Date } {
  slot += 1;
  const base = Date.UTC(2031, 0, 6, 1, 0, 0) + slot * 7 * DAY; // Mondays 08:00 local, years ahead
  return { start: new Date(base), end: new Date(base + hours(2)) };
}

async function meetingCount(): Promise<number> {
  return hub.scheduler.db.meeting.count();
}

beforeAll(async () => {
  hub = await startHub();
  [admin, provSec, distSec, chairProv, opX01, opH02] = await Promise.all([
    hub.login('admin', 'admin123'),
    hub.login('vanphong.tinh', 'vanphong123'),
    hub.login('vanphong.tanphong', 'vanphong123'),
    hub.login('chutri.tinh', 'chutri123'),
    hub.login('dc.h01.x01', 'diemcau123'),
    hub.login('dc.h02.x01', 'diemcau123'),
  ]);
});

afterAll(async () => {
  await hub?.close();
});

describe('seed tree', () => {
  it('has the reference province shape with room counts per subtree', async () => {
    const res = await admin.call('GET', '/api/units/tree');
    expect(res.status).toBe(200);
    const root = res.body.tree[0];
    expect(root.name).toBe('Tỉnh Hòa Bình Xanh');
    expect(root.subtreeRooms).toBe(302);
    const districts = root.children.filter((c: any) => c.kind === 'district');
    expect(districts).toHaveLength(13);
    const communes = districts.reduce((n: number, d: any) => n + d.children.length, 0);
    expect(communes).toBe(225);
    const big = districts.find((d: any) => d.id === 'hbx-h01');
    expect(big.children).toHaveLength(19);
    expect(big.subtreeRooms).toBe(22);
  });
});

describe('subtree invitations', () => {
  it('invites every commune of one district, every district hall, and skips rooms already invited', async () => {
    const { start, end } = nextSlot();
    const res = await provSec.call('POST', '/api/meetings', {
      title: 'Hội nghị triển khai nhiệm vụ',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
      invite: { selectors: [{ unitId: 'hbx-h01', kind: 'commune' }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.invited).toBe(19);
    const id = res.body.meeting.id;
    expect(res.body.meeting.startAt).toBe(start.toISOString());
    expect(res.body.meeting.startAtLocal).toBe(vn(start));

    const dry = await provSec.call('POST', `/api/meetings/${id}/invitations`, {
      selectors: [{ unitId: 'hbx', kind: 'district' }],
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.added).toBe(39); // 13 districts × 3 halls
    expect(await hub.scheduler.db.invitation.count({ where: { meetingId: id } })).toBe(19);

    const add = await provSec.call('POST', `/api/meetings/${id}/invitations`, {
      selectors: [{ unitId: 'hbx-h01' }], // whole district subtree: 19 communes (already) + 3 halls
    });
    expect(add.status).toBe(200);
    expect(add.body.added).toBe(3);
    expect(add.body.alreadyInvited).toBe(19);
    expect(add.body.total).toBe(22);

    const all = await provSec.call('POST', `/api/meetings/${id}/invitations`, {
      selectors: [{ unitId: 'hbx' }],
      dryRun: true,
    });
    expect(all.body.selected).toBe(302);
    expect(all.body.skippedChairRoom).toBe(true);
    expect(all.body.added).toBe(302 - 22 - 1);

    const only = await provSec.call('POST', `/api/meetings/${id}/invitations`, {
      selectors: [{ unitId: 'hbx', includeDescendants: false }],
      dryRun: true,
    });
    expect(only.body.selected).toBe(6); // the province's own rooms

    const removed = await provSec.call('POST', `/api/meetings/${id}/invitations/remove`, {
      selectors: [{ unitId: 'hbx-h01', kind: 'district' }],
    });
    expect(removed.body.removed).toBe(3);
    expect(await hub.scheduler.db.invitation.count({ where: { meetingId: id } })).toBe(19);
  });
});

describe('conflicts', () => {
  it('reports rooms booked in an overlapping meeting and saves only with override', async () => {
    const { start, end } = nextSlot();
    const a = await provSec.call('POST', '/api/meetings', {
      title: 'Cuộc họp A',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r2',
      invite: { selectors: [{ unitId: 'hbx-h01', kind: 'commune' }] },
    });
    expect(a.status).toBe(201);
    const before = await meetingCount();
    const body = {
      title: 'Cuộc họp B',
      startAt: vn(new Date(start.getTime() + hours(1))),
      endAt: vn(new Date(end.getTime() + hours(1))),
      chairRoomId: 'hbx-r3',
      invite: { roomIds: ['hbx-h01-x01-r1', 'hbx-h02-x01-r1'] },
    };
    const b = await provSec.call('POST', '/api/meetings', body);
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('CONFLICT');
    expect(b.body.error.message).toMatch(/trùng thời gian/);
    expect(b.body.error.messageEn).toMatch(/override/);
    const conflicts = b.body.error.details.conflicts;
    expect(conflicts, JSON.stringify(conflicts)).toHaveLength(1);
    expect(conflicts[0].roomId).toBe('hbx-h01-x01-r1');
    expect(conflicts[0].meetingId).toBe(a.body.meeting.id);
    expect(await meetingCount()).toBe(before);

    const check = await provSec.call('POST', '/api/meetings/check-conflicts', {
      startAt: body.startAt,
      endAt: body.endAt,
      roomIds: body.invite.roomIds,
    });
    expect(check.body.conflictingRooms).toBe(1);

    const forced = await provSec.call('POST', '/api/meetings', { ...body, override: true });
    expect(forced.status).toBe(201);
    expect(forced.body.overriddenConflicts).toHaveLength(1);

    // Back-to-back with A is not a conflict (but the forced B now occupies its rooms).
    const adjacent = await provSec.call('POST', '/api/meetings', {
      ...body,
      title: 'Cuộc họp liền kề',
      startAt: vn(end),
      endAt: vn(new Date(end.getTime() + hours(1))),
      chairRoomId: 'hbx-r4',
      invite: { roomIds: ['hbx-h01-x02-r1'] },
    });
    expect(adjacent.status).toBe(201);
    expect(await meetingCount()).toBe(before + 2);

    // Cancelled meetings free their rooms.
    const cancel = await provSec.call('POST', `/api/meetings/${a.body.meeting.id}/cancel`, { reason: 'Hoãn họp' });
    expect(cancel.status).toBe(200);
    const again = await provSec.call('POST', '/api/meetings/check-conflicts', {
      startAt: vn(start),
      endAt: vn(end),
      roomIds: ['hbx-h01-x05-r1'],
    });
    expect(again.body.conflicts).toHaveLength(0);
  });
});

describe('scope', () => {
  it("a commune operator cannot see another commune's meetings nor change any meeting", async () => {
    const week = await opH02.call('GET', '/api/meetings?from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z');
    expect(week.status).toBe(200);
    const ids = week.body.meetings.map((m: any) => m.id);
    expect(ids).not.toContain('demo-live');
    expect(ids).not.toContain('demo-tiep-xuc-cu-tri');
    expect((await opH02.call('GET', '/api/meetings/demo-live')).status).toBe(404);
    expect((await opH02.call('GET', '/api/meetings/demo-live/invitations')).status).toBe(404);

    const own = await opX01.call('GET', '/api/meetings?from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z');
    expect(own.body.meetings.map((m: any) => m.id)).toContain('demo-live');
    const patch = await opX01.call('PATCH', '/api/meetings/demo-live', { title: 'Đổi tên' });
    expect(patch.status).toBe(403);
    expect((await opX01.call('POST', '/api/meetings/demo-live/cancel', { reason: 'không họp' })).status).toBe(403);
    const { start, end } = nextSlot();
    const create = await opX01.call('POST', '/api/meetings', {
      title: 'Họp xã',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-h01-x01-r1',
    });
    expect(create.status).toBe(403);
    expect((await hub.scheduler.db.meeting.findUnique({ where: { id: 'demo-live' } }))?.title).toMatch(
      /phòng, chống dịch/,
    );
  });

  it('a district secretariat books only inside its district', async () => {
    const { start, end } = nextSlot();
    const outsideChair = await distSec.call('POST', '/api/meetings', {
      title: 'Họp ngoài phạm vi',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
    });
    expect(outsideChair.status).toBe(403);
    expect(outsideChair.body.error.code).toBe('OUT_OF_SCOPE');
    const outsideRooms = await distSec.call('POST', '/api/meetings', {
      title: 'Mời ngoài phạm vi',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-h01-r1',
      invite: { selectors: [{ unitId: 'hbx-h02', kind: 'commune' }] },
    });
    expect(outsideRooms.status).toBe(403);
    expect(outsideRooms.body.error.details.outOfScopeRoomIds).toHaveLength(17);
    const inside = await distSec.call('POST', '/api/meetings', {
      title: 'Họp trong huyện',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-h01-r1',
      invite: { selectors: [{ unitId: 'hbx-h01', kind: 'commune' }] },
    });
    expect(inside.status).toBe(201);
    expect(inside.body.invited).toBe(19);
    // It sees the province meeting its communes are invited to, but cannot change it.
    expect((await distSec.call('GET', '/api/meetings/demo-live')).status).toBe(200);
    expect((await distSec.call('PATCH', '/api/meetings/demo-live', { title: 'x y z' })).status).toBe(403);
  });
});

describe('calendar', () => {
  it('the meeting .ics parses back with the right UTC times', async () => {
    const { start, end } = nextSlot();
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

describe('attendance report', () => {
  it('CSV has a BOM, CRLF, a Vietnamese header and one row per room', async () => {
    const res = await distSec.call('GET', '/api/meetings/demo-giao-ban-thang/attendance.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'STT,Đơn vị,Điểm cầu,Vai trò,Trả lời lời mời,Vào lúc (giờ Việt Nam),Rời lúc (giờ Việt Nam),Số phút trực tuyến,Tình trạng,Điểm danh,Lý do / ghi chú',
    );
    expect(lines).toHaveLength(1 + 20 + 1); // header + chair + 19 communes + trailing empty
    expect(lines[1]).toMatch(/^1,Huyện Tân Phong,Hội trường UBND huyện Tân Phong,Chủ trì,/);
    expect(res.text).toContain('Thị trấn');
    const absent = lines.filter((l) => l.includes(',Vắng,Vắng,'));
    expect(absent).toHaveLength(2);
    expect(res.text).toContain('Mất điện');
    expect(lines.filter((l) => l.includes(',Đến muộn,'))).toHaveLength(2);

    const json = await distSec.call('GET', '/api/meetings/demo-giao-ban-thang/attendance');
    expect(json.body.summary).toMatchObject({ invited: 19, absent: 2, late: 2, present: 15 });
    const html = await distSec.call('GET', '/api/meetings/demo-giao-ban-thang/attendance.html');
    expect(html.text).toContain('<html lang="vi">');
    expect(html.text).toContain('Báo cáo điểm danh');
    expect((await opX01.call('GET', '/api/meetings/demo-giao-ban-thang/attendance.csv')).status).toBe(403);
  });

  it('presence feeds attendance, flips the meeting live, and the chair marks the roll-call', async () => {
    const at = new Date();
    await hub.scheduler.recordPresence({ meetingId: 'demo-live', roomId: 'hbx-h01-x02-r1', event: 'joined', at });
    const m = await chairProv.call('GET', '/api/meetings/demo-live');
    expect(m.body.meeting.status).toBe('live');
    const att = await chairProv.call('GET', '/api/meetings/demo-live/attendance');
    const row = att.body.rows.find((r: any) => r.roomId === 'hbx-h01-x02-r1');
    expect(row.firstJoinedAt).toBe(at.toISOString());
    expect(row.intervals).toHaveLength(1);
    const noReason = await chairProv.call('PUT', '/api/meetings/demo-live/attendance/hbx-h01-x03-r1/mark', {
      mark: 'absent',
    });
    expect(noReason.status).toBe(400);
    const mark = await chairProv.call('PUT', '/api/meetings/demo-live/attendance/hbx-h01-x03-r1/mark', {
      mark: 'absent',
      reason: 'Mất kết nối mạng',
    });
    expect(mark.status).toBe(200);
    const after = await chairProv.call('GET', '/api/meetings/demo-live/attendance');
    expect(after.body.rows.find((r: any) => r.roomId === 'hbx-h01-x03-r1')).toMatchObject({
      mark: 'absent',
      markReason: 'Mất kết nối mạng',
    });
    const notInvited = await chairProv.call('PUT', '/api/meetings/demo-live/attendance/hbx-h02-x01-r1/mark', {
      mark: 'present_online',
    });
    expect(notInvited.status).toBe(404);
    // Unknown meeting: logged, never thrown.
    await hub.scheduler.recordPresence({ meetingId: 'nope', roomId: 'hbx-r1', event: 'left', at });
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

describe('bad input and double submit', () => {
  it('400 with Vietnamese and English messages; nothing is saved', async () => {
    const before = await meetingCount();
    const { start, end } = nextSlot();
    const unknown = await provSec.call('POST', '/api/meetings', {
      title: 'Họp thử',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
      room: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_ERROR');
    expect(unknown.body.error.messageEn).toMatch(/Unrecognized key.*room/);
    expect(unknown.body.error.message).toMatch(/Dữ liệu không hợp lệ/);

    const backwards = await provSec.call('POST', '/api/meetings', {
      title: 'Họp ngược giờ',
      startAt: vn(end),
      endAt: vn(start),
      chairRoomId: 'hbx-r1',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('Giờ kết thúc phải sau giờ bắt đầu.');

    const noOffset = await provSec.call('POST', '/api/meetings', {
      title: 'Họp thiếu múi giờ',
      startAt: '2031-01-01 08:00',
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
    });
    expect(noOffset.status).toBe(400);

    const unknownRoom = await provSec.call('POST', '/api/meetings', {
      title: 'Họp mời phòng lạ',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
      invite: { roomIds: ['hbx-h01-x01-r1', 'khong-co'] },
    });
    expect(unknownRoom.status).toBe(404);
    expect(unknownRoom.body.error.details.missingRoomIds).toEqual(['khong-co']);

    const badJson = await hub.call('POST', '/api/meetings', {
      raw: '{"title":',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${provSec.token}` },
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.messageEn).toBeTruthy();

    const big = await hub.call('POST', '/api/meetings', {
      raw: JSON.stringify({ title: 'x'.repeat(70_000) }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${provSec.token}` },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    expect(await meetingCount()).toBe(before);
    expect(
      await hub.scheduler.db.invitation.count({ where: { roomId: 'hbx-h01-x01-r1', meeting: { startAt: start } } }),
    ).toBe(0);
  });

  it('a repeated submit does not create a duplicate', async () => {
    const before = await meetingCount();
    const { start, end } = nextSlot();
    const body = {
      title: 'Họp gửi hai lần',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r1',
      invite: { selectors: [{ unitId: 'hbx-h03', kind: 'commune' }] },
    };
    const headers = { 'idempotency-key': 'form-123' };
    const [a, b] = await Promise.all([
      provSec.call('POST', '/api/meetings', body, headers),
      provSec.call('POST', '/api/meetings', body, headers),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.meeting.id).toBe(a.body.meeting.id);
    expect(await meetingCount()).toBe(before + 1);
    const c = await provSec.call('POST', '/api/meetings', body);
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('DUPLICATE');
    expect(c.body.error.details.meetingId).toBe(a.body.meeting.id);
    expect(await meetingCount()).toBe(before + 1);
    expect(await hub.scheduler.db.invitation.count({ where: { meetingId: a.body.meeting.id } })).toBe(17);
  });

  it('weekly recurrence creates one meeting per week sharing a series', async () => {
    const { start, end } = nextSlot();
    slot += 4;
    const res = await provSec.call('POST', '/api/meetings', {
      title: 'Giao ban tuần',
      startAt: vn(start),
      endAt: vn(end),
      chairRoomId: 'hbx-r6',
      recurrence: { freq: 'weekly', count: 3 },
      invite: { roomIds: ['hbx-h05-r1'] },
    });
    expect(res.status).toBe(201);
    expect(res.body.occurrenceIds).toHaveLength(3);
    const rows = await hub.scheduler.db.meeting.findMany({
      where: { id: { in: res.body.occurrenceIds } },
      orderBy: { startAt: 'asc' },
    });
    expect(rows.map((r) => r.startAt.getTime() - start.getTime())).toEqual([0, 7 * DAY, 14 * DAY]);
    expect(new Set(rows.map((r) => r.seriesId)).size).toBe(1);
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
