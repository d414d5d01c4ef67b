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
    if (e.event === 'joined') {
      // Close a dangling open interval (a missed "left" before a reconnect).
      await tx.attendanceInterval.updateMany({
        where: { attendanceId: att.id, leftAt: null },
        data: { leftAt: e.at },
      });
      await tx.attendanceInterval.create({ data: { attendanceId: att.id, joinedAt: e.at } });
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
        where: { attendanceId: att.id, leftAt: null },
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
 * shows the outage as a gap instead of presence.
 */
export async function closeDanglingPresence(ctx: Ctx, at: Date): Promise<number> {
  const { count } = await ctx.db.attendanceInterval.updateMany({ where: { leftAt: null }, data: { leftAt: at } });
  if (count > 0) ctx.log.warn({ intervals: count, at: at.toISOString() }, 'closed attendance left open by a crash');
  return count;
}
