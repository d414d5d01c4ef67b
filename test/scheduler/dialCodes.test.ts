// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// The numeric dial code a room system's keypad dials (docs/sip.md), over real
// HTTP on a real SQLite file seeded with the demo province: every open meeting
// has one (the demo's, booked before the scheduler started, too); two bookings
// get two codes, a burst of bookings at once all different; the database
// refuses a code another open meeting holds; a cancelled or ended meeting
// releases its code; the meeting's calendar file names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialCodeTaken } from '../../scheduler/dialCodes.ts';
import { type Client, hours, startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
let provSec: Client;
let slot = 0;

/** Books a meeting years ahead (no conflicts with the demo's), returning it as the API shows it. */
async function book(title: string): Promise<any> {
  slot += 1;
  const start = Date.UTC(2032, 0, 5, 1, 0, 0) + slot * hours(3);
  const res = await provSec.call('POST', '/api/meetings', {
    title,
    startAt: vn(new Date(start)),
    endAt: vn(new Date(start + hours(2))),
    chairRoomId: 'hbx-r1',
    invite: { roomIds: ['hbx-h01-x01-r1'] },
  });
  expect(res.status).toBe(201);
  return res.body.meeting;
}

beforeAll(async () => {
  hub = await startHub();
  provSec = await hub.login('vanphong.tinh', 'vanphong123');
});

afterAll(async () => {
  await hub?.close();
});

describe('meeting dial codes', () => {
  it('gives every open meeting a code at start, and none to one already over', async () => {
    const meetings = await hub.scheduler.db.meeting.findMany({ select: { status: true, dialCode: true } });
    const open = meetings.filter((m) => m.status !== 'ended' && m.status !== 'cancelled');
    expect(open.length).toBeGreaterThan(0);
    for (const m of open) expect(m.dialCode).toMatch(/^[1-9]\d{5}$/);
    for (const m of meetings.filter((x) => x.status === 'ended')) expect(m.dialCode).toBeNull();
  });

  it('gives two bookings two codes, shown with the meeting and in its calendar file', async () => {
    const a = await book('Họp mã số A');
    const b = await book('Họp mã số B');
    expect(a.dialCode).toMatch(/^[1-9]\d{5}$/);
    expect(b.dialCode).toMatch(/^[1-9]\d{5}$/);
    expect(a.dialCode).not.toBe(b.dialCode);
    const shown = await provSec.call('GET', `/api/meetings/${a.id}`);
    expect(shown.body.meeting.dialCode).toBe(a.dialCode);
    const ics = await provSec.call('GET', `/api/meetings/${a.id}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.text.replace(/\r\n /g, '')).toContain(`sip:${a.dialCode}@`);
  });

  it('never gives one code to two open meetings booked at once', async () => {
    const booked = await Promise.all(Array.from({ length: 12 }, (_, i) => book(`Họp cùng lúc ${i}`)));
    const codes = booked.map((m) => m.dialCode);
    expect(new Set(codes).size).toBe(12);
    const live = await hub.scheduler.db.meeting.findMany({ where: { dialCode: { not: null } } });
    expect(new Set(live.map((m) => m.dialCode)).size).toBe(live.length);
  });

  it('refuses, in the database itself, a code another open meeting holds', async () => {
    const a = await book('Họp giữ mã');
    const b = await book('Họp muốn mã');
    const refused = await hub.scheduler.db.meeting.update({ where: { id: b.id }, data: { dialCode: a.dialCode } }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({ code: 'P2002' });
    // The refusal a booking recognises, to draw again (scheduler/dialCodes.ts).
    expect(dialCodeTaken(refused)).toBe(true);
    const after = await hub.scheduler.db.meeting.findUniqueOrThrow({ where: { id: b.id } });
    expect(after.dialCode).toBe(b.dialCode);
  });

  it('releases the code of a cancelled or ended meeting', async () => {
    const cancelled = await book('Họp sẽ hủy');
    const res = await provSec.call('POST', `/api/meetings/${cancelled.id}/cancel`, { reason: 'Đổi lịch' });
    expect(res.status).toBe(200);
    const ended = await book('Họp sẽ kết thúc');
    expect((await provSec.call('POST', `/api/meetings/${ended.id}/end`, {})).status).toBe(200);
    const rows = await hub.scheduler.db.meeting.findMany({
      where: { id: { in: [cancelled.id, ended.id] } },
      select: { dialCode: true },
    });
    expect(rows.map((r) => r.dialCode)).toEqual([null, null]);
    // Its former code is free: another meeting may hold it.
    const other = await book('Họp nhận lại mã');
    await hub.scheduler.db.meeting.update({ where: { id: other.id }, data: { dialCode: cancelled.dialCode } });
  });
});
