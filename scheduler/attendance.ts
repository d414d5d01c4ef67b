// A meeting's attendance: one row per room (the chair room first, then the
// invited rooms in tree order) from the presence intervals the SFU reported and
// the chair's roll-call marks, its summary, and when the meeting really ended.
import type { Db } from './db.ts';
import type { MeetingWithRefs } from './meetings.ts';
import { toLocalIso } from './time.ts';

/** A room that joined within this many minutes after the start counts as present, later as late. */
export const LATE_GRACE_MINUTES = 5;

export interface AttendanceRow {
  roomId: string;
  roomName: string;
  unitId: string;
  unitName: string;
  unitKind: string;
  role: 'chair' | 'site';
  invitation: string;
  invitationNote: string | null;
  firstJoinedAt: string | null;
  firstJoinedAtLocal: string | null;
  lastLeftAt: string | null;
  onlineMinutes: number;
  intervals: Array<{ joinedAt: string; leftAt: string | null }>;
  computed: 'present' | 'late' | 'absent' | 'pending';
  mark: string;
  markReason: string | null;
  markedAt: string | null;
  /** A SIP room the hub can call (it has a dial-out address): the chair's console offers "Call" while it is away. */
  sipDialOut: boolean;
}

export type AttendanceSummary = ReturnType<typeof summarize>;

export async function attendanceRows(db: Db, m: MeetingWithRefs): Promise<AttendanceRow[]> {
  const [invs, atts, chairRoom] = await Promise.all([
    db.invitation.findMany({ where: { meetingId: m.id }, include: { room: { include: { unit: true } } } }),
    db.attendance.findMany({
      where: { meetingId: m.id },
      include: { intervals: { orderBy: { joinedAt: 'asc' } } },
    }),
    db.endpointRoom.findUniqueOrThrow({ where: { id: m.chairRoomId }, include: { unit: true } }),
  ]);
  const attByRoom = new Map(atts.map((a) => [a.roomId, a]));
  const now = Date.now();
  const entries = [
    {
      room: chairRoom,
      role: 'chair' as const,
      invitation: 'chair',
      note: null as string | null,
      kept: { roomName: m.chairRoomName, unitName: attByRoom.get(chairRoom.id)?.unitName ?? null },
    },
    ...invs
      .sort((a, b) => a.room.unit.path.localeCompare(b.room.unit.path) || a.room.name.localeCompare(b.room.name, 'vi'))
      .map((i) => ({ room: i.room, role: 'site' as const, invitation: i.status, note: i.note, kept: i })),
  ];
  return entries.map(({ room, role, invitation, note, kept }) => {
    const a = attByRoom.get(room.id);
    const cap = Math.min(now, m.endAt.getTime());
    let ms = 0;
    for (const iv of a?.intervals ?? []) {
      const from = Math.max(iv.joinedAt.getTime(), m.startAt.getTime());
      const to = Math.min(iv.leftAt?.getTime() ?? cap, m.endAt.getTime());
      if (to > from) ms += to - from;
    }
    let computed: AttendanceRow['computed'];
    if (a?.firstJoinedAt) {
      computed = a.firstJoinedAt.getTime() <= m.startAt.getTime() + LATE_GRACE_MINUTES * 60_000 ? 'present' : 'late';
    } else computed = now < m.startAt.getTime() ? 'pending' : 'absent';
    return {
      roomId: room.id,
      // The names of the meeting's day when they were kept (scheduler/nameHistory.ts).
      roomName: kept.roomName ?? room.name,
      unitId: room.unitId,
      unitName: kept.unitName ?? room.unit.name,
      unitKind: room.unit.kind,
      role,
      invitation,
      invitationNote: note,
      firstJoinedAt: a?.firstJoinedAt?.toISOString() ?? null,
      firstJoinedAtLocal: a?.firstJoinedAt ? toLocalIso(a.firstJoinedAt) : null,
      lastLeftAt: a?.lastLeftAt?.toISOString() ?? null,
      onlineMinutes: Math.round(ms / 60_000),
      intervals: (a?.intervals ?? []).map((iv) => ({
        joinedAt: iv.joinedAt.toISOString(),
        leftAt: iv.leftAt?.toISOString() ?? null,
      })),
      computed,
      mark: a?.mark ?? 'unmarked',
      markReason: a?.markReason ?? null,
      markedAt: a?.markedAt?.toISOString() ?? null,
      sipDialOut: Boolean(room.sipUri && room.sipHa1),
    };
  });
}

export function summarize(rows: AttendanceRow[]) {
  const sites = rows.filter((r) => r.role === 'site');
  const count = (f: (r: AttendanceRow) => boolean) => sites.filter(f).length;
  return {
    invited: sites.length,
    accepted: count((r) => r.invitation === 'accepted'),
    declined: count((r) => r.invitation === 'declined'),
    present: count((r) => r.computed === 'present'),
    late: count((r) => r.computed === 'late'),
    absent: count((r) => r.computed === 'absent'),
    marked: {
      present_in_room: count((r) => r.mark === 'present_in_room'),
      present_online: count((r) => r.mark === 'present_online'),
      absent: count((r) => r.mark === 'absent'),
      unmarked: count((r) => r.mark === 'unmarked'),
    },
  };
}

/**
 * When an ended meeting really ended, or null while it has not. Every end (a
 * user, the chairing site, the schedule's clock) is audited as 'meeting.end' in
 * the same transaction as the status; a meeting without that entry was ended
 * before the clock wrote one, at its scheduled end.
 */
export async function endedAt(db: Db, m: { id: string; status: string; endAt: Date }): Promise<Date | null> {
  if (m.status !== 'ended') return null;
  const entry = await db.auditLog.findFirst({
    where: { entity: 'meeting', entityId: m.id, action: 'meeting.end' },
    orderBy: { at: 'desc' },
    select: { at: true },
  });
  return entry?.at ?? m.endAt;
}
