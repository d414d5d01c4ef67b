// The administrator's spreadsheet of units: GET /units.csv, and POST
// /units/import, a dry run by default (every row's outcome with its line),
// with `apply: true` all rows written in one transaction or, if any row is
// wrong, none.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { refuseIfWrong, summary } from '../csv/csvImport.ts';
import { applyUnitImport, exportUnits, planUnitImport } from '../csv/unitsCsv.ts';

export async function unitCsvRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/units.csv',
    { schema: { tags: ['units'], summary: 'Every unit as CSV for Excel (admin)' } },
    async (req, reply) => {
      requireUser(req, ['admin']);
      reply.header('content-disposition', 'attachment; filename="don-vi.csv"');
      return reply.type('text/csv; charset=utf-8').send(await exportUnits(db));
    },
  );

  r.post(
    '/units/import',
    {
      schema: {
        tags: ['units'],
        summary: 'Import units from CSV: a dry run, or (apply) all rows or none (admin)',
        body: z.strictObject({ csv: z.string().max(2_000_000), apply: z.boolean().default(false) }),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      if (!req.body.apply) return summary(await planUnitImport(db, req.body.csv), false);
      const plan = await db.$transaction(
        async (tx) => {
          const planned = await planUnitImport(tx, req.body.csv);
          refuseIfWrong(planned);
          await applyUnitImport(tx, planned);
          await audit(tx, p, 'unit.import', 'unit', null, planned.counts, req.ip);
          return planned;
        },
        { timeout: 60_000 },
      );
      return summary(plan, true);
    },
  );
}
