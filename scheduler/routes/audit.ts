// The audit log (admin): who changed what, newest first.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { id } from './params.ts';

export async function auditRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

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
