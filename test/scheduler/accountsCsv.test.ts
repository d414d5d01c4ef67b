// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Accounts as a spreadsheet: the export (UTF-8 with BOM, never a password)
// imported again changes nothing; a file with bad rows gets a dry run naming
// them by line and its apply writes nothing; a good file is applied whole, its
// new accounts listed once with one-time passwords their owners must change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startHub();
  admin = await hub.login('admin', 'admin123');
});
afterAll(() => hub?.close());

const HEADER = 'Tên đăng nhập,Họ tên,Vai trò,Mã đơn vị,Mã điểm cầu,Hoạt động';
const usersSnapshot = () => hub.scheduler.db.user.findMany({ orderBy: { login: 'asc' } });

async function exported(): Promise<string> {
  const res = await admin.call('GET', '/api/users.csv');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return res.text;
}

describe('accounts CSV', () => {
  it('exports every account without passwords, and importing the export changes nothing', async () => {
    const csv = await exported();
    expect(csv.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(csv).toContain(
      '\r\ndc.h01,Kỹ thuật – Hội trường UBND huyện Tân Phong,room_operator,HBX-H01,HBX-H01-R1,có\r\n',
    );
    expect(csv).not.toContain('scrypt');
    expect(csv).not.toContain('123');
    const before = await usersSnapshot();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(before.length + 1);

    const dry = await admin.call('POST', '/api/users/import', { csv });
    expect(dry.body.counts).toEqual({ create: 0, update: 0, unchanged: before.length, error: 0 });
    const applied = await admin.call('POST', '/api/users/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, oneTimePasswords: [] });
    expect(await usersSnapshot()).toEqual(before);
  });

  it('a dry run names the bad rows by line; applying the file writes nothing', async () => {
    const csv = [
      HEADER,
      'kt.moi.1,Kỹ thuật mới 1,room_operator,,HBX-H02-R1,có', // 2: fine
      'kt.moi.2,Kỹ thuật mới 2,room_operator,HBX-H01,,có', // 3: an operator without a room
      'vp.moi,Văn phòng mới,secretariat,HBX-H01,HBX-H01-R1,có', // 4: a secretariat with a room
      'kt.moi.1,Trùng,chair,HBX,,có', // 5: same login as line 2
      'ct moi,Chủ trì,thu_ky,KHONG-CO,,có', // 6: bad login, role and unit
      'dc.h01,Kỹ thuật đổi tên,room_operator,HBX-H01,HBX-H01-R1,có', // 7: fine (an update)
      'ct.moi,Chủ trì mới,chair,HBX-H03,,chưa', // 8: "active" unreadable
    ].join('\r\n');
    const before = await usersSnapshot();
    const audits = await hub.scheduler.db.auditLog.count();

    const dry = await admin.call('POST', '/api/users/import', { csv });
    expect(dry.status).toBe(200);
    const bad = dry.body.rows.filter((r: any) => r.outcome === 'error');
    expect(bad.map((r: any) => r.line)).toEqual([3, 4, 5, 6, 8]);
    const en = (line: number) => bad.find((r: any) => r.line === line).errors.map((e: any) => e.en);
    expect(en(3)).toEqual(['A room operator needs a room.']);
    expect(en(4)).toEqual(['Only room operators are tied to a room.']);
    expect(en(5)).toEqual(['Same code as line 2.']);
    expect(en(6)).toEqual([
      'A login may only contain letters, digits and . _ @ -.',
      'No role "thu_ky"; use one of: admin, secretariat, chair, room_operator.',
      'No unit has the code "KHONG-CO".',
    ]);
    expect(en(8)).toEqual(['"Hoạt động" must be "có" or "không", not "chưa".']);
    expect(bad[0].errors[0].vi).toBe('Cán bộ kỹ thuật điểm cầu cần một điểm cầu.');
    expect(dry.body.counts).toEqual({ create: 1, update: 1, unchanged: 0, error: 5 });

    const refused = await admin.call('POST', '/api/users/import', { csv, apply: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'Tệp có 5 dòng lỗi: chưa ghi dòng nào. Sửa các dòng được nêu rồi nhập lại.',
    );
    expect(refused.body.error.details.rows.filter((r: any) => r.outcome === 'error')).toHaveLength(5);
    expect(await usersSnapshot()).toEqual(before);
    expect(await hub.scheduler.db.auditLog.count()).toBe(audits);
  });

  it('applies a good file whole: new accounts get one-time passwords, a changed scope ends its sessions', async () => {
    const operator = await hub.login('dc.h02.x01', 'diemcau123');
    const csv = [
      HEADER,
      'kt.h04.x01,Kỹ thuật xã 1 huyện 4,room_operator,HBX-H04-X01,HBX-H04-X01-R1,có',
      '"vp.h04","Văn phòng UBND huyện 4, tỉnh",secretariat,HBX-H04,,có',
      'dc.h02.x01,Kỹ thuật – điểm cầu xã 2 huyện Lạc An,room_operator,,HBX-H02-X02-R1,có',
    ].join('\r\n');
    const applied = await admin.call('POST', '/api/users/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.body.counts).toEqual({ create: 2, update: 1, unchanged: 0, error: 0 });
    const passwords = applied.body.oneTimePasswords;
    expect(passwords.map((p: any) => p.login)).toEqual(['kt.h04.x01', 'vp.h04']);
    expect(passwords[1].name).toBe('Văn phòng UBND huyện 4, tỉnh');

    const newcomer = await hub.login('vp.h04', passwords[1].password);
    expect(newcomer.user).toMatchObject({ mustChangePassword: true, unit: { code: 'HBX-H04' } });
    expect((await operator.call('GET', '/api/auth/me')).status).toBe(401);
    const moved = await hub.login('dc.h02.x01', 'diemcau123');
    expect(moved.user.room.id).toBe('hbx-h02-x02-r1');
    const audit = await hub.scheduler.db.auditLog.findFirst({
      where: { action: 'user.import' },
      orderBy: { at: 'desc' },
    });
    expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({
      create: 2,
      update: 1,
      created: ['kt.h04.x01', 'vp.h04'],
    });
    expect(audit?.details).not.toContain(passwords[0].password);
  });

  it('refuses an import that would leave no active administrator, writing nothing', async () => {
    const before = await usersSnapshot();
    const csv = [HEADER, 'admin,Quản trị hệ thống,admin,,,không'].join('\r\n');
    const res = await admin.call('POST', '/api/users/import', { csv, apply: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LAST_ADMIN');
    expect(await usersSnapshot()).toEqual(before);
  });
});
