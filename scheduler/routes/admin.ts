// Units tree, endpoint rooms, users (admin CRUD) and the audit log.

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNIT_KINDS, USER_ROLES } from '../../contract/enums.ts';
import { hashPassword, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { revokeIfRoomInactive, revokeIfUserInactive } from '../revocation.ts';
import { feedToken } from './reports.ts';

const id = z.string().min(1).max(64);
const idParams = z.strictObject({ id });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

interface TreeNode {
  id: string;
  name: string;
  kind: string;
  code: string;
  parentId: string | null;
  depth: number;
  rooms: number;
  subtreeRooms: number;
  subtreeUnits: number;
  children: TreeNode[];
}

function uniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'P2002';
}

export async function adminRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  // ---------------------------------------------------------------- units
  r.get(
    '/units/tree',
    {
      schema: {
        tags: ['units'],
        summary: 'The unit tree with active-room counts per unit and per subtree',
        querystring: z.strictObject({ rootId: id.optional() }),
      },
    },
    async (req) => {
      requireUser(req);
      const [units, counts] = await Promise.all([
        db.unit.findMany({ orderBy: [{ depth: 'asc' }, { sortOrder: 'asc' }, { name: 'asc' }] }),
        db.endpointRoom.groupBy({ by: ['unitId'], where: { active: true }, _count: { _all: true } }),
      ]);
      const own = new Map(counts.map((c) => [c.unitId, c._count._all]));
      const nodes = new Map<string, TreeNode>();
      for (const u of units) {
        nodes.set(u.id, {
          id: u.id,
          name: u.name,
          kind: u.kind,
          code: u.code,
          parentId: u.parentId,
          depth: u.depth,
          rooms: own.get(u.id) ?? 0,
          subtreeRooms: 0,
          subtreeUnits: 1,
          children: [],
        });
      }
      const roots: TreeNode[] = [];
      for (const u of units) {
        const n = nodes.get(u.id) as TreeNode;
        const parent = u.parentId ? nodes.get(u.parentId) : undefined;
        if (parent) parent.children.push(n);
        else roots.push(n);
      }
      const total = (n: TreeNode): void => {
        n.subtreeRooms = n.rooms;
        for (const c of n.children) {
          total(c);
          n.subtreeRooms += c.subtreeRooms;
          n.subtreeUnits += c.subtreeUnits;
        }
      };
      for (const root of roots) total(root);
      const q = req.query.rootId;
      if (q) {
        const n = nodes.get(q);
        if (!n) throw notFound('đơn vị', 'Unit');
        return { tree: [n] };
      }
      return { tree: roots, totals: { units: units.length, rooms: [...own.values()].reduce((a, b) => a + b, 0) } };
    },
  );

  r.get(
    '/units',
    {
      schema: {
        tags: ['units'],
        summary: 'Flat list of units (filter by parent, kind, subtree)',
        querystring: z.strictObject({
          parentId: id.optional(),
          under: id.optional(),
          kind: z.enum(UNIT_KINDS).optional(),
        }),
      },
    },
    async (req) => {
      requireUser(req);
      const where: Prisma.UnitWhereInput = {};
      if (req.query.parentId) where.parentId = req.query.parentId;
      if (req.query.kind) where.kind = req.query.kind;
      if (req.query.under) {
        const u = await db.unit.findUnique({ where: { id: req.query.under } });
        if (!u) throw notFound('đơn vị', 'Unit');
        where.path = { startsWith: u.path };
      }
      const units = await db.unit.findMany({ where, orderBy: [{ path: 'asc' }] });
      return { units };
    },
  );

  const unitBody = z.strictObject({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(UNIT_KINDS),
    code: z.string().trim().min(1).max(64),
    parentId: id.nullable().optional(),
    sortOrder: z.number().int().min(0).max(100000).optional(),
  });

  r.post(
    '/units',
    { schema: { tags: ['units'], summary: 'Create a unit (admin)', body: unitBody } },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const unit = await db.$transaction(async (tx) => {
        const parent = b.parentId ? await tx.unit.findUnique({ where: { id: b.parentId } }) : null;
        if (b.parentId && !parent) throw notFound('đơn vị cha', 'Parent unit');
        const newId = `u-${crypto.randomUUID().slice(0, 12)}`;
        try {
          const u = await tx.unit.create({
            data: {
              id: newId,
              name: b.name,
              kind: b.kind,
              code: b.code,
              parentId: parent?.id ?? null,
              path: `${parent?.path ?? '/'}${newId}/`,
              depth: parent ? parent.depth + 1 : 0,
              sortOrder: b.sortOrder ?? 0,
            },
          });
          await audit(tx, p, 'unit.create', 'unit', u.id, b, req.ip);
          return u;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã đơn vị đã tồn tại.', 'Unit code already exists.');
          throw err;
        }
      });
      return reply.code(201).send({ unit });
    },
  );

  r.patch(
    '/units/:id',
    {
      schema: {
        tags: ['units'],
        summary: 'Rename or move a unit (admin); moving updates its whole subtree',
        params: idParams,
        body: unitBody.partial(),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const unit = await db.$transaction(async (tx) => {
        const u = await tx.unit.findUnique({ where: { id: req.params.id } });
        if (!u) throw notFound('đơn vị', 'Unit');
        const data: Prisma.UnitUpdateInput = {};
        if (b.name !== undefined) data.name = b.name;
        if (b.kind !== undefined) data.kind = b.kind;
        if (b.code !== undefined) data.code = b.code;
        if (b.sortOrder !== undefined) data.sortOrder = b.sortOrder;
        if (b.parentId !== undefined && b.parentId !== u.parentId) {
          const parent = b.parentId ? await tx.unit.findUnique({ where: { id: b.parentId } }) : null;
          if (b.parentId && !parent) throw notFound('đơn vị cha', 'Parent unit');
          if (parent?.path.startsWith(u.path)) {
            throw badRequest(
              'Không thể chuyển đơn vị vào chính cây con của nó.',
              'A unit cannot be moved under its own subtree.',
            );
          }
          const newPath = `${parent?.path ?? '/'}${u.id}/`;
          const delta = (parent ? parent.depth + 1 : 0) - u.depth;
          const subtree = await tx.unit.findMany({ where: { path: { startsWith: u.path } } });
          for (const d of subtree) {
            await tx.unit.update({
              where: { id: d.id },
              data: { path: newPath + d.path.slice(u.path.length), depth: d.depth + delta },
            });
          }
          data.parent = parent ? { connect: { id: parent.id } } : { disconnect: true };
        }
        try {
          const updated = await tx.unit.update({ where: { id: u.id }, data });
          await audit(tx, p, 'unit.update', 'unit', u.id, b, req.ip);
          return updated;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã đơn vị đã tồn tại.', 'Unit code already exists.');
          throw err;
        }
      });
      return { unit };
    },
  );

  r.delete(
    '/units/:id',
    { schema: { tags: ['units'], summary: 'Delete an empty unit (admin)', params: idParams } },
    async (req) => {
      const p = requireUser(req, ['admin']);
      await db.$transaction(async (tx) => {
        const u = await tx.unit.findUnique({
          where: { id: req.params.id },
          include: { _count: { select: { children: true, rooms: true, users: true, chaired: true } } },
        });
        if (!u) throw notFound('đơn vị', 'Unit');
        const c = u._count;
        if (c.children || c.rooms || c.users || c.chaired) {
          throw conflict(
            'NOT_EMPTY',
            'Đơn vị còn đơn vị con, điểm cầu, tài khoản hoặc cuộc họp; không thể xóa.',
            'The unit still has child units, rooms, users or meetings; it cannot be deleted.',
            c,
          );
        }
        await tx.unit.delete({ where: { id: u.id } });
        await audit(tx, p, 'unit.delete', 'unit', u.id, { name: u.name }, req.ip);
      });
      return { ok: true };
    },
  );

  // ---------------------------------------------------------------- rooms
  r.get(
    '/rooms',
    {
      schema: {
        tags: ['rooms'],
        summary: 'List endpoint rooms (by unit subtree, unit kind, text)',
        querystring: z.strictObject({
          unitId: id.optional(),
          includeDescendants: boolQuery.optional(),
          kind: z.enum(UNIT_KINDS).optional(),
          active: boolQuery.optional(),
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(2000).optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const q = req.query;
      const unitWhere: Prisma.UnitWhereInput = {};
      if (q.unitId) {
        const u = await db.unit.findUnique({ where: { id: q.unitId } });
        if (!u) throw notFound('đơn vị', 'Unit');
        if (q.includeDescendants === false) unitWhere.id = u.id;
        else unitWhere.path = { startsWith: u.path };
      }
      if (q.kind) unitWhere.kind = q.kind;
      const where: Prisma.EndpointRoomWhereInput = { unit: unitWhere };
      if (q.active !== undefined) where.active = q.active;
      if (q.q) where.name = { contains: q.q };
      if (p.user.role === 'room_operator') where.id = p.user.roomId ?? '__none__';
      const rooms = await db.endpointRoom.findMany({
        where,
        include: { unit: { select: { id: true, name: true, kind: true } } },
        orderBy: [{ unit: { path: 'asc' } }, { name: 'asc' }],
        take: q.limit ?? 2000,
      });
      return { rooms, count: rooms.length };
    },
  );

  r.get('/rooms/:id', { schema: { tags: ['rooms'], summary: 'One endpoint room', params: idParams } }, async (req) => {
    const p = requireUser(req);
    if (p.user.role === 'room_operator' && p.user.roomId !== req.params.id) throw notFound('điểm cầu', 'Room');
    const room = await db.endpointRoom.findUnique({ where: { id: req.params.id }, include: { unit: true } });
    if (!room) throw notFound('điểm cầu', 'Room');
    const token = feedToken(ctx.secret, room.id);
    return { room, calendarFeedUrl: `/api/rooms/${room.id}/calendar.ics?token=${token}` };
  });

  const roomBody = z.strictObject({
    unitId: id,
    name: z.string().trim().min(1).max(200),
    code: z.string().trim().min(1).max(64),
    location: z.string().trim().max(300).nullable().optional(),
    active: z.boolean().optional(),
  });

  r.post(
    '/rooms',
    { schema: { tags: ['rooms'], summary: 'Create an endpoint room (admin)', body: roomBody } },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const room = await db.$transaction(async (tx) => {
        if (!(await tx.unit.findUnique({ where: { id: b.unitId } }))) throw notFound('đơn vị', 'Unit');
        try {
          const created = await tx.endpointRoom.create({
            data: {
              unitId: b.unitId,
              name: b.name,
              code: b.code,
              location: b.location ?? null,
              active: b.active ?? true,
            },
          });
          await audit(tx, p, 'room.create', 'room', created.id, b, req.ip);
          return created;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã điểm cầu đã tồn tại.', 'Room code already exists.');
          throw err;
        }
      });
      return reply.code(201).send({ room });
    },
  );

  r.patch(
    '/rooms/:id',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Edit or (de)activate a room (admin)',
        params: idParams,
        body: roomBody.partial(),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const room = await db.$transaction(async (tx) => {
        if (!(await tx.endpointRoom.findUnique({ where: { id: req.params.id } }))) throw notFound('điểm cầu', 'Room');
        if (req.body.unitId && !(await tx.unit.findUnique({ where: { id: req.body.unitId } }))) {
          throw notFound('đơn vị', 'Unit');
        }
        try {
          const updated = await tx.endpointRoom.update({ where: { id: req.params.id }, data: req.body });
          await audit(tx, p, 'room.update', 'room', updated.id, req.body, req.ip);
          return updated;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã điểm cầu đã tồn tại.', 'Room code already exists.');
          throw err;
        }
      });
      revokeIfRoomInactive(ctx, room);
      return { room };
    },
  );

  r.delete(
    '/rooms/:id',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Delete a room never used in a meeting (admin); otherwise deactivate it with PATCH',
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      await db.$transaction(async (tx) => {
        const room = await tx.endpointRoom.findUnique({
          where: { id: req.params.id },
          include: { _count: { select: { invitations: true, chaired: true, operators: true, attendances: true } } },
        });
        if (!room) throw notFound('điểm cầu', 'Room');
        const c = room._count;
        if (c.invitations || c.chaired || c.operators || c.attendances) {
          throw conflict(
            'IN_USE',
            'Điểm cầu đã được dùng trong cuộc họp hoặc có tài khoản; hãy ngừng hoạt động (active=false) thay vì xóa.',
            'The room has meetings or operator accounts; deactivate it (active=false) instead of deleting.',
            c,
          );
        }
        await tx.endpointRoom.delete({ where: { id: room.id } });
        await audit(tx, p, 'room.delete', 'room', room.id, { name: room.name }, req.ip);
      });
      return { ok: true };
    },
  );

  // ---------------------------------------------------------------- users
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
    tx: Parameters<Parameters<typeof db.$transaction>[0]>[0],
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
    if (unitId && !(await tx.unit.findUnique({ where: { id: unitId } }))) throw notFound('đơn vị', 'Unit');
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
            data: { login: b.login, name: b.name, role: b.role, passwordHash, active: b.active ?? true, ...shape },
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
              ...(passwordHash && { passwordHash }),
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

  // ---------------------------------------------------------------- audit
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log, newest first (admin)',
        querystring: z.strictObject({
          entity: z.string().max(40).optional(),
          entityId: id.optional(),
          userId: id.optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const q = req.query;
      const where: Prisma.AuditLogWhereInput = {};
      if (q.entity) where.entity = q.entity;
      if (q.entityId) where.entityId = q.entityId;
      if (q.userId) where.userId = q.userId;
      const entries = await db.auditLog.findMany({ where, orderBy: { at: 'desc' }, take: q.limit ?? 200 });
      return {
        entries: entries.map((e) => ({ ...e, details: e.details ? (JSON.parse(e.details) as unknown) : null })),
      };
    },
  );
}
