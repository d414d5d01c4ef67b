// What the hub shows to anyone who reaches it: security headers on pages and
// API answers, no source maps, private files, health details and /metrics
// only for this machine (a reverse proxy named in TRUST_PROXY cannot fool
// that, nor can a forged X-Forwarded-For without it), and socket.io only for
// pages of the hub's own origin.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { hashPassword } from '../../scheduler/auth.ts';
import { ensureClientBuilt, ROOT } from '../helpers/browser.ts';
import { type HttpAnswer, httpRequest } from '../helpers/http.ts';
import { startTestHub } from '../helpers/hub.ts';

const FOREIGN = 'https://evil.example';
const PARTNER = 'https://hop.example.gov.vn';
const DIST = path.join(ROOT, 'client', 'dist');

let tls: Hub;
let plain: Hub;
let dataDir: string;

/** A data directory as an older version or a careless copy left it: readable by everyone. */
function looseDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-loose-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ hubSecret: 's'.repeat(48) }), { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'diemcau.db'), '', { mode: 0o644 });
  return dir;
}

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = looseDataDir();
  [tls, plain] = await Promise.all([
    startTestHub({ HTTPS: 'true', DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1' }, 2),
    startTestHub({ ALLOWED_ORIGINS: PARTNER }, 3),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([tls?.close(), plain?.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

function expectSecurityHeaders(answer: HttpAnswer): void {
  const csp = String(answer.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).toMatch(/connect-src 'self'/);
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['referrer-policy']).toBe('same-origin');
}

describe('headers', () => {
  it('an HTML page and API answers carry CSP, frame, sniffing and referrer headers; HSTS on HTTPS only', async () => {
    const page = await httpRequest(`${tls.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const api = await httpRequest(`${tls.url}/api/auth/me`);
    expect(api.status).toBe(401);
    const health = await httpRequest(`${tls.url}/api/health`);
    for (const answer of [page, api, health]) {
      expectSecurityHeaders(answer);
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
    const overHttp = await httpRequest(`${plain.url}/api/auth/me`);
    expectSecurityHeaders(overHttp);
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves no source maps: none built, none referenced, a .map URL is 404 and not the page', async () => {
    const assets = fs.readdirSync(path.join(DIST, 'assets'));
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    const bundles = assets.filter((f) => /\.(js|css)$/.test(f));
    expect(bundles.length).toBeGreaterThan(0);
    for (const file of bundles) {
      const served = await httpRequest(`${tls.url}/assets/${file}`);
      expect(served.status).toBe(200);
      expect(served.text).not.toContain('sourceMappingURL');
      const map = await httpRequest(`${tls.url}/assets/${file}.map`);
      expect(map.status).toBe(404);
      expect(map.text).not.toContain('<!doctype html>');
    }
    // A page path still gets the single-page app.
    expect((await httpRequest(`${tls.url}/some/screen`)).headers['content-type']).toContain('text/html');
  });
});

describe('files', () => {
  it('DATA_DIR is 0700; the database, its -wal and -shm, the secret and the TLS key are 0600, looser modes fixed at start', () => {
    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ['diemcau.db', 'diemcau.db-wal', 'diemcau.db-shm', 'secrets.json', 'tls/key.pem']) {
      expect(modeOf(path.join(dataDir, name)), name).toBe(0o600);
    }
    expect(modeOf(path.join(dataDir, 'tls'))).toBe(0o700);
  });
});

describe('health, metrics and client addresses', () => {
  const proxied = { 'x-forwarded-for': '203.0.113.7' };

  it('health details (worker pids, ports) go to this machine only; a client behind the trusted proxy gets ok/degraded', async () => {
    const local = await httpRequest(`${tls.url}/api/health`);
    expect(local.body.status).toBe('ok');
    expect(local.body.workers[0].pid).toBeGreaterThan(0);

    const remote = await httpRequest(`${tls.url}/api/health`, { headers: proxied });
    expect(remote.status).toBe(200);
    expect(remote.body).toEqual({ status: 'ok' });
    expect(remote.text).not.toContain(String(local.body.workers[0].pid));
    expect((await httpRequest(`${tls.url}/metrics`, { headers: proxied })).status).toBe(403);
  });

  it('TRUST_PROXY: the audit log and the throttle see the forwarded client address', async () => {
    await httpRequest(`${tls.url}/api/auth/login`, {
      method: 'POST',
      json: { login: 'ai-do', password: 'sai' },
      headers: proxied,
    });
    const row = await tls.scheduler.db.auditLog.findFirstOrThrow({ where: { action: 'auth.login_failed' } });
    expect(row.ip).toBe('203.0.113.7');
  });

  it('without TRUST_PROXY a forged X-Forwarded-For changes no address and opens neither health details nor /metrics', async () => {
    const forged = { 'x-forwarded-for': '127.0.0.1' };
    const health = await httpRequest(`${plain.url}/api/health`, { headers: forged });
    expect(health.body).toEqual({ status: 'ok' });
    expect((await httpRequest(`${plain.url}/metrics`, { headers: forged })).status).toBe(403);
    await httpRequest(`${plain.url}/api/auth/login`, {
      method: 'POST',
      json: { login: 'ai-do', password: 'sai' },
      headers: { 'x-forwarded-for': '198.51.100.9' },
    });
    const row = await plain.scheduler.db.auditLog.findFirstOrThrow({ where: { action: 'auth.login_failed' } });
    expect(row.ip).toBe('127.0.0.1');
  });
});

describe('socket.io origin', () => {
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const s of sockets) s.close();
  });

  /** Connects the way a page of `origin` would (browsers always send it); resolves with the refusal, if any. */
  function connect(url: string, origin: string | undefined, token?: string): Promise<string | null> {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: origin ? { origin } : {},
      auth: token ? { token } : {},
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve(null));
      socket.once('connect_error', (err) => resolve(err.message));
    });
  }

  it('refuses a page of another origin on both namespaces, with ORIGIN_NOT_ALLOWED on the wire', async () => {
    const user = await plain.scheduler.db.user.create({
      data: { login: 'origin.test', name: 'Origin', role: 'admin', passwordHash: await hashPassword('mat-khau-dai-1') },
    });
    const session = await httpRequest(`${plain.url}/api/auth/login`, {
      method: 'POST',
      json: { login: user.login, password: 'mat-khau-dai-1' },
    });
    const token = session.body.token as string;

    expect(await connect(plain.url, FOREIGN)).not.toBeNull();
    expect(await connect(`${plain.url}/live`, FOREIGN, token)).not.toBeNull();
    const handshake = await httpRequest(`${plain.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: FOREIGN },
    });
    expect(handshake.status).toBe(403);
    expect(handshake.body.message).toContain('ORIGIN_NOT_ALLOWED');

    // The hub's own pages, ALLOWED_ORIGINS and clients that are not browsers (no Origin) connect.
    expect(await connect(plain.url, plain.url)).toBeNull();
    expect(await connect(`${plain.url}/live`, plain.url, token)).toBeNull();
    expect(await connect(`${plain.url}/live`, PARTNER, token)).toBeNull();
    expect(await connect(plain.url, undefined)).toBeNull();
  });
});
