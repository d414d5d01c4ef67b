// The unit tree (province, departments, districts, communes): reading it for
// everyone, creating, renaming, moving and deleting units for the admin.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNIT_KINDS } from '../../contract/enums.ts';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { uniqueViolation } from '../db.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { id, idParams } from './params.ts';

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

export async function unitRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

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
}
