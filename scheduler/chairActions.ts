// The chair's actions from its console, in the meeting's audit trail (GET
// /meetings/:id/audit): the SFU reports each chair request that succeeded
// (contract/chairActions.ts) as `chair.<request>`, naming the chair room and
// the user who asked for its join token. Ending the meeting is recorded by
// booking.endMeeting as `meeting.end`, whichever door was used.
import type { ChairAction, ChairActor } from '../contract/chairActions.ts';
import type { Ctx } from './context.ts';
import type { Db, Tx } from './db.ts';

/** The audit columns naming who acted: the user behind the chair's token, if it still exists. */
export async function chairAuditor(
  db: Db | Tx,
  by: ChairActor,
): Promise<{ userId: string | null; userLogin: string | null }> {
  const user = by.userId
    ? await db.user.findUnique({ where: { id: by.userId }, select: { id: true, login: true } })
    : null;
  return { userId: user?.id ?? null, userLogin: user?.login ?? null };
}

/** Records one chair action; a meeting the schedule does not hold (tokens signed outside it) has no trail. */
export async function recordChairAction(ctx: Ctx, action: ChairAction): Promise<void> {
  const { db } = ctx;
  const meeting = await db.meeting.findUnique({ where: { id: action.meetingId }, select: { id: true } });
  if (!meeting) return;
  await db.auditLog.create({
    data: {
      // When the chair acted: writes of quick successive actions may land out of order.
      at: action.at,
      ...(await chairAuditor(db, action.by)),
      action: `chair.${action.request}`,
      entity: 'meeting',
      entityId: meeting.id,
      details: JSON.stringify({ by: 'chair-site', roomId: action.by.roomId, ...action.details }),
    },
  });
}
