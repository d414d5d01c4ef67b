import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clearSessionCookie,
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  type Principal,
  randomToken,
  requireUser,
  SESSION_TTL_MS,
  setSessionCookie,
  sha256,
  verifyPassword,
} from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { User } from '../generated/prisma/client.ts';

const loginBody = z.strictObject({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

const MIN_PASSWORD_LENGTH = 10;

const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z
    .string()
    .min(
      MIN_PASSWORD_LENGTH,
      `Mật khẩu mới cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự | The new password needs at least ${MIN_PASSWORD_LENGTH} characters`,
    )
    .max(200),
});

async function describeUser(ctx: Ctx, p: Principal) {
  const u = await ctx.db.user.findUnique({
    where: { id: p.user.id },
    include: { unit: true, room: { include: { unit: true } } },
  });
  return {
    id: p.user.id,
    login: p.user.login,
    name: p.user.name,
    role: p.user.role,
    mustChangePassword: p.user.mustChangePassword,
    unit: u?.unit ? { id: u.unit.id, name: u.unit.name, kind: u.unit.kind, code: u.unit.code } : null,
    room: u?.room ? { id: u.room.id, name: u.room.name, unitId: u.room.unitId, unitName: u.room.unit.name } : null,
  };
}

/** The limit of requests per minute from one address, on the routes that check a password. */
function perAddressLimit(ctx: Ctx) {
  return { rateLimit: { max: ctx.config.AUTH_REQUESTS_PER_MINUTE, timeWindow: 60_000 } };
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

const badCredentials = () =>
  new ApiError(401, 'BAD_CREDENTIALS', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.');

/**
 * Checks a login's password under the throttle: the attempt is counted before the
 * slow check. Returns the user (its hash as now stored) when the password is right;
 * throws `wrong()` or 429.
 */
async function checkPassword(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  { login, password }: { login: string; password: string },
  wrong: () => ApiError,
): Promise<User> {
  const gate = ctx.throttle.begin(login, req.ip);
  if (!gate.allowed) throw tooManyAttempts(reply, gate.retryAfterSeconds);
  if (gate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.delayMs));
  const user = await ctx.db.user.findUnique({ where: { login } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok || !user.active) {
    await audit(ctx.db, null, 'auth.login_failed', 'user', user?.id ?? null, { login }, req.ip);
    throw wrong();
  }
  gate.attempt.succeeded();
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

function principalOf(user: User, sessionId: string, csrfToken: string): Principal {
  return {
    user: {
      id: user.id,
      login: user.login,
      name: user.name,
      role: user.role as Principal['user']['role'],
      unitId: user.unitId,
      roomId: user.roomId,
      mustChangePassword: user.mustChangePassword,
    },
    scopePath: null,
    sessionId,
    csrfToken,
    via: 'cookie',
  };
}

export async function authRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/auth/login',
    {
      config: perAddressLimit(ctx),
      schema: {
        tags: ['auth'],
        summary:
          'Log in; sets the session cookie and returns the bearer token and CSRF token. ' +
          'user.mustChangePassword: every other request answers 403 PASSWORD_CHANGE_REQUIRED until POST /auth/password.',
        security: [],
        body: loginBody,
      },
    },
    async (req, reply) => {
      const user = await checkPassword(ctx, req, reply, req.body, badCredentials);
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
            ip: req.ip,
          },
        });
      });
      setSessionCookie(req, reply, token, expiresAt);
      const p = principalOf(user, sha256(token), csrfToken);
      return { token, csrfToken, expiresAt: expiresAt.toISOString(), user: await describeUser(ctx, p) };
    },
  );

  r.post(
    '/auth/password',
    {
      config: perAddressLimit(ctx),
      schema: {
        tags: ['auth'],
        summary: 'Change my password (required first when user.mustChangePassword); ends my other sessions',
        body: passwordBody,
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const { currentPassword, newPassword } = req.body;
      if (newPassword === currentPassword || newPassword.toLowerCase() === p.user.login.toLowerCase()) {
        throw new ApiError(
          400,
          'WEAK_PASSWORD',
          'Mật khẩu mới phải khác mật khẩu hiện tại và khác tên đăng nhập.',
          'The new password must differ from the current one and from the login.',
        );
      }
      const user = await checkPassword(ctx, req, reply, { login: p.user.login, password: currentPassword }, () => {
        return new ApiError(403, 'WRONG_PASSWORD', 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.');
      });
      const passwordHash = await hashPassword(newPassword);
      await ctx.db.$transaction(async (tx) => {
        // Conditional on the hash just checked: a change made meanwhile (an administrator's reset) wins.
        const { count } = await tx.user.updateMany({
          where: { id: user.id, passwordHash: user.passwordHash },
          data: { passwordHash, mustChangePassword: false },
        });
        if (count !== 1) {
          throw new ApiError(
            409,
            'PASSWORD_CHANGED_MEANWHILE',
            'Mật khẩu vừa được thay đổi ở nơi khác. Hãy đăng nhập lại.',
            'The password was changed elsewhere meanwhile. Log in again.',
          );
        }
        await tx.session.deleteMany({ where: { userId: user.id, id: { not: p.sessionId } } });
        await audit(tx, p, 'auth.password_changed', 'user', user.id, undefined, req.ip);
      });
      const changed = { ...p, user: { ...p.user, mustChangePassword: false } };
      return { ok: true, user: await describeUser(ctx, changed) };
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user and the CSRF token for cookie writes' } },
    async (req) => {
      const p = requireUser(req);
      return { user: await describeUser(ctx, p), csrfToken: p.csrfToken };
    },
  );

  r.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    const p = requireUser(req);
    await ctx.db.session.deleteMany({ where: { id: p.sessionId } });
    await audit(ctx.db, p, 'auth.logout', 'user', p.user.id, undefined, req.ip);
    clearSessionCookie(reply);
    return { ok: true };
  });
}
