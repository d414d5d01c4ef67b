// The audit log (admin): who changed what, newest first, filtered by user,
// meeting and action, a page at a time; and the actions it holds, for the filter.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditActions, AuditPage } from '../../contract/rest/audit.ts';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { id } from './params.ts';

const query = z.strictObject({
  entity: z.string().max(40).optional(),
  entityId: id.optional(),
  userId: id.optional(),
  /** Entries about this meeting (entity "meeting"). */
  meetingId: id.optional(),
  /** One action ("unit.merge"), or every action of a family when it ends with a dot ("chair."). */
  action: z
    .string()
    .max(80)
    .regex(/^[a-z_]+(\.[a-zA-Z_.]*)?$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
});

function whereOf(q: z.infer<typeof query>): Prisma.AuditLogWhereInput {
  const where: Prisma.AuditLogWhereInput = {};
  if (q.entity) where.entity = q.entity;
  if (q.entityId) where.entityId = q.entityId;
  if (q.meetingId) Object.assign(where, { entity: 'meeting', entityId: q.meetingId });
  if (q.userId) where.userId = q.userId;
  if (q.action) where.action = q.action.endsWith('.') ? { startsWith: q.action } : q.action;
  return where;
}

export async function auditRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/audit',
    { schema: { tags: ['audit'], summary: 'Audit log, newest first, filtered and paged (admin)', querystring: query } },
    async (req): Promise<AuditPage> => {
      requireUser(req, ['admin']);
      const q = req.query;
      const where = whereOf(q);
      const limit = q.limit ?? 200;
      const offset = q.offset ?? 0;
      const [entries, total] = await Promise.all([
        db.auditLog.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit, skip: offset }),
        db.auditLog.count({ where }),
      ]);
      const meetingIds = [
        ...new Set(entries.filter((e) => e.entity === 'meeting' && e.entityId).map((e) => e.entityId)),
      ];
      const meetings = await db.meeting.findMany({
        where: { id: { in: meetingIds as string[] } },
        select: { id: true, title: true },
      });
      const titles = new Map(meetings.map((m) => [m.id, m.title]));
      return {
        entries: entries.map((e) => ({
          ...e,
          at: e.at.toISOString(),
          ...(e.entity === 'meeting' && e.entityId && titles.has(e.entityId)
            ? { meetingTitle: titles.get(e.entityId) }
            : {}),
          details: e.details ? (JSON.parse(e.details) as unknown) : null,
        })),
        total,
        offset,
        limit,
      };
    },
  );

  r.get(
    '/audit/actions',
    { schema: { tags: ['audit'], summary: 'The actions the audit log holds, with their counts (admin)' } },
    async (req): Promise<AuditActions> => {
      requireUser(req, ['admin']);
      const rows = await db.auditLog.groupBy({ by: ['action'], _count: { _all: true }, orderBy: { action: 'asc' } });
      return { actions: rows.map((r) => ({ action: r.action, count: r._count._all })) };
    },
  );
}
