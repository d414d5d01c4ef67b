// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// The administrator changes the unit tree of the demo province under a running
// hub: a move that would loop is refused and changes nothing; two communes are
// merged into a new one (rooms and accounts move, the old units become inactive
// and take nothing new) while yesterday's attendance report keeps the names of
// its day; a rename does not rewrite history either; every change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let admin: Client;
const PAST = 'demo-giao-ban-thang'; // held yesterday, chaired by hbx-h01-r1, the communes of hbx-h01 invited
const COMING = 'demo-tiep-xuc-cu-tri'; // not held yet, same communes invited

beforeAll(async () => {
  hub = await startHub();
  admin = await hub.login('admin', 'admin123');
});
afterAll(() => hub?.close());

const unit = (id: string) => hub.scheduler.db.unit.findUniqueOrThrow({ where: { id } });
const reportRow = (report: any, roomId: string) => report.rows.find((r: any) => r.roomId === roomId);

describe('the unit tree', () => {
  it('refuses a move that would make a loop, naming both units, and changes nothing', async () => {
    const before = await hub.scheduler.db.unit.findMany({ orderBy: { id: 'asc' } });
    const loop = await admin.call('PATCH', '/api/units/hbx-h01', { parentId: 'hbx-h01-x01' });
    expect(loop.status).toBe(400);
    expect(loop.body.error.message).toBe(
      'Không thể chuyển “Huyện Tân Phong” vào “Thị trấn Tân Lợi”: “Thị trấn Tân Lợi” nằm trong “Huyện Tân Phong”, cây đơn vị sẽ thành vòng.',
    );
    expect(loop.body.error.messageEn).toMatch(/the tree would loop/);
    const self = await admin.call('PATCH', '/api/units/hbx-h01', { parentId: 'hbx-h01' });
    expect(self.status).toBe(400);
    expect(self.body.error.messageEn).toBe('"Huyện Tân Phong" cannot be its own parent.');
    expect(await hub.scheduler.db.unit.findMany({ orderBy: { id: 'asc' } })).toEqual(before);

    const moved = await admin.call('PATCH', '/api/units/hbx-h01-x19', { parentId: 'hbx-h02' });
    expect(moved.status).toBe(200);
    expect(await unit('hbx-h01-x19')).toMatchObject({
      parentId: 'hbx-h02',
      path: '/hbx/hbx-h02/hbx-h01-x19/',
      depth: 2,
    });
  });

  it('merges two communes into a new one: rooms and accounts move, held meetings keep their names', async () => {
    const pastBefore = (await admin.call('GET', `/api/meetings/${PAST}/attendance`)).body;
    const oldNames = ['hbx-h01-x01-r1', 'hbx-h01-x02-r1'].map((id) => reportRow(pastBefore, id).unitName);
    expect(oldNames).toEqual([(await unit('hbx-h01-x01')).name, (await unit('hbx-h01-x02')).name]);
    const secretariat = await admin.call('POST', '/api/users', {
      login: 'vanphong.x01',
      name: 'Văn phòng xã',
      password: 'vanphong123',
      role: 'secretariat',
      unitId: 'hbx-h01-x01',
    });
    expect(secretariat.status).toBe(201);

    const merge = await admin.call('POST', '/api/units/merge', {
      sourceIds: ['hbx-h01-x01', 'hbx-h01-x02'],
      create: { name: 'Xã Tân Hợp', kind: 'commune', code: 'HBX-H01-X90', parentId: 'hbx-h01' },
    });
    expect(merge.status).toBe(200);
    const into = merge.body.into.id;
    expect(merge.body.moved).toEqual({ rooms: 2, users: 3, units: 0, meetings: 0 });

    const db = hub.scheduler.db;
    const rooms = await db.endpointRoom.findMany({ where: { unitId: into }, orderBy: { id: 'asc' } });
    expect(rooms.map((r) => r.id)).toEqual(['hbx-h01-x01-r1', 'hbx-h01-x02-r1']);
    const users = await db.user.findMany({ where: { unitId: into }, orderBy: { login: 'asc' } });
    expect(users.map((u) => u.login)).toEqual(['dc.h01.x01', 'dc.h01.x02', 'vanphong.x01']);
    for (const id of ['hbx-h01-x01', 'hbx-h01-x02']) {
      expect(await unit(id)).toMatchObject({ active: false, mergedIntoId: into });
    }

    // Yesterday's report still names the old communes; the meeting to come shows the new one.
    const pastAfter = (await admin.call('GET', `/api/meetings/${PAST}/attendance`)).body;
    expect(['hbx-h01-x01-r1', 'hbx-h01-x02-r1'].map((id) => reportRow(pastAfter, id).unitName)).toEqual(oldNames);
    const csv = (await admin.call('GET', `/api/meetings/${PAST}/attendance.csv`)).text;
    for (const name of oldNames) expect(csv).toContain(name);
    expect(csv).not.toContain('Xã Tân Hợp');
    const coming = await admin.call('GET', `/api/meetings/${COMING}/invitations`);
    const comingRow = coming.body.invitations.find((i: any) => i.roomId === 'hbx-h01-x01-r1');
    expect(comingRow.unit.name).toBe('Xã Tân Hợp');

    // The old communes take nothing new.
    const room = await admin.call('POST', '/api/rooms', { unitId: 'hbx-h01-x01', name: 'Phòng mới', code: 'MOI-X01' });
    expect(room.status).toBe(400);
    expect(room.body.error.message).toMatch(/đã ngừng hoạt động/);
    const again = await admin.call('POST', '/api/units/merge', { sourceIds: ['hbx-h01-x01'], intoId: 'hbx-h01-x03' });
    expect(again.status).toBe(400);

    const audited = await admin.call('GET', '/api/audit?action=unit.merge');
    expect(audited.body.total).toBe(1);
    expect(audited.body.entries[0]).toMatchObject({ userLogin: 'admin', entityId: into });
    expect(audited.body.entries[0].details.from.map((u: any) => u.id)).toEqual(['hbx-h01-x01', 'hbx-h01-x02']);
  });

  it('renaming a unit and a room today does not rewrite yesterday’s report', async () => {
    const before = (await admin.call('GET', `/api/meetings/${PAST}/attendance`)).body;
    const chairBefore = reportRow(before, 'hbx-h01-r1');
    expect(await admin.call('PATCH', '/api/units/hbx-h01', { name: 'Thị xã Tân Phong' })).toMatchObject({
      status: 200,
    });
    expect(await admin.call('PATCH', '/api/units/hbx-h01-x03', { name: 'Phường Tân Mới' })).toMatchObject({
      status: 200,
    });
    expect(await admin.call('PATCH', '/api/rooms/hbx-h01-r1', { name: 'Hội trường thị xã' })).toMatchObject({
      status: 200,
    });

    const after = (await admin.call('GET', `/api/meetings/${PAST}/attendance`)).body;
    expect(after.meeting.chairUnit).toBe('Huyện Tân Phong');
    expect(after.meeting.chairRoom).toBe(chairBefore.roomName);
    expect(reportRow(after, 'hbx-h01-r1')).toMatchObject({
      roomName: chairBefore.roomName,
      unitName: 'Huyện Tân Phong',
    });
    expect(reportRow(after, 'hbx-h01-x03-r1').unitName).toBe(reportRow(before, 'hbx-h01-x03-r1').unitName);
    const past = (await admin.call('GET', `/api/meetings/${PAST}`)).body.meeting;
    expect(past.chairUnit.name).toBe('Huyện Tân Phong');
    const html = (await admin.call('GET', `/api/meetings/${PAST}/attendance.html`)).text;
    expect(html).toContain(`Huyện Tân Phong – ${chairBefore.roomName}`);

    const coming = (await admin.call('GET', `/api/meetings/${COMING}`)).body.meeting;
    expect(coming.chairUnit.name).toBe('Thị xã Tân Phong');
    expect(coming.chairRoom.name).toBe('Hội trường thị xã');
    const invs = (await admin.call('GET', `/api/meetings/${COMING}/invitations`)).body.invitations;
    expect(invs.find((i: any) => i.roomId === 'hbx-h01-x03-r1').unit.name).toBe('Phường Tân Mới');
  });

  it('deactivates a unit only once it holds nothing active, and reactivates it', async () => {
    const busy = await admin.call('POST', '/api/units/hbx-h01-x04/deactivate');
    expect(busy.status).toBe(409);
    expect(busy.body.error.details).toEqual({ rooms: 1, children: 0, users: 0 });
    expect((await unit('hbx-h01-x04')).active).toBe(true);
    expect((await admin.call('PATCH', '/api/rooms/hbx-h01-x04-r1', { active: false })).status).toBe(200);
    expect((await admin.call('POST', '/api/units/hbx-h01-x04/deactivate')).status).toBe(200);
    expect((await unit('hbx-h01-x04')).active).toBe(false);
    const child = await admin.call('POST', '/api/units', {
      name: 'Thôn',
      kind: 'other',
      code: 'THON-1',
      parentId: 'hbx-h01-x04',
    });
    expect(child.status).toBe(400);
    expect((await admin.call('POST', '/api/units/hbx-h01-x04/reactivate')).status).toBe(200);
    expect((await unit('hbx-h01-x04')).active).toBe(true);
  });

  it('the audit log filters by action, family, meeting and user, a page at a time', async () => {
    const actions = (await admin.call('GET', '/api/audit/actions')).body.actions.map((a: any) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['unit.merge', 'unit.update', 'unit.deactivate', 'unit.reactivate']),
    );
    const updates = await admin.call('GET', '/api/audit?action=unit.update');
    expect(updates.body.total).toBe(3); // the move and the two renames
    expect(updates.body.entries.every((e: any) => e.action === 'unit.update')).toBe(true);
    expect(updates.body.entries[0].details).toMatchObject({ name: 'Phường Tân Mới', previousName: expect.any(String) });
    const family = await admin.call('GET', '/api/audit?action=unit.&limit=2&offset=1');
    expect(family.body).toMatchObject({ limit: 2, offset: 1 });
    expect(family.body.entries).toHaveLength(2);
    expect(family.body.total).toBe(6); // three updates, the merge, the deactivation and the reactivation
    const meeting = await admin.call('GET', `/api/audit?meetingId=${PAST}`);
    expect(meeting.body.entries.every((e: any) => e.entityId === PAST)).toBe(true);
    const byUser = await admin.call('GET', `/api/audit?userId=${admin.user.id}&action=room.update`);
    expect(byUser.body.total).toBe(2);
    const wrong = await admin.call('GET', '/api/audit?action=DROP%20TABLE');
    expect(wrong.status).toBe(400);
  });
});
