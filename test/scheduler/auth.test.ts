// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Sessions, CSRF, lockout, OpenAPI and health over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneStale } from '../../scheduler/index.ts';
import { startHub, type TestHub } from './helpers.ts';

let hub: TestHub;

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

function cookieOf(res: { headers: Headers }): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

describe('auth', () => {
  it('401 without a session, 200 with the cookie; cookie writes need the CSRF header', async () => {
    const anon = await hub.call('GET', '/api/meetings');
    expect(anon.status).toBe(401);
    expect(anon.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Bạn cần đăng nhập.' });

    const login = await hub.call('POST', '/api/auth/login', {
      body: { login: 'vanphong.tinh', password: 'vanphong123' },
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = cookieOf(login);
    const me = await hub.call('GET', '/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ login: 'vanphong.tinh', role: 'secretariat' });
    expect(me.body.csrfToken).toBe(login.body.csrfToken);

    const body = { reason: 'Thử CSRF' };
    const noCsrf = await hub.call('POST', '/api/meetings/demo-nhap/cancel', { body, headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF');
    expect((await hub.scheduler.db.meeting.findUniqueOrThrow({ where: { id: 'demo-nhap' } })).status).toBe('draft');
    const withCsrf = await hub.call('POST', '/api/meetings/demo-nhap/cancel', {
      body,
      headers: { cookie, 'x-csrf-token': me.body.csrfToken },
    });
    expect(withCsrf.status).toBe(200);
    expect(withCsrf.body.meeting.status).toBe('cancelled');

    const out = await hub.call('POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': me.body.csrfToken } });
    expect(out.status).toBe(200);
    expect((await hub.call('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('wrong passwords: 401, then 429 after 5 failures for that login', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await hub.call('POST', '/api/auth/login', { body: { login: 'chutri.tanphong', password: 'sai' } });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    }
    const locked = await hub.call('POST', '/api/auth/login', {
      body: { login: 'chutri.tanphong', password: 'chutri123' },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another login is unaffected.
    expect(
      (await hub.call('POST', '/api/auth/login', { body: { login: 'chutri.tinh', password: 'chutri123' } })).status,
    ).toBe(200);
  });

  it('the periodic sweep forgets expired sessions and day-old idempotency keys, and nothing else', async () => {
    const { db } = hub.scheduler;
    const admin = await db.user.findUniqueOrThrow({ where: { login: 'admin' } });
    const now = new Date();
    const day = 24 * 3600_000;
    await db.session.createMany({
      data: [
        { id: 'expired-session', userId: admin.id, csrfToken: 'x', expiresAt: new Date(now.getTime() - 1000) },
        { id: 'valid-session', userId: admin.id, csrfToken: 'x', expiresAt: new Date(now.getTime() + day) },
      ],
    });
    const key = { userId: admin.id, method: 'POST', url: '/api/meetings', statusCode: 201, body: '{}' };
    await db.idempotencyKey.createMany({
      data: [
        { ...key, key: 'old', createdAt: new Date(now.getTime() - 2 * day) },
        { ...key, key: 'recent', createdAt: new Date(now.getTime() - 3600_000) },
      ],
    });
    expect(await pruneStale(db, now)).toMatchObject({ idempotencyKeys: 1 });
    expect(await db.session.findUnique({ where: { id: 'expired-session' } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: 'valid-session' } })).not.toBeNull();
    expect((await db.idempotencyKey.findMany({ where: { userId: admin.id } })).map((k) => k.key)).toEqual(['recent']);
  });

  it('passwords are stored as scrypt hashes (a published demo one at full strength once used); sessions as token hashes', async () => {
    const hashOf = async () =>
      (await hub.scheduler.db.user.findUniqueOrThrow({ where: { login: 'admin' } })).passwordHash;
    expect(await hashOf()).toMatch(/^scrypt\$16384\$8\$1\$/);
    const login = await hub.call('POST', '/api/auth/login', { body: { login: 'admin', password: 'admin123' } });
    expect(await hashOf()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await hub.scheduler.db.session.findUnique({ where: { id: login.body.token } })).toBeNull();
  });

  it('admin-only routes refuse other roles', async () => {
    const sec = await hub.login('vanphong.tinh', 'vanphong123');
    expect((await sec.call('GET', '/api/users')).status).toBe(403);
    const admin = await hub.login('admin', 'admin123');
    const users = await admin.call('GET', '/api/users');
    expect(users.status).toBe(200);
    expect(users.body.users.every((u: any) => !('passwordHash' in u))).toBe(true);
    const created = await admin.call('POST', '/api/users', {
      login: 'dc.h04.x02',
      name: 'Kỹ thuật xã',
      password: 'matkhau123',
      role: 'room_operator',
      roomId: 'hbx-h04-x02-r1',
    });
    expect(created.status).toBe(201);
    expect(created.body.user.unitId).toBe('hbx-h04-x02');
    // The administrator chose that password: its owner must replace it before anything else.
    const newcomer = await hub.login('dc.h04.x02', 'matkhau123');
    const blocked = await newcomer.call('GET', '/api/meetings');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const dup = await admin.call('POST', '/api/users', {
      login: 'dc.h04.x02',
      name: 'Trùng',
      password: 'matkhau123',
      role: 'room_operator',
      roomId: 'hbx-h04-x02-r1',
    });
    expect(dup.status).toBe(409);
    const unit = await admin.call('POST', '/api/units', {
      name: 'Xã Mới Lập',
      kind: 'commune',
      code: 'HBX-H04-X99',
      parentId: 'hbx-h04',
    });
    expect(unit.status).toBe(201);
    const room = await admin.call('POST', '/api/rooms', {
      unitId: unit.body.unit.id,
      name: 'UBND xã Mới Lập',
      code: 'MOI-LAP',
    });
    expect(room.status).toBe(201);
    const tree = await admin.call('GET', '/api/units/tree?rootId=hbx-h04');
    expect(tree.body.tree[0].subtreeRooms).toBe(3 + 17 + 1);
  });
});

describe('openapi and health', () => {
  it('lists every scheduler route', async () => {
    const res = await hub.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    const registered: string[] = [];
    for (const line of hub.app.printRoutes({ commonPrefix: false }).split('\n')) registered.push(line);
    for (const p of [
      '/api/auth/login',
      '/api/meetings',
      '/api/meetings/{id}/join-token',
      '/api/meetings/{id}/attendance.csv',
      '/api/meetings/{id}/recordings',
      '/api/recordings/{id}/file',
      '/api/recordings/{id}',
      '/api/rooms/{id}/calendar.ics',
      '/api/units/tree',
      '/api/health',
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths.length).toBeGreaterThanOrEqual(30);
    const create = res.body.paths['/api/meetings'].post;
    expect(create.requestBody.content['application/json'].schema.properties.title).toBeTruthy();
  });

  it('health reports the database', async () => {
    const h = await hub.scheduler.health();
    expect(h.ok).toBe(true);
    expect(h.detail).toMatch(/^(sqlite|postgresql) ok: \d+ units, 30\d active rooms/);
  });

  it('unknown /api routes answer JSON 404', async () => {
    const r = await hub.call('GET', '/api/khong-co');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});
