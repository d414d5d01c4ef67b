// What sign-in methods the hub offers, and the OpenID Connect round trip:
// /auth/oidc/start sends the browser to the province's provider,
// /auth/oidc/callback brings it back signed in (or with ?signin_error=CODE,
// which the sign-in screen puts in words).
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiErrorCode } from '../../contract/errors.ts';
import type { Ctx } from '../context.ts';
import { signInDirectoryPerson } from '../directory/accounts.ts';
import { DirectoryUnavailable } from '../directory/ldap.ts';
import type { OidcSignIn } from '../directory/oidc.ts';
import { ApiError } from '../errors.ts';
import { loginFailed, startSession } from '../signIn.ts';
import { perAddressLimit } from './auth.ts';

const STATE_COOKIE = 'diemcau_oidc_state';
const STATE_COOKIE_PATH = '/api/auth/oidc';

const methodsResponse = z.object({
  password: z.literal(true),
  ldap: z.boolean(),
  oidc: z.boolean(),
});

function stateCookie(req: FastifyRequest, value: string, maxAge: number): string {
  // Lax: the provider's redirect back is a top-level GET, which carries it.
  return stringifySetCookie({
    name: STATE_COOKIE,
    value,
    maxAge,
    path: STATE_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
  });
}

function oidcOf(ctx: Ctx): OidcSignIn {
  const oidc = ctx.directory.oidc;
  if (oidc) return oidc;
  throw new ApiError(
    404,
    'NOT_FOUND',
    'Hệ thống chưa cấu hình đăng nhập bằng tài khoản của tỉnh (OIDC_ISSUER).',
    'Sign-in with the province account is not configured (OIDC_ISSUER).',
  );
}

export async function directoryRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/auth/methods',
    {
      schema: {
        tags: ['auth'],
        summary: 'The sign-in methods offered: password (local, or checked by LDAP), and the province account (OIDC)',
        security: [],
        response: { 200: methodsResponse },
      },
    },
    async () => ({ password: true as const, ldap: ctx.directory.ldap !== null, oidc: ctx.directory.oidc !== null }),
  );

  r.get(
    '/auth/oidc/start',
    {
      config: perAddressLimit(ctx),
      schema: { tags: ['auth'], summary: 'Sign in with the province account: redirects to the provider', security: [] },
    },
    async (req, reply) => {
      const oidc = oidcOf(ctx);
      try {
        const { url, state } = await oidc.start();
        reply.header('set-cookie', stateCookie(req, state, 600));
        return reply.redirect(url.href, 302);
      } catch (err) {
        if (!(err instanceof DirectoryUnavailable)) throw err;
        ctx.log.warn({ err: err.message }, 'directory: OIDC provider unavailable');
        return backToLogin(reply, 'DIRECTORY_UNAVAILABLE');
      }
    },
  );

  r.get(
    '/auth/oidc/callback',
    {
      config: perAddressLimit(ctx),
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back: starts the session and redirects to the app',
        security: [],
      },
    },
    async (req, reply) => {
      const oidc = oidcOf(ctx);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const cookieState = parseCookie(req.headers.cookie ?? '')[STATE_COOKIE];
      reply.header('set-cookie', stateCookie(req, '', 0));
      try {
        const person = await oidc.finish(query, cookieState);
        const user = await signInDirectoryPerson(ctx.db, person, req.ip).catch(async (err) => {
          if (err instanceof ApiError) {
            await loginFailed(ctx, req, null, { login: person.login, method: 'oidc', reason: err.code });
          }
          throw err;
        });
        await startSession(ctx, req, reply, user, 'oidc');
        return reply.redirect('/', 302);
      } catch (err) {
        if (err instanceof ApiError) return backToLogin(reply, err.code);
        const unavailable = err instanceof DirectoryUnavailable;
        ctx.log.warn({ err: String(err) }, 'directory: OIDC sign-in failed');
        await loginFailed(ctx, req, null, { method: 'oidc', reason: unavailable ? 'unavailable' : String(err) });
        return backToLogin(reply, unavailable ? 'DIRECTORY_UNAVAILABLE' : 'SSO_FAILED');
      }
    },
  );
}

function backToLogin(reply: FastifyReply, code: ApiErrorCode) {
  return reply.redirect(`/?signin_error=${encodeURIComponent(code)}`, 302);
}
