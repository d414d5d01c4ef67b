// The names of a meeting's day. A meeting that has been held (started, or its
// start has passed) keeps the room and unit names it had: renaming a commune or
// merging it into another must not rewrite yesterday's attendance report. Every
// change of a room's or unit's name, or of a room's unit, first calls
// `keepNamesOfHeldMeetings` in its own transaction; meetings not yet held forget
// any stored name and show today's (null means "today's name").
import type { Tx } from './db.ts';
import type { Prisma } from './generated/prisma/client.ts';

/** Meetings whose names are history: started, or their start has passed. */
function held(now: Date): Prisma.MeetingWhereInput {
  return { OR: [{ startAt: { lte: now } }, { status: { in: ['live', 'ended'] } }] };
}

/**
 * Before renaming units or rooms, or moving rooms to another unit: stores
 * today's names on the held meetings' invitations, attendance rows and chairs
 * that involve them (where none is stored yet), and clears the stored names of
 * meetings still to come.
 */
export async function keepNamesOfHeldMeetings(
  tx: Tx,
  changed: { unitIds?: readonly string[]; roomIds?: readonly string[] },
  now = new Date(),
): Promise<void> {
  const unitIds = [...(changed.unitIds ?? [])];
  const rooms = await tx.endpointRoom.findMany({
    where: { OR: [{ id: { in: [...(changed.roomIds ?? [])] } }, { unitId: { in: unitIds } }] },
    include: { unit: { select: { name: true } } },
  });
  for (const room of rooms) {
    const heldRows = { roomId: room.id, meeting: held(now) };
    const toCome = { roomId: room.id, meeting: { NOT: held(now) } };
    // Separate updates per name: a row keeps whichever of its names it already stored.
    await tx.invitation.updateMany({ where: { ...heldRows, roomName: null }, data: { roomName: room.name } });
    await tx.invitation.updateMany({ where: { ...heldRows, unitName: null }, data: { unitName: room.unit.name } });
    await tx.invitation.updateMany({ where: toCome, data: { roomName: null, unitName: null } });
    await tx.attendance.updateMany({ where: { ...heldRows, roomName: null }, data: { roomName: room.name } });
    await tx.attendance.updateMany({ where: { ...heldRows, unitName: null }, data: { unitName: room.unit.name } });
    await tx.attendance.updateMany({ where: toCome, data: { roomName: null, unitName: null } });
    await tx.meeting.updateMany({
      where: { chairRoomId: room.id, chairRoomName: null, ...held(now) },
      data: { chairRoomName: room.name },
    });
    await tx.meeting.updateMany({
      where: { chairRoomId: room.id, NOT: held(now) },
      data: { chairRoomName: null },
    });
  }
  const units = await tx.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, name: true } });
  for (const unit of units) {
    await tx.meeting.updateMany({
      where: { chairUnitId: unit.id, chairUnitName: null, ...held(now) },
      data: { chairUnitName: unit.name },
    });
    await tx.meeting.updateMany({ where: { chairUnitId: unit.id, NOT: held(now) }, data: { chairUnitName: null } });
  }
}

/** The chair's unit and room names as the meeting shows them. */
export function chairNames(m: {
  chairUnitName: string | null;
  chairRoomName: string | null;
  chairUnit: { name: string };
  chairRoom: { name: string };
}): { unitName: string; roomName: string } {
  return { unitName: m.chairUnitName ?? m.chairUnit.name, roomName: m.chairRoomName ?? m.chairRoom.name };
}
