// GET /meetings/:id/mail-deliveries: whether each invitation e-mail of a
// meeting was sent, is waiting for its next attempt, or failed (and why).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type MailDelivery, mailDeliveriesResponse } from '../../contract/rest/mailDeliveries.ts';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import type { InvitationMail } from '../invitationMail.ts';
import { loadManageableMeeting } from '../meetings.ts';
import { idParams } from './params.ts';

export async function mailDeliveryRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/meetings/:id/mail-deliveries',
    {
      schema: {
        tags: ['meetings'],
        summary: "The meeting's invitation e-mails per recipient: sent, pending (next attempt) or failed (the error)",
        params: idParams,
        response: { 200: mailDeliveriesResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const m = await loadManageableMeeting(ctx.db, p, req.params.id);
      const rows = await ctx.db.outboxDelivery.findMany({
        where: { meetingId: m.id, kind: 'mail' },
        orderBy: { id: 'asc' },
        take: 2000,
      });
      const deliveries = rows.map((row): MailDelivery => {
        const mail = JSON.parse(row.payload) as InvitationMail;
        return {
          id: row.id,
          to: row.target,
          roomId: mail.roomId,
          roomName: mail.roomName,
          method: mail.method,
          sequence: mail.sequence,
          status: row.status as MailDelivery['status'],
          attempts: row.attempts,
          nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
          lastError: row.lastError,
          sentAt: row.sentAt?.toISOString() ?? null,
          createdAt: row.createdAt.toISOString(),
        };
      });
      return { meetingId: m.id, mailConfigured: ctx.config.smtp !== null, deliveries };
    },
  );
}
