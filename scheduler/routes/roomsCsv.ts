// The administrator's spreadsheet of endpoint rooms: GET /rooms.csv, and
// POST /rooms/import, a dry run by default (every row's outcome with its line),
// with `apply: true` all rows written in one transaction or, if any row is
// wrong, none.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { hasErrors, refusal, importSummary as summary } from '../csv/importPlan.ts';
import { applyRoomImport, exportRooms, planRoomImport } from '../csv/roomsCsv.ts';
import { revokeIfRoomInactive } from '../revocation.ts';

export async function roomCsvRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/rooms.csv',
    { schema: { tags: ['rooms'], summary: 'Every endpoint room as CSV for Excel (admin)' } },
    async (req, reply) => {
      requireUser(req, ['admin']);
      reply.header('content-disposition', 'attachment; filename="diem-cau.csv"');
      return reply.type('text/csv; charset=utf-8').send(await exportRooms(db));
    },
  );

  r.post(
    '/rooms/import',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Import endpoint rooms from CSV: a dry run, or (apply) all rows or none (admin)',
        body: z.strictObject({ csv: z.string().max(2_000_000), apply: z.boolean().default(false) }),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      if (!req.body.apply) return summary(await planRoomImport(db, req.body.csv), false);
      const { plan, deactivated } = await db.$transaction(
        async (tx) => {
          const planned = await planRoomImport(tx, req.body.csv);
          if (hasErrors(planned)) throw refusal(planned);
          const off = await applyRoomImport(tx, planned);
          await audit(tx, p, 'room.import', 'room', null, planned.counts, req.ip);
          return { plan: planned, deactivated: off };
        },
        { timeout: 60_000 },
      );
      for (const id of deactivated) revokeIfRoomInactive(ctx, { id, active: false });
      return summary(plan, true);
    },
  );
}
