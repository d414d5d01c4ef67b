// Content sharing in the meeting's audit trail (GET /meetings/:id/audit): a
// site asking to present (or withdrawing), a presentation starting, and its
// end with who ended it, as `presentation.<kind>`. The chair's answers are its
// own actions (`chair.answerPresentation`, scheduler/chairActions.ts).
import type { PresentationEvent } from '../contract/presentation.ts';
import { chairAuditor } from './chairActions.ts';
import type { Ctx } from './context.ts';

export async function recordPresentation(ctx: Ctx, event: PresentationEvent): Promise<void> {
  const { db } = ctx;
  const meeting = await db.meeting.findUnique({ where: { id: event.meetingId }, select: { id: true } });
  if (!meeting) return;
  await db.auditLog.create({
    data: {
      at: event.at,
      ...(await chairAuditor(db, event.by)),
      action: `presentation.${event.kind}`,
      entity: 'meeting',
      entityId: meeting.id,
      details: JSON.stringify({
        by: 'site',
        roomId: event.by.roomId,
        siteId: event.siteId,
        ...(event.reason ? { reason: event.reason } : {}),
      }),
    },
  });
}
