// User accounts (admin): each role's scope (a unit, or one room for an
// operator; scheduler/accounts.ts), generated one-time passwords, password
// resets and deactivation, which end the user's sessions. Every change is
// audited, and none may leave the hub without an active administrator.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../../contract/enums.ts';
import type { AccountsResponse, CreateAccountResponse } from '../../contract/rest/accounts.ts';
import {
  accountSelect,
  assertAdminRemains,
  endsSessions,
  LOGIN_PATTERN,
  LOGIN_RULE,
  type Scope,
  scopeFor,
  toAccount,
} from '../accounts.ts';
import { generatePassword, hashPassword, type Principal, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { type Tx, uniqueViolation } from '../db.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { revokeIfUserInactive } from '../revocation.ts';
import { activeUnit } from '../units/activeUnit.ts';
import { boolQuery, id, idParams } from './params.ts';

const userBody = z.strictObject({
  login: z.string().trim().min(2).max(100).regex(LOGIN_PATTERN, LOGIN_RULE.join(' | ')),
  name: z.string().trim().min(1).max(200),
  /** Omitted: the hub generates a one-time password and answers it once. */
  password: z.string().min(10).max(200).optional(),
  role: z.enum(USER_ROLES),
  unitId: id.nullable().optional(),
  roomId: id.nullable().optional(),
  active: z.boolean().optional(),
});

const patchBody = userBody.omit({ password: true }).partial();

const duplicateLogin = () => conflict('DUPLICATE', 'Tên đăng nhập đã tồn tại.', 'Login already exists.');

/** The unit and room named, looked up, and the scope the role takes from them (400 when the combination is wrong). */
async function checkScope(
  tx: Tx,
  role: UserRole,
  unitId: string | null | undefined,
  roomId: string | null | undefined,
): Promise<Scope> {
  // An inactive unit (deactivated or merged) takes no new account.
  const unit = unitId ? await activeUnit(tx, unitId) : null;
  const room = roomId ? await tx.endpointRoom.findUnique({ where: { id: roomId } }) : null;
  if (roomId && !room) throw notFound('điểm cầu', 'Room');
  const shape = scopeFor(role, unit, room);
  if ('problem' in shape) throw badRequest(shape.problem[0], shape.problem[1]);
  return shape.scope;
}

/** Runs a change of accounts; a unique login clash answers 409. */
async function writing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (uniqueViolation(err)) throw duplicateLogin();
    throw err;
  }
}

export async function userRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List accounts, with their scope and last login (admin)',
        querystring: z.strictObject({
          role: z.enum(USER_ROLES).optional(),
          /** The accounts scoped anywhere in this unit's subtree. */
          unitId: id.optional(),
          active: boolQuery.optional(),
          /** Part of the login or the name. */
          q: z.string().trim().max(100).optional(),
        }),
      },
    },
    async (req): Promise<AccountsResponse> => {
      requireUser(req, ['admin']);
      const q = req.query;
      const where: Prisma.UserWhereInput = {};
      if (q.role) where.role = q.role;
      if (q.active !== undefined) where.active = q.active;
      if (q.q) where.OR = [{ login: { contains: q.q } }, { name: { contains: q.q } }];
      if (q.unitId) {
        const unit = await db.unit.findUnique({ where: { id: q.unitId } });
        if (!unit) throw notFound('đơn vị', 'Unit');
        where.unit = { path: { startsWith: unit.path } };
      }
      const users = await db.user.findMany({ where, select: accountSelect, orderBy: { login: 'asc' } });
      return { users: users.map(toAccount) };
    },
  );

  r.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create an account (admin); without a password the answer carries a generated one-time password',
        body: userBody,
      },
    },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const generated = b.password ? undefined : generatePassword();
      const passwordHash = await hashPassword(b.password ?? (generated as string));
      const user = await db.$transaction((tx) =>
        writing(async () => {
          const scope = await checkScope(tx, b.role, b.unitId, b.roomId);
          const u = await tx.user.create({
            // Whoever chose the password, its owner replaces it at the first login.
            data: {
              login: b.login,
              name: b.name,
              role: b.role,
              passwordHash,
              mustChangePassword: true,
              active: b.active ?? true,
              ...scope,
            },
            select: accountSelect,
          });
          await audit(tx, p, 'user.create', 'user', u.id, { ...b, ...scope, password: undefined }, req.ip);
          return u;
        }),
      );
      const body: CreateAccountResponse = { user: toAccount(user), ...(generated && { password: generated }) };
      return reply.code(201).send(body);
    },
  );

  r.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary:
          'Edit an account: name, login, role and scope, (de)activate; a change of role or scope ends its sessions (admin)',
        params: idParams,
        body: patchBody,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const user = await db.$transaction((tx) =>
        writing(async () => {
          const u = await tx.user.findUnique({ where: { id: req.params.id } });
          if (!u) throw notFound('tài khoản', 'User');
          const role = b.role ?? (u.role as UserRole);
          const keep = role === u.role;
          // A new role starts from the scope sent with it: an operator's room does not carry over to a secretariat.
          const unitScoped = role === 'secretariat' || role === 'chair';
          const unitId = b.unitId !== undefined ? b.unitId : keep && unitScoped ? u.unitId : null;
          const roomId = b.roomId !== undefined ? b.roomId : keep ? u.roomId : null;
          const scope = await checkScope(tx, role, unitId, roomId);
          const active = b.active ?? u.active;
          const updated = await tx.user.update({
            where: { id: u.id },
            data: {
              ...(b.login !== undefined && { login: b.login }),
              ...(b.name !== undefined && { name: b.name }),
              active,
              role,
              ...scope,
            },
            select: accountSelect,
          });
          const ended = endsSessions(u, { role, active, ...scope });
          if (ended) await tx.session.deleteMany({ where: { userId: u.id } });
          await assertAdminRemains(tx);
          await audit(tx, p, 'user.update', 'user', u.id, { ...b, sessionsEnded: ended }, req.ip);
          return updated;
        }),
      );
      revokeIfUserInactive(ctx, user);
      return { user: toAccount(user) };
    },
  );

  r.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary:
          'Give an account a generated one-time password, answered once; its owner must change it at the next login, its sessions end (admin)',
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      await db.$transaction(async (tx) => {
        const u = await tx.user.findUnique({ where: { id: req.params.id } });
        if (!u) throw notFound('tài khoản', 'User');
        // A directory account's password lives in the directory: a local one would never be asked for.
        if (u.authSource !== 'local') throw new ApiError(400, 'DIRECTORY_ACCOUNT');
        await tx.user.update({ where: { id: u.id }, data: { passwordHash, mustChangePassword: true } });
        await tx.session.deleteMany({ where: { userId: u.id } });
        await audit(tx, p, 'user.password_reset', 'user', u.id, { login: u.login }, req.ip);
      });
      return { password };
    },
  );

  r.delete(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'Deactivate an account and end its sessions (admin)', params: idParams } },
    async (req) => {
      const p = requireUser(req, ['admin']);
      await deactivate(db, p, req.params.id, req.ip);
      revokeIfUserInactive(ctx, { id: req.params.id, active: false });
      return { ok: true };
    },
  );
}

async function deactivate(db: Ctx['db'], p: Principal, userId: string, ip: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id: userId } });
    if (!u) throw notFound('tài khoản', 'User');
    await tx.user.update({ where: { id: u.id }, data: { active: false } });
    await tx.session.deleteMany({ where: { userId: u.id } });
    await assertAdminRemains(tx);
    await audit(tx, p, 'user.deactivate', 'user', u.id, { login: u.login }, ip);
  });
}
