// The unit tree (province, departments, districts, communes): reading it for
// everyone; adding, renaming, moving, (de)activating, merging and deleting
// units for the admin, each checked and written in one transaction and audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNIT_KINDS } from '../../contract/enums.ts';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { createUnit, loadUnit, setUnitActive, updateUnit } from '../units/changes.ts';
import { type MergeTarget, mergeUnits } from '../units/merge.ts';
import { unitTree } from '../units/tree.ts';
import { boolQuery, id, idParams } from './params.ts';

const unitBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(UNIT_KINDS),
  code: z.string().trim().min(1).max(64),
  parentId: id.nullable().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});

const mergeBody = z.strictObject({
  sourceIds: z.array(id).min(1).max(50),
  intoId: id.optional(),
  create: unitBody.optional(),
});

/** The merged unit: an existing one or a new one, exactly one of them. */
function mergeTarget(b: z.infer<typeof mergeBody>): MergeTarget {
  if (b.intoId && !b.create) return { unitId: b.intoId };
  if (b.create && !b.intoId) return { create: { ...b.create, parentId: b.create.parentId ?? null } };
  throw badRequest(
    'Chọn đơn vị sau sáp nhập: một đơn vị có sẵn (intoId) hoặc một đơn vị mới (create), không cả hai.',
    'Choose the merged unit: an existing one (intoId) or a new one (create), not both.',
  );
}

export async function unitRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/units/tree',
    {
      schema: {
        tags: ['units'],
        summary: 'The unit tree (inactive units flagged) with active-room counts per unit and per subtree',
        querystring: z.strictObject({ rootId: id.optional() }),
      },
    },
    async (req) => {
      requireUser(req);
      const tree = await unitTree(db);
      const q = req.query.rootId;
      if (q) {
        const n = tree.nodes.get(q);
        if (!n) throw notFound('đơn vị', 'Unit');
        return { tree: [n] };
      }
      return { tree: tree.roots, totals: { units: tree.nodes.size, rooms: tree.rooms } };
    },
  );

  r.get(
    '/units',
    {
      schema: {
        tags: ['units'],
        summary: 'Flat list of units (filter by parent, kind, subtree, active)',
        querystring: z.strictObject({
          parentId: id.optional(),
          under: id.optional(),
          kind: z.enum(UNIT_KINDS).optional(),
          active: boolQuery.optional(),
        }),
      },
    },
    async (req) => {
      requireUser(req);
      const where: Prisma.UnitWhereInput = {};
      if (req.query.parentId) where.parentId = req.query.parentId;
      if (req.query.kind) where.kind = req.query.kind;
      if (req.query.active !== undefined) where.active = req.query.active;
      if (req.query.under) {
        const u = await db.unit.findUnique({ where: { id: req.query.under } });
        if (!u) throw notFound('đơn vị', 'Unit');
        where.path = { startsWith: u.path };
      }
      const units = await db.unit.findMany({ where, orderBy: [{ path: 'asc' }] });
      return { units };
    },
  );

  r.post(
    '/units',
    { schema: { tags: ['units'], summary: 'Create a unit under an active parent (admin)', body: unitBody } },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const unit = await db.$transaction(async (tx) => {
        const u = await createUnit(tx, { ...req.body, parentId: req.body.parentId ?? null });
        await audit(tx, p, 'unit.create', 'unit', u.id, req.body, req.ip);
        return u;
      });
      return reply.code(201).send({ unit });
    },
  );

  r.patch(
    '/units/:id',
    {
      schema: {
        tags: ['units'],
        summary: 'Rename or move a unit (admin); a move takes its subtree and may not make a loop',
        params: idParams,
        body: unitBody.partial(),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const unit = await db.$transaction(async (tx) => {
        const before = await loadUnit(tx, req.params.id);
        const u = await updateUnit(tx, before.id, req.body);
        const renamed = u.name !== before.name ? { previousName: before.name } : {};
        const moved = u.parentId !== before.parentId ? { previousParentId: before.parentId } : {};
        await audit(tx, p, 'unit.update', 'unit', u.id, { ...req.body, ...renamed, ...moved }, req.ip);
        return u;
      });
      return { unit };
    },
  );

  for (const [verb, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    r.post(
      `/units/:id/${verb}`,
      {
        schema: {
          tags: ['units'],
          summary: active
            ? 'Reactivate a unit under an active parent (admin)'
            : 'Deactivate a unit with no active rooms, child units or accounts left (admin)',
          params: idParams,
        },
      },
      async (req) => {
        const p = requireUser(req, ['admin']);
        const unit = await db.$transaction(async (tx) => {
          const u = await setUnitActive(tx, req.params.id, active);
          await audit(tx, p, `unit.${verb}`, 'unit', u.id, { name: u.name }, req.ip);
          return u;
        });
        return { unit };
      },
    );
  }

  r.post(
    '/units/merge',
    {
      schema: {
        tags: ['units'],
        summary:
          'Merge units into an existing or a new unit (admin): rooms, accounts, child units and meetings to come move; held meetings keep their names',
        body: mergeBody,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const target = mergeTarget(req.body);
      const result = await db.$transaction(
        async (tx) => {
          const merged = await mergeUnits(tx, req.body.sourceIds, target);
          await audit(tx, p, 'unit.merge', 'unit', merged.into.id, merged, req.ip);
          return merged;
        },
        { timeout: 60_000 },
      );
      return result;
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
          include: {
            _count: { select: { children: true, rooms: true, users: true, chaired: true, mergedFrom: true } },
          },
        });
        if (!u) throw notFound('đơn vị', 'Unit');
        const c = u._count;
        if (c.children || c.rooms || c.users || c.chaired || c.mergedFrom || u.mergedIntoId) {
          throw conflict(
            'NOT_EMPTY',
            'Đơn vị còn đơn vị con, điểm cầu, tài khoản, cuộc họp hoặc lịch sử sáp nhập; không thể xóa (hãy ngừng hoạt động).',
            'The unit still has child units, rooms, users, meetings or a merge history; it cannot be deleted (deactivate it).',
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
