// User accounts (admin): each role's scope (a unit, or one room for an
// operator), password resets and deactivation, which end the user's sessions.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { USER_ROLES } from '../../contract/enums.ts';
import { hashPassword, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { type Tx, uniqueViolation } from '../db.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { revokeIfUserInactive } from '../revocation.ts';
import { activeUnit } from '../units/activeUnit.ts';
import { id, idParams } from './params.ts';

export async function userRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  const userSelect = {
    id: true,
    login: true,
    name: true,
    role: true,
    unitId: true,
    roomId: true,
    active: true,
    createdAt: true,
    updatedAt: true,
  } as const;

  const userBody = z.strictObject({
    login: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .regex(
        /^[a-zA-Z0-9._@-]+$/,
        'Tên đăng nhập chỉ gồm chữ, số và . _ @ - | Login may only contain letters, digits and . _ @ -',
      ),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(8).max(200),
    role: z.enum(USER_ROLES),
    unitId: id.nullable().optional(),
    roomId: id.nullable().optional(),
    active: z.boolean().optional(),
  });

  async function checkUserShape(
    tx: Tx,
    role: string,
    unitId: string | null | undefined,
    roomId: string | null | undefined,
  ): Promise<{ unitId: string | null; roomId: string | null }> {
    if (role === 'room_operator') {
      if (!roomId) throw badRequest('Cán bộ kỹ thuật điểm cầu cần roomId.', 'A room operator needs a roomId.');
      const room = await tx.endpointRoom.findUnique({ where: { id: roomId } });
      if (!room) throw notFound('điểm cầu', 'Room');
      return { unitId: room.unitId, roomId };
    }
    if (roomId) throw badRequest('Chỉ cán bộ điểm cầu có roomId.', 'Only room operators have a roomId.');
    if (role !== 'admin' && !unitId) {
      throw badRequest('Tài khoản cần đơn vị phạm vi (unitId).', 'This role needs a scope unit (unitId).');
    }
    if (unitId) await activeUnit(tx, unitId);
    return { unitId: unitId ?? null, roomId: null };
  }

  r.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users (admin)',
        querystring: z.strictObject({ role: z.enum(USER_ROLES).optional(), unitId: id.optional() }),
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const where: Prisma.UserWhereInput = {};
      if (req.query.role) where.role = req.query.role;
      if (req.query.unitId) where.unitId = req.query.unitId;
      return { users: await db.user.findMany({ where, select: userSelect, orderBy: { login: 'asc' } }) };
    },
  );

  r.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Create a user (admin)', body: userBody } },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const passwordHash = await hashPassword(b.password);
      const user = await db.$transaction(async (tx) => {
        const shape = await checkUserShape(tx, b.role, b.unitId, b.roomId);
        try {
          const u = await tx.user.create({
            // The administrator chose the password: its owner replaces it at the first login.
            data: {
              login: b.login,
              name: b.name,
              role: b.role,
              passwordHash,
              mustChangePassword: true,
              active: b.active ?? true,
              ...shape,
            },
            select: userSelect,
          });
          await audit(tx, p, 'user.create', 'user', u.id, { ...b, password: undefined }, req.ip);
          return u;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Tên đăng nhập đã tồn tại.', 'Login already exists.');
          throw err;
        }
      });
      return reply.code(201).send({ user });
    },
  );

  r.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Edit a user, reset the password or deactivate (admin)',
        params: idParams,
        body: userBody.partial(),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const passwordHash = b.password ? await hashPassword(b.password) : undefined;
      const user = await db.$transaction(async (tx) => {
        const u = await tx.user.findUnique({ where: { id: req.params.id } });
        if (!u) throw notFound('tài khoản', 'User');
        const role = b.role ?? u.role;
        const shape = await checkUserShape(
          tx,
          role,
          b.unitId !== undefined ? b.unitId : u.unitId,
          b.roomId !== undefined ? b.roomId : role === 'room_operator' ? u.roomId : null,
        );
        try {
          const updated = await tx.user.update({
            where: { id: u.id },
            data: {
              ...(b.login !== undefined && { login: b.login }),
              ...(b.name !== undefined && { name: b.name }),
              ...(b.active !== undefined && { active: b.active }),
              ...(passwordHash && { passwordHash, mustChangePassword: true }),
              role,
              ...shape,
            },
            select: userSelect,
          });
          if (passwordHash || b.active === false || b.role) await tx.session.deleteMany({ where: { userId: u.id } });
          await audit(tx, p, 'user.update', 'user', u.id, { ...b, password: b.password ? '***' : undefined }, req.ip);
          return updated;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Tên đăng nhập đã tồn tại.', 'Login already exists.');
          throw err;
        }
      });
      revokeIfUserInactive(ctx, user);
      return { user };
    },
  );

  r.delete(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'Deactivate a user and end its sessions (admin)', params: idParams } },
    async (req) => {
      const p = requireUser(req, ['admin']);
      if (p.user.id === req.params.id) {
        throw badRequest('Không thể tự vô hiệu hóa tài khoản của mình.', 'You cannot deactivate yourself.');
      }
      await db.$transaction(async (tx) => {
        const u = await tx.user.findUnique({ where: { id: req.params.id } });
        if (!u) throw notFound('tài khoản', 'User');
        await tx.user.update({ where: { id: u.id }, data: { active: false } });
        await tx.session.deleteMany({ where: { userId: u.id } });
        await audit(tx, p, 'user.deactivate', 'user', u.id, undefined, req.ip);
      });
      revokeIfUserInactive(ctx, { id: req.params.id, active: false });
      return { ok: true };
    },
  );
}
