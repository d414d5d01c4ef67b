// Presence from the SFU → Attendance intervals; the first join of a scheduled
// meeting makes it live.
import type { Ctx } from './context.ts';
import { pathIds } from './live.ts';
import { WITH_REFS } from './meetings.ts';
import { queueWebhookEvent, webhookMeeting } from './outbox/webhooks.ts';

export async function recordPresence(
  ctx: Ctx,
  e: { meetingId: string; roomId: string; event: 'joined' | 'left'; at: Date },
): Promise<void> {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await tx.meeting.findUnique({ where: { id: e.meetingId }, include: WITH_REFS });
    if (!m) {
      ctx.log.warn({ meetingId: e.meetingId }, 'presence for unknown meeting ignored');
      return null;
    }
    const room = await tx.endpointRoom.findUnique({ where: { id: e.roomId }, select: { id: true, name: true } });
    if (!room) {
      ctx.log.warn({ roomId: e.roomId }, 'presence for unknown room ignored');
      return null;
    }
    const att = await tx.attendance.upsert({
      where: { meetingId_roomId: { meetingId: m.id, roomId: room.id } },
      create: { meetingId: m.id, roomId: room.id },
      update: {},
    });
    let statusChanged = false;
    // Another hub's open interval is not ours to end: that hub records the site's "left", or, if it
    // died, a surviving hub closes it at its last sign of life (closeDanglingPresence).
    const ours = { attendanceId: att.id, leftAt: null, OR: [{ hubId: ctx.config.HUB_ID }, { hubId: null }] };
    if (e.event === 'joined') {
      // Close a dangling open interval (a missed "left" before a reconnect).
      await tx.attendanceInterval.updateMany({ where: ours, data: { leftAt: e.at } });
      await tx.attendanceInterval.create({ data: { attendanceId: att.id, joinedAt: e.at, hubId: ctx.config.HUB_ID } });
      if (!att.firstJoinedAt || att.firstJoinedAt > e.at) {
        await tx.attendance.update({ where: { id: att.id }, data: { firstJoinedAt: e.at } });
      }
      if (m.status === 'scheduled') {
        await tx.meeting.update({ where: { id: m.id }, data: { status: 'live' } });
        await tx.auditLog.create({
          data: {
            action: 'meeting.live',
            entity: 'meeting',
            entityId: m.id,
            details: JSON.stringify({ roomId: room.id }),
          },
        });
        statusChanged = true;
        const live = { ...m, status: 'live' };
        await queueWebhookEvent(tx, 'meeting.started', m.id, {
          meeting: await webhookMeeting(tx, live),
          firstRoomId: room.id,
        });
      }
    } else {
      const open = await tx.attendanceInterval.findFirst({
        where: ours,
        orderBy: { joinedAt: 'desc' },
      });
      if (open) await tx.attendanceInterval.update({ where: { id: open.id }, data: { leftAt: e.at } });
      await tx.attendance.update({ where: { id: att.id }, data: { lastLeftAt: e.at } });
    }
    const site = { meetingId: m.id, roomId: room.id, roomName: room.name, at: e.at.toISOString() };
    await queueWebhookEvent(tx, e.event === 'joined' ? 'site.joined' : 'site.left', m.id, site);
    return { m, statusChanged };
  });
  if (!out) return;
  ctx.outbox.kick();
  const units = pathIds(out.m.chairUnit.path);
  ctx.live.emit(
    'attendance:changed',
    { meetingId: e.meetingId, roomId: e.roomId, event: e.event },
    { roomIds: [out.m.chairRoomId], unitIds: units },
  );
  if (out.statusChanged) {
    ctx.live.emit(
      'meeting:status',
      { meetingId: e.meetingId, status: 'live' },
      { roomIds: [out.m.chairRoomId], unitIds: units },
    );
  }
}

/**
 * After a crash the SFU never sent "left" for the sites that were connected.
 * Close their open intervals at the hub's last sign of life, so the report
 * shows the outage as a gap instead of presence. `hubId` names the crashed
 * hub when it was one of several sharing this database: only the intervals it
 * opened up to `until` (when its death was noticed; a hub started again under
 * the same id opens new ones after that); null: this hub works alone and every
 * open interval is its own.
 */
export async function closeDanglingPresence(
  ctx: Ctx,
  at: Date,
  hubId: string | null,
  until = new Date(),
): Promise<number> {
  const count = await ctx.db.$transaction(async (tx) => {
    if (hubId === null)
      return (await tx.attendanceInterval.updateMany({ where: { leftAt: null }, data: { leftAt: at } })).count;
    const before = await tx.attendanceInterval.updateMany({
      where: { leftAt: null, hubId, joinedAt: { lte: at } },
      data: { leftAt: at },
    });
    // Opened between the hub's last sign of life and its death: present for an unknown moment, not longer.
    const after = await tx.attendanceInterval.findMany({
      where: { leftAt: null, hubId, joinedAt: { gt: at, lte: until } },
      select: { id: true, joinedAt: true },
    });
    for (const interval of after) {
      await tx.attendanceInterval.update({ where: { id: interval.id }, data: { leftAt: interval.joinedAt } });
    }
    return before.count + after.length;
  });
  if (count > 0) {
    ctx.log.warn({ intervals: count, hubId, at: at.toISOString() }, 'closed attendance left open by a crash');
  }
  return count;
}
