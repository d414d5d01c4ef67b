// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Units as a spreadsheet: the demo province's export (UTF-8 with BOM, for
// Excel) imported again reproduces it; a file with three bad rows gets a dry
// run naming them by line and its apply writes nothing; a good file (a unit
// whose parent comes later in the file, a rename, a move) is applied whole.
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
  const res = await admin.call('GET', '/api/units.csv');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return res.text;
}

const unitsSnapshot = () => hub.scheduler.db.unit.findMany({ orderBy: { code: 'asc' } });

describe('units CSV', () => {
  it('exports every unit for Excel, and importing the export reproduces the tree', async () => {
    const csv = await exported();
    expect(
      csv.startsWith('\uFEFFMã đơn vị,Tên đơn vị,Loại,Mã đơn vị cha,Hoạt động\r\nHBX,Tỉnh Hòa Bình Xanh,tỉnh,,có\r\n'),
    ).toBe(true);
    expect(csv).toContain('\r\nHBX-S01,Sở Nội vụ,sở ngành,HBX,có\r\n');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(256); // the header and the demo's 255 units

    const before = await unitsSnapshot();
    const dry = await admin.call('POST', '/api/units/import', { csv });
    expect(dry.status).toBe(200);
    expect(dry.body.counts).toEqual({ create: 0, update: 0, unchanged: 255, error: 0 });
    const applied = await admin.call('POST', '/api/units/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, counts: { unchanged: 255 } });
    expect(await unitsSnapshot()).toEqual(before);
  });

  it('a dry run names the three bad rows by line; applying the file writes nothing', async () => {
    // Only the rows listed are imported: the rest of the tree stays as it is.
    const [header] = (await exported()).split('\r\n');
    const csv = [
      header,
      'HBX-H02,Huyện Lạc An,huyện,HBX-H02-X01,có', // line 2: a district under its own commune: a loop
      'HBX-MOI,Xã Mới,thôn,HBX-H01,có', // line 3: no such kind
      'HBX-MOI-2,Xã Mới Hai,xã,HBX-H99,có', // line 4: no such parent
      'HBX-S01,Sở Nội vụ và Lao động,sở ngành,HBX,có', // line 5: a rename, fine
    ].join('\r\n');
    const before = await unitsSnapshot();

    const dry = await admin.call('POST', '/api/units/import', { csv });
    expect(dry.status).toBe(200);
    const bad = dry.body.rows.filter((r: any) => r.outcome === 'error');
    expect(bad.map((r: any) => r.line)).toEqual([2, 3, 4]);
    expect(bad[0].errors[0].vi).toBe('Cây đơn vị thành vòng qua "HBX-H02".');
    expect(bad[1].errors[0].en).toBe('"Loại" must be one of: tỉnh, sở ngành, huyện, xã, khác; not "thôn".');
    expect(bad[2].errors[0]).toEqual({
      vi: 'Không có đơn vị cha mã "HBX-H99".',
      en: 'No parent unit has the code "HBX-H99".',
    });
    expect(dry.body.rows.find((r: any) => r.line === 5).outcome).toBe('update');

    const refused = await admin.call('POST', '/api/units/import', { csv, apply: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'Tệp có 3 dòng lỗi: chưa ghi dòng nào. Sửa các dòng được nêu rồi nhập lại.',
    );
    expect(refused.body.error.details.rows.filter((r: any) => r.outcome === 'error')).toHaveLength(3);
    expect(await unitsSnapshot()).toEqual(before);
  });

  it('applies a good file whole: a parent defined later, a rename, a move; audited', async () => {
    const csv = [
      'Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cha,Hoạt động',
      'HBX-XA-MOI,Xã Hợp Nhất,commune,HBX-H99,có', // its parent is on the next line
      'HBX-H99,Huyện Mới,huyện,HBX,có',
      'HBX-H02-X01,Xã đã chuyển,xã,HBX-H99,có',
      'HBX-S02,Sở Tài chính tỉnh,sở ngành,HBX,có',
    ].join('\n');
    const dry = await admin.call('POST', '/api/units/import', { csv });
    expect(dry.body.counts).toEqual({ create: 2, update: 2, unchanged: 0, error: 0 });
    const applied = await admin.call('POST', '/api/units/import', { csv, apply: true });
    expect(applied.status).toBe(200);
    const db = hub.scheduler.db;
    const district = await db.unit.findUniqueOrThrow({ where: { code: 'HBX-H99' } });
    expect(district).toMatchObject({ parentId: 'hbx', depth: 1, path: `/hbx/${district.id}/`, kind: 'district' });
    expect(await db.unit.findUniqueOrThrow({ where: { code: 'HBX-XA-MOI' } })).toMatchObject({
      parentId: district.id,
      depth: 2,
      kind: 'commune',
    });
    expect(await db.unit.findUniqueOrThrow({ where: { id: 'hbx-h02-x01' } })).toMatchObject({
      name: 'Xã đã chuyển',
      parentId: district.id,
      path: `/hbx/${district.id}/hbx-h02-x01/`,
    });
    const audit = await admin.call('GET', '/api/audit?action=unit.import');
    expect(audit.body.entries[0].details).toMatchObject({ create: 2, update: 2 });
  });
});
