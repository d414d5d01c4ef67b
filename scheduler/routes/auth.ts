import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clearSessionCookie,
  dummyPasswordHash,
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

const loginBody = z.strictObject({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
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
    unit: u?.unit ? { id: u.unit.id, name: u.unit.name, kind: u.unit.kind, code: u.unit.code } : null,
    room: u?.room ? { id: u.room.id, name: u.room.name, unitId: u.room.unitId, unitName: u.room.unit.name } : null,
  };
}

export async function authRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie and returns the bearer token and CSRF token',
        security: [],
        body: loginBody,
      },
    },
    async (req, reply) => {
      const { login, password } = req.body;
      const wait = ctx.throttle.blockedFor(login, req.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiError(
          429,
          'RATE_LIMITED',
          `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.`,
          `Too many failed logins. Try again in ${Math.ceil(wait / 60)} minute(s).`,
          { retryAfterSeconds: wait },
        );
      }
      const user = await ctx.db.user.findUnique({ where: { login } });
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok || !user.active) {
        ctx.throttle.fail(login, req.ip);
        await audit(ctx.db, null, 'auth.login_failed', 'user', user?.id ?? null, { login }, req.ip);
        throw new ApiError(401, 'BAD_CREDENTIALS', 'Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.');
      }
      ctx.throttle.succeed(login);
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
      const p: Principal = {
        user: {
          id: user.id,
          login: user.login,
          name: user.name,
          role: user.role as Principal['user']['role'],
          unitId: user.unitId,
          roomId: user.roomId,
        },
        scopePath: null,
        sessionId: sha256(token),
        csrfToken,
        via: 'cookie',
      };
      return { token, csrfToken, expiresAt: expiresAt.toISOString(), user: await describeUser(ctx, p) };
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
