// Signing in: a password checked locally (scrypt) or by the LDAP directory,
// under the login throttle; then a session. OpenID Connect sign-in ends in the
// same startSession (scheduler/routes/directory.ts). Every way in and every
// refusal is in the audit log with its method.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  randomToken,
  SESSION_TTL_MS,
  setSessionCookie,
  sha256,
  verifyPassword,
} from './auth.ts';
import { audit, type Ctx } from './context.ts';
import { deactivate, signInDirectoryPerson } from './directory/accounts.ts';
import { DirectoryUnavailable, type LdapDirectory } from './directory/ldap.ts';
import { ApiError } from './errors.ts';
import type { User } from './generated/prisma/client.ts';
import type { LoginAttempt } from './loginThrottle.ts';

export type SignInMethod = 'local' | 'ldap' | 'oidc';

interface Credentials {
  login: string;
  password: string;
}

function tooManyAttempts(reply: FastifyReply, seconds: number): ApiError {
  reply.header('retry-after', String(seconds));
  const minutes = Math.ceil(seconds / 60);
  return new ApiError(
    429,
    'RATE_LIMITED',
    `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
    `Too many failed logins. Try again in ${minutes} minute(s).`,
    { retryAfterSeconds: seconds },
  );
}

export const badCredentials = () =>
  new ApiError(401, 'BAD_CREDENTIALS', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.');

/** Counts the attempt before the slow check; throws 429 when the throttle refuses it. */
async function throttled(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, login: string): Promise<LoginAttempt> {
  const gate = ctx.throttle.begin(login, req.ip);
  if (!gate.allowed) throw tooManyAttempts(reply, gate.retryAfterSeconds);
  if (gate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.delayMs));
  return gate.attempt;
}

export function loginFailed(ctx: Ctx, req: FastifyRequest, user: User | null, details: Record<string, unknown>) {
  return audit(ctx.db, null, 'auth.login_failed', 'user', user?.id ?? null, details, req.ip);
}

/**
 * The sign-in screen's password: a local account's is checked here; any other
 * login goes to the LDAP directory when one is configured. Returns the account.
 */
export async function passwordSignIn(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  credentials: Credentials,
): Promise<{ user: User; method: SignInMethod }> {
  const attempt = await throttled(ctx, req, reply, credentials.login);
  const account = await ctx.db.user.findUnique({ where: { login: credentials.login } });
  const ldap = ctx.directory.ldap;
  if (ldap && (!account || account.authSource === 'ldap')) {
    return { user: await ldapSignIn(ctx, req, ldap, attempt, credentials), method: 'ldap' };
  }
  if (account?.authSource === 'oidc') {
    await loginFailed(ctx, req, account, { login: credentials.login, method: 'local', reason: 'oidc_account' });
    throw new ApiError(
      400,
      'DIRECTORY_ACCOUNT',
      'Tài khoản này đăng nhập bằng nút "Đăng nhập bằng tài khoản của tỉnh", không bằng mật khẩu ở đây.',
      'This account signs in with the "Sign in with the province account" button, not with a password here.',
    );
  }
  return { user: await localPassword(ctx, req, attempt, account, credentials, badCredentials), method: 'local' };
}

/** A local account's password, e.g. the current one before a change. Throws `wrong()` or 429. */
export async function checkLocalPassword(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  credentials: Credentials,
  wrong: () => ApiError,
): Promise<User> {
  const attempt = await throttled(ctx, req, reply, credentials.login);
  const account = await ctx.db.user.findUnique({ where: { login: credentials.login } });
  return localPassword(ctx, req, attempt, account, credentials, wrong);
}

async function localPassword(
  ctx: Ctx,
  req: FastifyRequest,
  attempt: LoginAttempt,
  user: User | null,
  { login, password }: Credentials,
  wrong: () => ApiError,
): Promise<User> {
  // A directory account's hash is empty and never matches: it is checked like a missing login (same timing).
  const stored = user?.authSource === 'local' ? user.passwordHash : await dummyPasswordHash();
  const ok = await verifyPassword(password, stored);
  if (!user || !ok || !user.active || user.authSource !== 'local') {
    await loginFailed(ctx, req, user, { login, method: 'local' });
    throw wrong();
  }
  attempt.succeeded();
  return needsRehash(user.passwordHash) ? rehash(ctx, user, password) : user;
}

/** Stores the password at today's scrypt settings, unless it was changed meanwhile. */
async function rehash(ctx: Ctx, user: User, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  const { count } = await ctx.db.user.updateMany({
    where: { id: user.id, passwordHash: user.passwordHash },
    data: { passwordHash },
  });
  return count === 1 ? { ...user, passwordHash } : user;
}

async function ldapSignIn(
  ctx: Ctx,
  req: FastifyRequest,
  ldap: LdapDirectory,
  attempt: LoginAttempt,
  { login, password }: Credentials,
): Promise<User> {
  let entry: Awaited<ReturnType<LdapDirectory['authenticate']>>;
  try {
    entry = await ldap.authenticate(login, password);
  } catch (err) {
    if (!(err instanceof DirectoryUnavailable)) throw err;
    // The directory's outage is not the user's failure: the attempt does not count.
    attempt.succeeded();
    ctx.log.warn({ err: err.message }, 'directory: LDAP unavailable at sign-in');
    await loginFailed(ctx, req, null, { login, method: 'ldap', reason: 'unavailable' });
    throw new ApiError(503, 'DIRECTORY_UNAVAILABLE');
  }
  if (!entry) {
    await loginFailed(ctx, req, null, { login, method: 'ldap' });
    throw badCredentials();
  }
  attempt.succeeded();
  const account = await ctx.db.user.findFirst({
    where: { authSource: 'ldap', OR: [{ externalId: entry.person.externalId }, { login: entry.person.login }] },
  });
  if (entry.disabled) {
    if (account) await deactivate(ctx.db, account, 'disabled');
    await loginFailed(ctx, req, account, { login, method: 'ldap', reason: 'disabled' });
    throw new ApiError(403, 'ACCOUNT_DISABLED');
  }
  try {
    return await signInDirectoryPerson(ctx.db, entry.person, req.ip);
  } catch (err) {
    if (err instanceof ApiError) await loginFailed(ctx, req, account, { login, method: 'ldap', reason: err.code });
    throw err;
  }
}

/** A new session for the user: its cookie is set, and the bearer and CSRF tokens returned. */
export async function startSession(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  user: User,
  method: SignInMethod,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await ctx.db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { userId: user.id, expiresAt: { lt: new Date() } } });
    await tx.session.create({
      data: {
        id: sha256(token),
        userId: user.id,
        csrfToken,
        expiresAt,
        ip: req.ip,
        userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
      },
    });
    // Shown on the administrator's accounts screen (an account nobody uses is one to deactivate).
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await tx.auditLog.create({
      data: {
        userId: user.id,
        userLogin: user.login,
        action: 'auth.login',
        entity: 'user',
        entityId: user.id,
        details: JSON.stringify({ method }),
        ip: req.ip,
      },
    });
  });
  setSessionCookie(req, reply, token, expiresAt);
  return { token, csrfToken, expiresAt };
}
