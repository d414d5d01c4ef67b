// Cascade links in the meeting's audit trail (GET /meetings/:id/audit): the
// meeting relayed from another deployment's meeting (`cascade.upstream.live`,
// `.lost` with why, `.closed` by its chair) and, upstream, a linked deployment
// relaying this meeting (`cascade.downstream.opened`, `.closed`). The chair's
// own link and unlink are its actions (`chair.linkUpstream`, scheduler/chairActions.ts).
import type { CascadeEvent } from '../contract/cascade.ts';
import type { Ctx } from './context.ts';

export async function recordCascade(ctx: Ctx, event: CascadeEvent): Promise<void> {
  const { db } = ctx;
  const meeting = await db.meeting.findUnique({ where: { id: event.meetingId }, select: { id: true } });
  if (!meeting) return;
  await db.auditLog.create({
    data: {
      at: event.at,
      userId: null,
      userLogin: null,
      action: `cascade.${event.kind}`,
      entity: 'meeting',
      entityId: meeting.id,
      details: JSON.stringify({
        by: 'cascade',
        deployment: event.deployment,
        displayName: event.displayName,
        ...(event.upstreamMeetingId ? { upstreamMeetingId: event.upstreamMeetingId } : {}),
        ...(event.reason ? { reason: event.reason[0], reasonEn: event.reason[1] } : {}),
      }),
    },
  });
}
