// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Endpoint rooms as a spreadsheet: the demo province's export (UTF-8 with BOM,
// for Excel) imported again changes nothing; a file with three bad rows gets a
// dry run naming them by line, and its apply writes nothing; a good file is
// applied whole and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startHub();
  admin = await hub.login('admin', 'admin123');
});
afterAll(() => hub?.close());

async function exported(): Promise<string> {
  const res = await admin.call('GET', '/api/rooms.csv');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return res.text;
}

const roomsSnapshot = () => hub.scheduler.db.endpointRoom.findMany({ orderBy: { code: 'asc' } });

describe('rooms CSV', () => {
  it('exports every room for Excel, and importing the export changes nothing', async () => {
    const csv = await exported();
    expect(
      csv.startsWith('\uFEFFMã điểm cầu,Tên điểm cầu,Mã đơn vị,Tên đơn vị,Vị trí,Hoạt động,Thư điện tử liên hệ\r\n'),
    ).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(303); // the header and the demo's 302 rooms

    const before = await roomsSnapshot();
    const dry = await admin.call('POST', '/api/rooms/import', { csv });
    expect(dry.status).toBe(200);
    expect(dry.body.counts).toEqual({ create: 0, update: 0, unchanged: 302, error: 0 });
    const applied = await admin.call('POST', '/api/rooms/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, counts: { unchanged: 302 } });
    expect(await roomsSnapshot()).toEqual(before);
  });

  it('a dry run names the three bad rows by line; applying the file writes nothing', async () => {
    const [header, first, second, ...rest] = (await exported()).trimEnd().split('\r\n');
    const edited = [
      header,
      first?.replace(/^([^,]+),[^,]+,/, '$1,Phòng họp trực tuyến đổi tên,'), // line 2: a rename
      'MOI-01,Điểm cầu mới,KHONG-CO-DON-VI,,Tầng 2,có', // line 3: unknown unit
      second, // line 4
      `${second?.split(',')[0]},Trùng mã,${second?.split(',')[2]},,,có`, // line 5: same code as line 4
      'MOI-02,,HBX,,,có', // line 6: no name, and the unit code must exist
      'MOI-03,Điểm cầu mới 3,HBX,,"Hội trường, tầng 1",có', // line 7: a quoted comma is fine
      ...rest,
    ].join('\r\n');
    const units = await hub.scheduler.db.unit.findMany({ select: { code: true }, take: 3 });
    const unitCode = units[0]?.code ?? '';
    const csv = edited.replaceAll(',HBX,', `,${unitCode},`);
    const before = await roomsSnapshot();

    const dry = await admin.call('POST', '/api/rooms/import', { csv });
    expect(dry.status).toBe(200);
    const bad = dry.body.rows.filter((r: any) => r.outcome === 'error');
    expect(bad.map((r: any) => r.line)).toEqual([3, 5, 6]);
    expect(bad[0].errors[0]).toEqual({
      vi: 'Không có đơn vị mã "KHONG-CO-DON-VI".',
      en: 'No unit has the code "KHONG-CO-DON-VI".',
    });
    expect(bad[1].errors[0].vi).toBe('Trùng mã với dòng 4.');
    expect(bad[2].errors[0].en).toBe('The room name is missing.');
    expect(dry.body.rows.find((r: any) => r.line === 2).outcome).toBe('update');
    expect(dry.body.rows.find((r: any) => r.line === 7).outcome).toBe('create');
    expect(dry.body.counts).toMatchObject({ update: 1, create: 1, error: 3 });

    const refused = await admin.call('POST', '/api/rooms/import', { csv, apply: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'Tệp có 3 dòng lỗi: chưa ghi dòng nào. Sửa các dòng được nêu rồi nhập lại.',
    );
    expect(refused.body.error.details.rows.filter((r: any) => r.outcome === 'error')).toHaveLength(3);
    expect(await roomsSnapshot()).toEqual(before);
  });

  it('applies a good file whole and audits it; a wrong header is refused by line', async () => {
    const [header, first, ...rest] = (await exported()).trimEnd().split('\r\n');
    const fields = (first ?? '').split(',');
    const csv = [header, `${fields[0]},${fields[1]},${fields[2]},,Phòng 101,không`, ...rest].join('\r\n');
    const applied = await admin.call('POST', '/api/rooms/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.body.counts).toMatchObject({ update: 1, unchanged: 301, error: 0 });
    const room = await hub.scheduler.db.endpointRoom.findUnique({ where: { code: fields[0] } });
    expect(room).toMatchObject({ location: 'Phòng 101', active: false });
    const entry = await hub.scheduler.db.auditLog.findFirst({ where: { action: 'room.import' } });
    expect(entry?.userLogin).toBe('admin');

    const wrong = await admin.call('POST', '/api/rooms/import', { csv: 'Mã,Tên\r\nA,B\r\n' });
    expect(wrong.body.fileErrors[0]).toMatchObject({ line: 1 });
    expect(wrong.body.fileErrors[0].en).toContain('The header line must be');
  });

  it('is for administrators only', async () => {
    const secretariat = await hub.login('vanphong.tinh', 'vanphong123');
    expect((await secretariat.call('GET', '/api/rooms.csv')).status).toBe(403);
    expect((await secretariat.call('POST', '/api/rooms/import', { csv: '' })).status).toBe(403);
  });
});
