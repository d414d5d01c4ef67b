// Passwords (scrypt), database-backed sessions and CSRF. Login throttling: loginThrottle.ts.

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

/** OWASP's current scrypt level (Password Storage Cheat Sheet): N=2^17, r=8, p=1, 128 MiB per hash. */
const N = 2 ** 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** Node refuses scrypt above maxmem (32 MiB by default); 128·N·r is 128 MiB here. */
const scryptMaxmem = (n: number, r: number) => 2 * 128 * n * r;
/** Hashes computed at once: each holds 128 MiB, so a burst of logins cannot exhaust memory. */
const HASHES_AT_ONCE = 2;

export const SESSION_COOKIE = 'diemcau_session';
export const SESSION_TTL_MS = 12 * 3600_000;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs one scrypt computation, at most HASHES_AT_ONCE at a time, in arrival order. */
async function scryptQueued(password: string, salt: Buffer, keylen: number, n: number, r: number, p: number) {
  if (running >= HASHES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await scrypt(password.normalize('NFC'), salt, keylen, { N: n, r, p, maxmem: scryptMaxmem(n, r) });
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/**
 * A password printed in the README (the demo accounts) protects nothing, so it
 * is hashed cheaply: nine full-strength hashes would add seconds to every demo
 * start. needsRehash() brings it to full strength at its first login.
 */
const PUBLISHED_N = 2 ** 14;

/** "scrypt$N$r$p$saltB64$hashB64" */
export async function hashPassword(password: string, published = false): Promise<string> {
  const n = published ? PUBLISHED_N : N;
  const salt = crypto.randomBytes(16);
  const hash = await scryptQueued(password, salt, KEYLEN, n, R, P);
  return `scrypt$${n}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  const got = await scryptQueued(password, salt, expected.length, n, r, p);
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/** A hash made at weaker settings than today's: rehashed at the next successful login. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`scrypt$${N}$${R}$${P}$`);
}

/** A hash of a random password, compared against when the login does not exist (same timing). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied from a screen. */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A generated password: 4 groups of 5 readable characters (about 99 bits), e.g. "k7m2p-…". */
export function generatePassword(): string {
  const chars = Array.from({ length: 20 }, () => READABLE[crypto.randomInt(READABLE.length)]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
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
  /** Given a generated password: only the password change is allowed until it is done. */
  mustChangePassword: boolean;
  /** Where the password is checked: here (local) or by the province's directory (scheduler/directory/). */
  authSource: 'local' | 'ldap' | 'oidc';
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
    user: {
      id: u.id,
      login: u.login,
      name: u.name,
      role: u.role as UserRole,
      unitId: u.unitId,
      roomId: u.roomId,
      mustChangePassword: u.mustChangePassword,
      authSource: u.authSource as AuthUser['authSource'],
    },
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

/** What a session with a generated password may still do: see itself, choose a password, leave. */
const BEFORE_PASSWORD_CHANGE = new Set(['/api/auth/me', '/api/auth/password', '/api/auth/logout', '/api/auth/login']);

/** A session whose user must change the password is refused everything else, with a code the client acts on. */
export function checkPasswordChanged(req: FastifyRequest): void {
  if (!req.principal?.user.mustChangePassword || BEFORE_PASSWORD_CHANGE.has(req.routeOptions.url ?? '')) return;
  throw new ApiError(
    403,
    'PASSWORD_CHANGE_REQUIRED',
    'Tài khoản đang dùng mật khẩu được cấp tự động: hãy đặt mật khẩu mới trước (POST /api/auth/password).',
    'This account still has its generated password: choose a new one first (POST /api/auth/password).',
  );
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
