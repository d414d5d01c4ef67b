// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// What a person reads when a form is refused: the field's name in their language
// and what to do, never the schema's wording; programs still get each issue's path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, hours, startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
let admin: Client;
let provSec: Client;
let chair: Client;

const start = new Date(Date.UTC(2033, 2, 7, 1, 0, 0)); // a Monday 08:00 local, far from the demo meetings
const end = new Date(start.getTime() + hours(2));
const meeting = (over: Record<string, unknown>) => ({
  title: 'Họp thử nhập liệu',
  startAt: vn(start),
  endAt: vn(end),
  chairRoomId: 'hbx-r1',
  ...over,
});

beforeAll(async () => {
  hub = await startHub();
  [admin, provSec, chair] = await Promise.all([
    hub.login('admin', 'admin123'),
    hub.login('vanphong.tinh', 'vanphong123'),
    hub.login('chutri.tinh', 'chutri123'),
  ]);
});

afterAll(async () => {
  await hub?.close();
});

async function refused(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION_ERROR');
  return r.body.error;
}

describe('a refused form names the field and says what to do', () => {
  it('a title of only spaces asks for a title, in Vietnamese and English, and books nothing', async () => {
    const before = await hub.scheduler.db.meeting.count();
    const error = await refused(provSec.call('POST', '/api/meetings', meeting({ title: '    ' })));
    expect(error.message).toBe('Tiêu đề: hãy nhập tiêu đề (không được để trống).');
    expect(error.messageEn).toBe('Title: enter a title (it cannot be empty).');
    expect(error.details.in).toBe('body');
    expect(error.details.issues).toEqual([
      expect.objectContaining({ path: 'title', message: error.message, messageEn: error.messageEn }),
    ]);
    expect(await hub.scheduler.db.meeting.count()).toBe(before);

    const missing = await refused(provSec.call('POST', '/api/meetings', meeting({ title: undefined })));
    expect(missing.message).toBe('Tiêu đề: hãy nhập tiêu đề (không được để trống).');
  });

  it('a too long title says the limit', async () => {
    const error = await refused(provSec.call('POST', '/api/meetings', meeting({ title: 'Họp '.repeat(100) })));
    expect(error.message).toMatch(/^Tiêu đề: tối đa 300 ký tự/);
    expect(error.messageEn).toMatch(/^Title: at most 300 characters/);
    expect(error.message).not.toMatch(/string|mong đợi/);
  });

  it('a start time that is not a date says so, and every refused field gets its own sentence', async () => {
    const error = await refused(
      provSec.call('POST', '/api/meetings', meeting({ startAt: '8 giờ sáng thứ Hai', chairRoomId: '' })),
    );
    expect(error.message).toBe(
      'Giờ bắt đầu: không đúng định dạng ngày giờ (ví dụ 2025-11-24T08:00:00+07:00). ' +
        'Điểm cầu chủ trì: hãy chọn điểm cầu chủ trì (không được để trống).',
    );
    expect(error.messageEn).toBe(
      'Start time: not a valid date and time (e.g. 2025-11-24T08:00:00+07:00). ' +
        'Chair room: choose the chair room (it cannot be empty).',
    );
    expect(error.details.issues.map((i: any) => i.path)).toEqual(['startAt', 'chairRoomId']);
  });

  it('the login form and the admin forms name their fields too', async () => {
    const login = await refused(hub.call('POST', '/api/auth/login', { body: { login: ' ', password: 'x' } }));
    expect(login.message).toBe('Tên đăng nhập: hãy nhập tên đăng nhập (không được để trống).');
    expect(login.messageEn).toBe('Login: enter your login (it cannot be empty).');

    const unit = await refused(admin.call('POST', '/api/units', { name: '  ', kind: 'commune', code: 'X-1' }));
    expect(unit.message).toBe('Tên: hãy nhập tên (không được để trống).');
    expect(unit.messageEn).toBe('Name: enter a name (it cannot be empty).');

    const mark = await refused(
      chair.call('PUT', '/api/meetings/demo-live/attendance/hbx-h01-r1/mark', {
        mark: 'absent',
        reason: 'x'.repeat(1001),
      }),
    );
    expect(mark.message).toMatch(/^Lý do: tối đa 1000 ký tự/);
    expect(mark.messageEn).toMatch(/^Reason: at most 1000 characters/);
  });

  it('a room’s SIP account says what a user name and a dial-out address look like, and stores nothing', async () => {
    const error = await refused(
      admin.call('PUT', '/api/rooms/hbx-h01-r1/sip', { user: 'xã tân phú', password: 'mat-khau-sip', uri: '10.1.2.3' }),
    );
    expect(error.message).toBe(
      'Tên SIP: chỉ gồm chữ không dấu, chữ số và . _ - (không có dấu cách). ' +
        'Địa chỉ hệ thống gọi tới thiết bị: phải có dạng sip:ten@dia-chi, ví dụ sip:phonghop@10.1.2.3:5060.',
    );
    expect(error.messageEn).toBe(
      'SIP user name: use only letters without accents, digits and . _ - (no spaces). ' +
        'Dial-out address: write it as sip:name@host, e.g. sip:room@10.1.2.3:5060.',
    );
    const room = await hub.scheduler.db.endpointRoom.findUnique({ where: { id: 'hbx-h01-r1' } });
    expect(room?.sipUser).toBeNull();
  });
});
