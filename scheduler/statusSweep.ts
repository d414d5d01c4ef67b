// The schedule's clock: a meeting past its booked end becomes ended. One still
// in session is not cut off at the minute it was booked to end (sessions run
// over); it ends once its last site has left, or when it has run over by the
// configured limit, through the same end as the chair's (its media closes too).

import type { Ctx } from './context.ts';
import { endMeeting } from './meetingEnd.ts';

export async function sweepStatuses(ctx: Ctx, now: Date): Promise<void> {
  const due = await ctx.db.meeting.findMany({
    where: { status: { in: ['scheduled', 'live'] }, endAt: { lte: now } },
    select: { id: true, endAt: true },
  });
  const overrunMs = ctx.config.MEETING_OVERRUN_LIMIT_MINUTES * 60_000;
  for (const m of due) {
    const inSession = await ctx.db.attendanceInterval.count({
      where: { leftAt: null, attendance: { meetingId: m.id } },
    });
    if (inSession > 0 && now.getTime() - m.endAt.getTime() < overrunMs) continue;
    await endMeeting(ctx, m.id, inSession > 0 ? 'overrun' : 'schedule');
  }
}
