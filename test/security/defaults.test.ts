// A new installation is safe before anyone configures it: the hub listens on
// loopback with the demo; on an address others reach it loads no demo accounts
// (their passwords are in the README) and refuses to serve a database that
// still has them; the first administrator comes from `npm run create-admin`,
// whose generated password opens nothing but the password change.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../hub/config.ts';
import type { Hub } from '../../hub/Hub.ts';
import { createLogger } from '../../hub/logger.ts';
import { chromiumAvailable, ensureClientBuilt, launchChromium, newPage, ROOT } from '../helpers/browser.ts';
import { type HttpAnswer, httpRequest } from '../helpers/http.ts';
import { startTestHub } from '../helpers/hub.ts';
import { rtcPortBlock } from '../helpers/ports.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Runs a command of ours (`npm start`'s hub/main.ts, `npm run create-admin`'s hub/createAdmin.ts). */
function run(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function createAdmin(dataDir: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const cmd = run('hub/createAdmin.ts', args, { DATA_DIR: dataDir });
  const code = await cmd.exited;
  return { code, output: cmd.output() };
}

function passwordIn(output: string): string {
  const password = /^ {4}(\S+)$/m.exec(output)?.[1];
  if (!password) throw new Error(`no password printed:\n${output}`);
  return password;
}

describe('configuration defaults', () => {
  it('loopback with the demo by default; elsewhere no demo, and asking for it is refused unless forced', () => {
    expect(loadConfig({})).toMatchObject({ HOST: '127.0.0.1', DEMO_DATA: true });
    expect(loadConfig({ HOST: '0.0.0.0' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ HOST: '127.0.0.1', TRUST_PROXY: '127.0.0.1' }).DEMO_DATA).toBe(false);
    for (const env of [
      { HOST: '0.0.0.0', DEMO_DATA: 'true' },
      { HOST: '10.1.2.3', DEMO_DATA: 'true' },
      { HOST: '127.0.0.1', DEMO_DATA: 'true', TRUST_PROXY: 'loopback' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/FORCE_DEMO_DATA_ON_NETWORK=true/);
    }
    expect(loadConfig({ HOST: '0.0.0.0', DEMO_DATA: 'true', FORCE_DEMO_DATA_ON_NETWORK: 'true' }).DEMO_DATA).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: '*' })).toThrow(/TRUST_PROXY/);
  });

  it('npm start with DEMO_DATA=true on 0.0.0.0 stops with the reason and the way out', async () => {
    const start = run('hub/main.ts', [], { HOST: '0.0.0.0', DEMO_DATA: 'true' });
    expect(await start.exited).toBe(1);
    expect(start.output()).toContain('DEMO_DATA=true is refused on HOST=0.0.0.0');
    expect(start.output()).toContain('npm run create-admin -- --login <name>');
  });
});

