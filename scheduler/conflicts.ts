// Booking conflicts: rooms already taken by another overlapping meeting.
import { ACTIVE_STATUSES } from '../contract/enums.ts';
import type { Conflict } from '../contract/rest/meetings.ts';
import type { Db, Tx } from './db.ts';
import { ApiError } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { toLocalIso } from './time.ts';

/** Rooms already in another overlapping draft/scheduled/live meeting. */
export async function findConflicts(
  tx: Tx | Db,
  roomIds: string[],
  windows: Array<{ startAt: Date; endAt: Date }>,
  excludeMeetingIds: string[] = [],
): Promise<Conflict[]> {
  if (!roomIds.length || !windows.length) return [];
  const out: Conflict[] = [];
  const seen = new Set<string>();
  const timeOr = windows.map((w) => ({ startAt: { lt: w.endAt }, endAt: { gt: w.startAt } }));
  const meetingWhere: Prisma.MeetingWhereInput = {
    status: { in: [...ACTIVE_STATUSES] },
    id: { notIn: excludeMeetingIds },
    OR: timeOr,
  };
  for (let i = 0; i < roomIds.length; i += 500) {
    const chunk = roomIds.slice(i, i + 500);
    const invs = await tx.invitation.findMany({
      where: { roomId: { in: chunk }, meeting: meetingWhere },
      include: { meeting: true, room: { select: { name: true } } },
    });
    const chaired = await tx.meeting.findMany({
      where: { ...meetingWhere, chairRoomId: { in: chunk } },
      include: { chairRoom: { select: { name: true } } },
    });
    const rows = [
      ...invs.map((x) => ({ roomId: x.roomId, roomName: x.room.name, m: x.meeting, as: 'invited' as const })),
      ...chaired.map((m) => ({ roomId: m.chairRoomId, roomName: m.chairRoom.name, m, as: 'chair' as const })),
    ];
    for (const r of rows) {
      const key = `${r.roomId}|${r.m.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        roomId: r.roomId,
        roomName: r.roomName,
        meetingId: r.m.id,
        meetingTitle: r.m.title,
        startAt: r.m.startAt.toISOString(),
        endAt: r.m.endAt.toISOString(),
        startAtLocal: toLocalIso(r.m.startAt),
        endAtLocal: toLocalIso(r.m.endAt),
        as: r.as,
      });
    }
  }
  return out.sort((a, b) => a.startAt.localeCompare(b.startAt) || a.roomName.localeCompare(b.roomName, 'vi'));
}

export function conflictError(conflicts: Conflict[]): ApiError {
  const rooms = new Set(conflicts.map((c) => c.roomId));
  const sample = conflicts
    .slice(0, 5)
    .map((c) => `${c.roomName} (“${c.meetingTitle}” ${c.startAtLocal.slice(11, 16)})`)
    .join('; ');
  return new ApiError(
    409,
    'CONFLICT',
    `${rooms.size} điểm cầu đã có cuộc họp khác trùng thời gian: ${sample}${conflicts.length > 5 ? '…' : ''}. Gửi lại với "override": true để vẫn lưu.`,
    `${rooms.size} room(s) are already booked in an overlapping meeting. Resend with "override": true to save anyway.`,
    { conflicts },
  );
}
