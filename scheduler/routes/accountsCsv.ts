// The administrator's spreadsheet of accounts: GET /users.csv (never a
// password), and POST /users/import, a dry run by default (every row's outcome
// with its line), with `apply: true` all rows written in one transaction or,
// if any row is wrong, none. The apply answers the new accounts' one-time
// passwords, once.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountImportResult } from '../../contract/rest/accounts.ts';
import { assertAdminRemains } from '../accounts.ts';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { applyAccountImport, exportAccounts, newPasswords, planAccountImport } from '../csv/accountsCsv.ts';
import { refuseIfWrong, summary } from '../csv/csvImport.ts';
import { revokeIfUserInactive } from '../revocation.ts';

export async function accountCsvRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/users.csv',
    { schema: { tags: ['users'], summary: 'Every account as CSV for Excel, without passwords (admin)' } },
    async (req, reply) => {
      requireUser(req, ['admin']);
      reply.header('content-disposition', 'attachment; filename="tai-khoan.csv"');
      return reply.type('text/csv; charset=utf-8').send(await exportAccounts(db));
    },
  );

  r.post(
    '/users/import',
    {
      schema: {
        tags: ['users'],
        summary:
          'Import accounts from CSV: a dry run, or (apply) all rows or none, answering the new accounts’ one-time passwords (admin)',
        body: z.strictObject({ csv: z.string().max(2_000_000), apply: z.boolean().default(false) }),
      },
    },
    async (req): Promise<AccountImportResult> => {
      const p = requireUser(req, ['admin']);
      const dry = await planAccountImport(db, req.body.csv);
      if (!req.body.apply) return { ...summary(dry, false), oneTimePasswords: [] };
      refuseIfWrong(dry);
      const passwords = await newPasswords(dry);
      const { plan, applied } = await db.$transaction(
        async (tx) => {
          // Planned again inside the transaction: what it writes is what it checked.
          const planned = await planAccountImport(tx, req.body.csv);
          refuseIfWrong(planned);
          const done = await applyAccountImport(tx, planned, passwords);
          await assertAdminRemains(tx);
          await audit(
            tx,
            p,
            'user.import',
            'user',
            null,
            { ...planned.counts, created: done.oneTimePasswords.map((o) => o.login) },
            req.ip,
          );
          return { plan: planned, applied: done };
        },
        { timeout: 60_000 },
      );
      for (const user of applied.ended) revokeIfUserInactive(ctx, user);
      return { ...summary(plan, true), oneTimePasswords: applied.oneTimePasswords };
    },
  );
}
