// Ending a meeting, whichever door the chair used (the console, the REST API)
// or the schedule's clock: one transaction with its audit entry, then the live
// event and the meeting's media closed on the SFU.
import type { ChairActor } from '../contract/chairActions.ts';
import type { Actor } from './booking.ts';
import { chairAuditor } from './chairActions.ts';
import { audit, type Ctx } from './context.ts';
import type { Tx } from './db.ts';
import { forbidden } from './errors.ts';
import { noticeEnded } from './meetingNotices.ts';
import { canChair, cancelledError, loadVisibleMeeting, type MeetingWithRefs, WITH_REFS } from './meetings.ts';

/**
 * Who ends a meeting: a user through REST, the chairing site through signaling
 * (its room, and the user who asked for its join token when known), or the
 * schedule's clock (its booked end passed with nobody in, or it ran over by the
 * configured limit).
 */
export type EndedBy = Actor | ChairActor | 'schedule' | 'overrun';

function byChairSite(by: EndedBy): by is ChairActor {
  return typeof by === 'object' && 'roomId' in by;
}

async function meetingToEnd(tx: Tx, meetingId: string, by: EndedBy): Promise<MeetingWithRefs | null> {
  if (typeof by === 'string' || byChairSite(by)) {
    return tx.meeting.findUnique({ where: { id: meetingId }, include: WITH_REFS });
  }
  const m = await loadVisibleMeeting(tx, by.p, meetingId);
  if (!canChair(by.p, m)) throw forbidden();
  return m;
}

/**
 * Ends a meeting, whichever door the chair used: status ended, an audit entry
 * naming who (the user, or the chair room for the signaling door), the live
 * event, and the meeting's media closed on the SFU. A meeting already ended
 * stays as it is (its media is still closed: the sweep may have ended it by
 * the clock with sites still in). A user's end always finds the meeting
 * (loading it checks visibility and chair rights); the chair site's is null
 * for a meeting the schedule does not hold (tokens signed outside it, in
 * tests and benchmarks).
 */
export async function endMeeting(ctx: Ctx, meetingId: string, by: Actor): Promise<MeetingWithRefs>;
export async function endMeeting(
  ctx: Ctx,
  meetingId: string,
  by: ChairActor | 'schedule' | 'overrun',
): Promise<MeetingWithRefs | null>;
export async function endMeeting(ctx: Ctx, meetingId: string, by: EndedBy): Promise<MeetingWithRefs | null> {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await meetingToEnd(tx, meetingId, by);
    if (!m || m.status === 'ended') return { m, changed: false };
    if (m.status === 'cancelled') throw cancelledError();
    // Its dial code is released for other meetings (scheduler/dialCodes.ts).
    const data = { status: 'ended', dialCode: null };
    const ended = await tx.meeting.update({ where: { id: m.id }, data, include: WITH_REFS });
    if (byChairSite(by)) {
      const details = { by: 'chair-site', roomId: m.chairRoomId, roomName: m.chairRoom.name };
      const data = { action: 'meeting.end', entity: 'meeting', entityId: m.id, details: JSON.stringify(details) };
      await tx.auditLog.create({ data: { ...data, ...(await chairAuditor(tx, by)) } });
    } else if (typeof by === 'string') {
      await audit(tx, null, 'meeting.end', 'meeting', m.id, { by });
    } else {
      await audit(tx, by.p, 'meeting.end', 'meeting', m.id, undefined, by.ip);
    }
    await noticeEnded(tx, ended, byChairSite(by) ? 'chair-site' : typeof by === 'string' ? by : 'user');
    return { m: ended, changed: true };
  });
  if (!out.m) return null;
  if (out.changed) {
    ctx.outbox.kick();
    await ctx.live.meetingChanged(out.m, 'meeting:status', { meetingId: out.m.id, status: 'ended' });
  }
  ctx.onMeetingEnded?.(out.m.id);
  return out.m;
}
