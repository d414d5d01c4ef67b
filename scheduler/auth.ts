// Passwords (scrypt), database-backed sessions, CSRF and login throttling.

import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '../contract/enums.ts';
import type { Db } from './db.ts';
import { ApiError, forbidden, unauthenticated } from './errors.ts';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

export const SESSION_COOKIE = 'diemcau_session';
export const SESSION_TTL_MS = 12 * 3600_000;

/** "scrypt$N$r$p$saltB64$hashB64" */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  const got = await scrypt(password.normalize('NFC'), salt, expected.length, {
    N: n,
    r,
    p,
    maxmem: 64 * 1024 * 1024,
  });
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/** A hash of a random password, compared against when the login does not exist (same timing). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export interface AuthUser {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  unitId: string | null;
  roomId: string | null;
}

export interface Principal {
  user: AuthUser;
  /** Materialized path of the user's scope unit; null = the whole tree (admin). */
  scopePath: string | null;
  sessionId: string;
  csrfToken: string;
  via: 'cookie' | 'bearer';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  return header ? parseCookie(header)[name] : undefined;
}

/** Looks the session up from the Authorization bearer token or the session cookie. */
export async function resolvePrincipal(db: Db, req: FastifyRequest): Promise<Principal | null> {
  let token: string | undefined;
  let via: Principal['via'] = 'cookie';
  const authz = req.headers.authorization;
  if (authz?.toLowerCase().startsWith('bearer ')) {
    token = authz.slice(7).trim();
    via = 'bearer';
  } else {
    token = cookieValue(req.headers.cookie, SESSION_COOKIE);
  }
  if (!token || token.length > 200) return null;
  return principalFromToken(db, token, via);
}

export async function principalFromToken(db: Db, token: string, via: Principal['via']): Promise<Principal | null> {
  const id = sha256(token);
  const session = await db.session.findUnique({
    where: { id },
    include: { user: { include: { unit: { select: { path: true } } } } },
  });
  const now = Date.now();
  if (!session || session.expiresAt.getTime() <= now || !session.user.active) return null;
  if (now - session.lastSeenAt.getTime() > 60_000) {
    await db.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } }).catch(() => undefined);
  }
  const u = session.user;
  return {
    user: { id: u.id, login: u.login, name: u.name, role: u.role as UserRole, unitId: u.unitId, roomId: u.roomId },
    scopePath: u.role === 'admin' ? null : (u.unit?.path ?? '/__none__/'),
    sessionId: id,
    csrfToken: session.csrfToken,
    via,
  };
}

export function requireUser(req: FastifyRequest, roles?: readonly UserRole[]): Principal {
  const p = req.principal;
  if (!p) throw unauthenticated();
  if (roles && !roles.includes(p.user.role)) throw forbidden();
  return p;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookie-authenticated writes must echo the session's CSRF token in x-csrf-token. */
export function checkCsrf(req: FastifyRequest): void {
  const p = req.principal;
  if (p?.via !== 'cookie' || SAFE_METHODS.has(req.method)) return;
  // Logging in again over a still-valid cookie must work (it has no CSRF token yet).
  if (req.routeOptions.url?.endsWith('/auth/login')) return;
  const header = req.headers['x-csrf-token'];
  const given = Array.isArray(header) ? header[0] : header;
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(p.csrfToken);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    throw new ApiError(
      403,
      'CSRF',
      'Thiếu hoặc sai mã chống giả mạo (x-csrf-token). Hãy tải lại trang.',
      'Missing or wrong x-csrf-token header (CSRF protection). Reload the page.',
    );
  }
}

// Lax, not Strict: a link to a meeting opened from e-mail must arrive logged in.
const SESSION_COOKIE_ATTRIBUTES = { path: '/', httpOnly: true, sameSite: 'lax' } as const;

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  reply.header(
    'set-cookie',
    stringifySetCookie({
      name: SESSION_COOKIE,
      value: token,
      expires,
      secure: req.protocol === 'https',
      ...SESSION_COOKIE_ATTRIBUTES,
    }),
  );
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header(
    'set-cookie',
    stringifySetCookie({ name: SESSION_COOKIE, value: '', maxAge: 0, ...SESSION_COOKIE_ATTRIBUTES }),
  );
}

/** Failed logins: 5 per login (and 30 per client address) in 15 minutes, then 429 until the window passes. */
export class LoginThrottle {
  private failures = new Map<string, number[]>();
  constructor(
    private readonly perLogin = 5,
    private readonly perIp = 30,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait, or 0 when allowed. */
  blockedFor(login: string, ip: string, now = Date.now()): number {
    const byLogin = this.recent(`l:${login.toLowerCase()}`, now);
    const byIp = this.recent(`i:${ip}`, now);
    let until = 0;
    if (byLogin.length >= this.perLogin) until = Math.max(until, (byLogin[0] as number) + this.windowMs);
    if (byIp.length >= this.perIp) until = Math.max(until, (byIp[0] as number) + this.windowMs);
    return until ? Math.ceil((until - now) / 1000) : 0;
  }

  fail(login: string, ip: string, now = Date.now()): void {
    for (const key of [`l:${login.toLowerCase()}`, `i:${ip}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  succeed(login: string): void {
    this.failures.delete(`l:${login.toLowerCase()}`);
  }
}