describe('a fresh installation on a network address', () => {
  let hub: Hub;
  let base: string;
  let logged = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    // DEMO_DATA left unset (the helper's 'false' emptied), as on a server.
    hub = await startTestHub({ HOST: '0.0.0.0', HTTPS: 'true', DEMO_DATA: '' }, 0, createLogger('info', sink));
    base = hub.url.replace('localhost', '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  const login = (name: string, password: string) =>
    httpRequest(`${base}/api/auth/login`, { method: 'POST', json: { login: name, password } });
  const as = (token: string, method: string, url: string, json?: unknown) =>
    httpRequest(`${base}${url}`, { method, json, headers: { authorization: `Bearer ${token}` } });

  it('has no demo accounts or units, and its log says how to create the first administrator', async () => {
    expect(await hub.scheduler.db.user.count()).toBe(0);
    expect(await hub.scheduler.db.unit.count()).toBe(0);
    expect((await login('admin', 'admin123')).status).toBe(401);
    expect(logged).toContain('no administrator yet');
    expect(logged).toContain('npm run create-admin -- --login <name>');
  });

  it('npm run create-admin: the generated password opens only the password change, until it is changed', async () => {
    const created = await createAdmin(hub.config.DATA_DIR, '--login', 'quantri.tinh', '--name', 'Quản trị tỉnh');
    expect(created.code).toBe(0);
    const generated = passwordIn(created.output);
    expect(generated).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

    const first = await login('quantri.tinh', generated);
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ role: 'admin', name: 'Quản trị tỉnh', mustChangePassword: true });
    const token = first.body.token as string;

    const refused: HttpAnswer[] = await Promise.all([
      as(token, 'GET', '/api/meetings'),
      as(token, 'GET', '/api/units/tree'),
      as(token, 'GET', '/api/users'),
      as(token, 'POST', '/api/users', { login: 'x', name: 'x', password: 'y', role: 'admin' }),
    ]);
    for (const answer of refused) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect(answer.body.error.message).toContain('mật khẩu mới');
    }
    expect((await as(token, 'GET', '/api/auth/me')).body.user.mustChangePassword).toBe(true);
    const live = io(`${base}/live`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      rejectUnauthorized: false,
    });
    const liveRefusal = await new Promise<string>((resolve) =>
      live.once('connect_error', (err) => resolve(err.message)),
    );
    live.close();
    expect(liveRefusal).toContain('PASSWORD_CHANGE_REQUIRED');

    const change = (currentPassword: string, newPassword: string) =>
      as(token, 'POST', '/api/auth/password', { currentPassword, newPassword });
    expect((await change('doan-sai-mat-khau', 'mat-khau-moi-2026')).body.error.code).toBe('WRONG_PASSWORD');
    expect((await change(generated, 'ngan')).body.error.code).toBe('VALIDATION_ERROR');
    expect((await change(generated, generated)).body.error.code).toBe('WEAK_PASSWORD');
    const changed = await change(generated, 'mat-khau-moi-2026');
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);

    expect((await as(token, 'GET', '/api/meetings')).status).toBe(200);
    expect((await login('quantri.tinh', generated)).status).toBe(401);
    expect((await login('quantri.tinh', 'mat-khau-moi-2026')).status).toBe(200);
    const actions = await hub.scheduler.db.auditLog.findMany({ where: { entity: 'user' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.create', 'auth.password_changed', 'auth.login_failed']),
    );
  });

  it('create-admin refuses an existing login; --reset gives a new generated password and ends the sessions', async () => {
    const again = await createAdmin(hub.config.DATA_DIR, '--login', 'quantri.tinh');
    expect(again.code).toBe(1);
    expect(again.output).toContain('exists already: add --reset');
    const session = (await login('quantri.tinh', 'mat-khau-moi-2026')).body.token as string;

    const reset = await createAdmin(hub.config.DATA_DIR, '--login', 'quantri.tinh', '--reset');
    expect(reset.code).toBe(0);
    expect((await as(session, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await login('quantri.tinh', 'mat-khau-moi-2026')).status).toBe(401);
    const fresh = await login('quantri.tinh', passwordIn(reset.output));
    expect(fresh.body.user.mustChangePassword).toBe(true);
  });

  it.skipIf(!chromiumAvailable())(
    'in Chromium: the first login asks for a new password, then opens the schedule',
    async () => {
      ensureClientBuilt();
      const reset = await createAdmin(hub.config.DATA_DIR, '--login', 'quantri.tinh', '--reset');
      const generated = passwordIn(reset.output);
      const browser = await launchChromium();
      try {
        const { page } = await newPage(browser, { ignoreHTTPSErrors: true, label: 'admin' });
        const cspViolations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
        });
        await page.goto(base);
        await page.getByLabel('Tên đăng nhập').fill('quantri.tinh');
        await page.getByLabel('Mật khẩu').fill(generated);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.getByRole('heading', { name: 'Đặt mật khẩu mới' }).waitFor();
        await page.getByLabel('Mật khẩu hiện tại').fill(generated);
        await page.getByLabel('Mật khẩu mới', { exact: true }).fill('mat-khau-trinh-duyet-1');
        await page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-trinh-duyet-1');
        await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
        await page.getByRole('heading', { name: 'Lịch họp' }).waitFor();
        expect(await page.getByRole('heading', { name: 'Đặt mật khẩu mới' }).count()).toBe(0);
        expect(cspViolations).toEqual([]);
      } finally {
        await browser.close();
      }
      expect((await login('quantri.tinh', 'mat-khau-trinh-duyet-1')).body.user.mustChangePassword).toBe(false);
    },
  );
});

describe('a database with the demo accounts', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-demo-'));
    const demo = await startTestHub({ DEMO_DATA: 'true', DATA_DIR: dataDir }, 1);
    await demo.close();
  }, 180_000);

  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is not served on a network address while a demo password still works, unless forced', {
    timeout: 120_000,
  }, async () => {
    const ports = rtcPortBlock(2);
    const env = {
      HOST: '0.0.0.0',
      PORT: '0',
      DATA_DIR: dataDir,
      MEDIASOUP_WORKERS: '1',
      RTC_PORT_BASE: String(ports.base),
      RTC_TRANSPORT_PORT_MIN: String(ports.transportMin),
      RTC_TRANSPORT_PORT_MAX: String(ports.transportMax),
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    };
    const refused = run('hub/main.ts', [], env);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('demo accounts whose passwords are printed in the README (admin,');
    expect(refused.output()).toContain('npm run create-admin');

    const forced = run('hub/main.ts', [], { ...env, FORCE_DEMO_DATA_ON_NETWORK: 'true' });
    const deadline = Date.now() + 90_000;
    while (!forced.output().includes('hub listening') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(forced.output()).toContain('hub listening');
    forced.child.kill('SIGTERM');
    expect(await forced.exited).toBe(0);
  });
});
