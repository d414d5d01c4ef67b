import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, hashPassword, type Principal, requireUser, sha256 } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { User } from '../generated/prisma/client.ts';
import { checkLocalPassword, passwordSignIn, startSession } from '../signIn.ts';

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

export async function describeUser(ctx: Ctx, p: Principal) {
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
    authSource: p.user.authSource,
    unit: u?.unit ? { id: u.unit.id, name: u.unit.name, kind: u.unit.kind, code: u.unit.code } : null,
    room: u?.room ? { id: u.room.id, name: u.room.name, unitId: u.room.unitId, unitName: u.room.unit.name } : null,
  };
}

/** The limit of requests per minute from one address, on the routes that check a password. */
export function perAddressLimit(ctx: Ctx) {
  return { rateLimit: { max: ctx.config.AUTH_REQUESTS_PER_MINUTE, timeWindow: 60_000 } };
}

export function principalOf(user: User, sessionId: string, csrfToken: string): Principal {
  return {
    user: {
      id: user.id,
      login: user.login,
      name: user.name,
      role: user.role as Principal['user']['role'],
      unitId: user.unitId,
      roomId: user.roomId,
      mustChangePassword: user.mustChangePassword,
      authSource: user.authSource as Principal['user']['authSource'],
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
      const { user, method } = await passwordSignIn(ctx, req, reply, req.body);
      const { token, csrfToken, expiresAt } = await startSession(ctx, req, reply, user, method);
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
      if (p.user.authSource !== 'local') throw new ApiError(400, 'DIRECTORY_ACCOUNT');
      const { currentPassword, newPassword } = req.body;
      if (newPassword === currentPassword || newPassword.toLowerCase() === p.user.login.toLowerCase()) {
        throw new ApiError(
          400,
          'WEAK_PASSWORD',
          'Mật khẩu mới phải khác mật khẩu hiện tại và khác tên đăng nhập.',
          'The new password must differ from the current one and from the login.',
        );
      }
      const user = await checkLocalPassword(ctx, req, reply, { login: p.user.login, password: currentPassword }, () => {
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
