// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Accounts as the administrator manages them: a wrong role and scope
// combination is refused with words and writes nothing; a reset hands out a
// one-time password, refuses the old one and ends the old sessions;
// deactivation ends sessions; and two administrators deactivating each other at
// once cannot leave the hub without one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startHub();
  admin = await hub.login('admin', 'admin123');
});
afterAll(() => hub?.close());

const counts = async () => ({
  users: await hub.scheduler.db.user.count(),
  audit: await hub.scheduler.db.auditLog.count({ where: { action: { startsWith: 'user.' } } }),
});

/** Logs in with a one-time password and chooses `password`, as the change-password screen does. */
async function firstLogin(login: string, oneTime: string, password: string): Promise<Client> {
  const c = await hub.login(login, oneTime);
  expect(c.user.mustChangePassword).toBe(true);
  const changed = await c.call('POST', '/api/auth/password', { currentPassword: oneTime, newPassword: password });
  expect(changed.status).toBe(200);
  return c;
}

describe('accounts', () => {
  it('refuses a wrong role and scope combination with a clear message, writing nothing', async () => {
    const before = await counts();
    const cases: [any, string][] = [
      [{ role: 'room_operator', unitId: 'hbx-h01' }, 'A room operator needs a room.'],
      [{ role: 'secretariat', unitId: 'hbx-h01', roomId: 'hbx-h01-r1' }, 'Only room operators are tied to a room.'],
      [{ role: 'admin', unitId: 'hbx' }, 'An administrator manages everything and has no scope unit.'],
      [{ role: 'chair' }, 'This role needs a scope unit.'],
      [
        { role: 'room_operator', unitId: 'hbx-h02', roomId: 'hbx-h01-r1' },
        "The room is not in the unit chosen (a room operator takes its room's unit).",
      ],
    ];
    for (const [scope, messageEn] of cases) {
      const res = await admin.call('POST', '/api/users', { login: 'sai.pham.vi', name: 'Sai phạm vi', ...scope });
      expect(res.status, messageEn).toBe(400);
      expect(res.body.error.messageEn).toBe(messageEn);
      expect(res.body.error.message).toMatch(/[ăâđêôơư]/);
    }
    const unknownRoom = await admin.call('POST', '/api/users', {
      login: 'sai.pham.vi',
      name: 'Sai',
      role: 'room_operator',
      roomId: 'khong-co',
    });
    expect(unknownRoom.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('creates a room operator with a one-time password its owner must change; records the last login', async () => {
    const created = await admin.call('POST', '/api/users', {
      login: 'kt.h03.x01',
      name: 'Kỹ thuật xã 1 huyện 3',
      role: 'room_operator',
      roomId: 'hbx-h03-x01-r1',
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ unitId: 'hbx-h03-x01', mustChangePassword: true, lastLoginAt: null });
    expect(created.body.password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const operator = await hub.login('kt.h03.x01', created.body.password);
    expect((await operator.call('GET', '/api/invitations')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const listed = await admin.call('GET', '/api/users?q=kt.h03&role=room_operator');
    expect(listed.body.users).toHaveLength(1);
    expect(Date.parse(listed.body.users[0].lastLoginAt)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await hub.scheduler.db.auditLog.findFirst({
      where: { action: 'user.create', entityId: created.body.user.id },
    });
    expect(audit?.details).not.toContain(created.body.password);
  });

  it('a reset gives a one-time password: the old one is refused, the old sessions end', async () => {
    const created = await admin.call('POST', '/api/users', {
      login: 'vp.h02',
      name: 'Văn phòng huyện 2',
      role: 'secretariat',
      unitId: 'hbx-h02',
    });
    const user = await firstLogin('vp.h02', created.body.password, 'mat-khau-rieng-1');
    expect((await user.call('GET', '/api/auth/me')).status).toBe(200);

    const reset = await admin.call('POST', `/api/users/${created.body.user.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.body.password).not.toBe(created.body.password);
    expect((await user.call('GET', '/api/auth/me')).status).toBe(401);
    const old = await hub.call('POST', '/api/auth/login', { body: { login: 'vp.h02', password: 'mat-khau-rieng-1' } });
    expect(old.status).toBe(401);
    await firstLogin('vp.h02', reset.body.password, 'mat-khau-rieng-2');
    expect(
      await hub.scheduler.db.auditLog.count({
        where: { action: 'user.password_reset', entityId: created.body.user.id },
      }),
    ).toBe(1);
  });

  it('deactivating ends the sessions; reactivating lets the user in again; a new scope ends them too', async () => {
    const created = await admin.call('POST', '/api/users', {
      login: 'ct.h02',
      name: 'Chủ trì huyện 2',
      role: 'chair',
      unitId: 'hbx-h02',
      password: 'mat-khau-chon-san',
    });
    const chair = await firstLogin('ct.h02', 'mat-khau-chon-san', 'mat-khau-rieng-3');
    const id = created.body.user.id;
    const off = await admin.call('PATCH', `/api/users/${id}`, { active: false });
    expect(off.body.user.active).toBe(false);
    expect((await chair.call('GET', '/api/auth/me')).status).toBe(401);
    expect(
      (await hub.call('POST', '/api/auth/login', { body: { login: 'ct.h02', password: 'mat-khau-rieng-3' } })).status,
    ).toBe(401);

    await admin.call('PATCH', `/api/users/${id}`, { active: true });
    const again = await hub.login('ct.h02', 'mat-khau-rieng-3');
    const moved = await admin.call('PATCH', `/api/users/${id}`, { unitId: 'hbx-h03' });
    expect(moved.body.user.unit.code).toBe('HBX-H03');
    expect((await again.call('GET', '/api/auth/me')).status).toBe(401);
    const renamed = await admin.call('PATCH', `/api/users/${id}`, { name: 'Chủ trì huyện 3' });
    expect(renamed.status).toBe(200);
    const audits = await hub.scheduler.db.auditLog.count({ where: { action: 'user.update', entityId: id } });
    expect(audits).toBe(4);
  });

  it('two administrators deactivating themselves at once: one succeeds, the other is refused, one remains', async () => {
    const created = await admin.call('POST', '/api/users', { login: 'admin2', name: 'Quản trị 2', role: 'admin' });
    const admin2 = await firstLogin('admin2', created.body.password, 'mat-khau-quan-tri-2');
    const [a, b] = await Promise.all([
      admin.call('DELETE', `/api/users/${admin.user.id}`),
      admin2.call('PATCH', `/api/users/${created.body.user.id}`, { role: 'secretariat', unitId: 'hbx' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.error).toMatchObject({ code: 'LAST_ADMIN' });
    expect(refused.body.error.messageEn).toContain('no active administrator would remain');
    expect(await hub.scheduler.db.user.count({ where: { role: 'admin', active: true } })).toBe(1);
    // The refused change left nothing behind: its account is as it was.
    const survivor = a.status === 409 ? admin : admin2;
    expect((await survivor.call('GET', '/api/auth/me')).body.user.role).toBe('admin');
  });
});
