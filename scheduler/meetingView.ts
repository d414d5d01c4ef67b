// Meetings as the API shows them (contract/rest/meetings.ts): serialized with
// invitation counts and what the asking user may do, listed by local day or
// week, and a meeting's audit trail.
import type { InvitationStatus, MeetingMode, MeetingStatus, UnitKind } from '../contract/enums.ts';
import type { InvitationCounts, Meeting, MeetingsQuery } from '../contract/rest/meetings.ts';
import type { Principal } from './auth.ts';
import type { Db, Tx } from './db.ts';
import { forbidden, notFound } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import {
  canChair,
  canManage,
  effectiveTechCheck,
  loadVisibleMeeting,
  type MeetingWithRefs,
  visibleWhere,
  WITH_REFS,
} from './meetings.ts';
import { chairNames } from './nameHistory.ts';
import { dayRange, localDate, toLocalIso, weekRange } from './time.ts';

const NO_INVITATIONS: InvitationCounts = { total: 0, invited: 0, accepted: 0, declined: 0 };

export async function invitationCounts(db: Db | Tx, meetingIds: string[]): Promise<Map<string, InvitationCounts>> {
  const out = new Map<string, InvitationCounts>();
  if (!meetingIds.length) return out;
  const rows = await db.invitation.groupBy({
    by: ['meetingId', 'status'],
    where: { meetingId: { in: meetingIds } },
    _count: { _all: true },
  });
  for (const r of rows) {
    const c = out.get(r.meetingId) ?? { ...NO_INVITATIONS };
    const n = r._count._all;
    c.total += n;
    if (r.status === 'invited' || r.status === 'accepted' || r.status === 'declined') c[r.status] += n;
    out.set(r.meetingId, c);
  }
  return out;
}

/** What the asking user may do with a meeting. */
type UserView = Pick<Meeting, 'canManage' | 'canChair' | 'myRoom'>;

// The database keeps statuses, modes and kinds as text written only from the
// contract's lists, hence the casts below.
export function serializeMeeting(
  m: MeetingWithRefs,
  leadMinutes: number,
  counts?: InvitationCounts,
  view?: UserView,
): Meeting {
  const tc = effectiveTechCheck(m, leadMinutes);
  const chair = chairNames(m);
  return {
    id: m.id,
    title: m.title,
    agenda: m.agenda,
    invitationNumber: m.invitationNumber,
    dialCode: m.dialCode,
    startAt: m.startAt.toISOString(),
    endAt: m.endAt.toISOString(),
    startAtLocal: toLocalIso(m.startAt),
    endAtLocal: toLocalIso(m.endAt),
    techCheckAt: tc.toISOString(),
    techCheckAtLocal: toLocalIso(tc),
    techCheckIsDefault: m.techCheckAt === null,
    timeZone: 'Asia/Ho_Chi_Minh',
    chairUnit: { id: m.chairUnit.id, name: chair.unitName, kind: m.chairUnit.kind as UnitKind },
    chairRoom: { id: m.chairRoom.id, name: chair.roomName },
    status: m.status as MeetingStatus,
    mode: m.mode as MeetingMode,
    maxSites: m.maxSites,
    autoRecord: m.autoRecord,
    seriesId: m.seriesId,
    seriesIndex: m.seriesIndex,
    recurrenceRule: m.recurrenceRule,
    cancelReason: m.cancelReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    invitations: counts ?? NO_INVITATIONS,
    ...view,
  };
}

/** Meetings as `p` sees them: counts, its rights, and for a room operator its room's part. */
export async function presentMeetings(
  db: Db,
  leadMinutes: number,
  p: Principal,
  meetings: MeetingWithRefs[],
): Promise<Meeting[]> {
  const ids = meetings.map((m) => m.id);
  const counts = await invitationCounts(db, ids);
  const roomId = p.user.roomId;
  const mine = new Map<string, { status: InvitationStatus; note: string | null }>();
  if (roomId) {
    const invs = await db.invitation.findMany({ where: { roomId, meetingId: { in: ids } } });
    for (const i of invs) mine.set(i.meetingId, { status: i.status as InvitationStatus, note: i.note });
  }
  return meetings.map((m) =>
    serializeMeeting(m, leadMinutes, counts.get(m.id), {
      canManage: canManage(p, m),
      canChair: canChair(p, m),
      ...(roomId && {
        myRoom: { roomId, isChair: m.chairRoomId === roomId, invitation: mine.get(m.id) ?? null },
      }),
    }),
  );
}

/** One meeting as `p` sees it. */
export async function presentMeeting(db: Db, leadMinutes: number, p: Principal, m: MeetingWithRefs): Promise<Meeting> {
  return (await presentMeetings(db, leadMinutes, p, [m]))[0] as Meeting;
}

function queryRange(q: MeetingsQuery): { from: Date; to: Date } {
  if (q.day) return dayRange(q.day);
  if (q.week) return weekRange(q.week);
  if (q.from || q.to) {
    return {
      from: q.from ? new Date(q.from) : new Date(0),
      to: q.to ? new Date(q.to) : new Date(Date.UTC(9999, 0, 1)),
    };
  }
  return weekRange(localDate(new Date()));
}

/** Meetings `p` may see overlapping the asked day, week or window (default this week). */
export async function listMeetings(db: Db, p: Principal, q: MeetingsQuery) {
  const range = queryRange(q);
  const and: Prisma.MeetingWhereInput[] = [
    visibleWhere(p),
    { startAt: { lt: range.to } },
    { endAt: { gt: range.from } },
  ];
  if (q.status) and.push({ status: q.status });
  else if (q.includeCancelled !== 'true') and.push({ status: { not: 'cancelled' } });
  if (q.unitId) {
    const u = await db.unit.findUnique({ where: { id: q.unitId } });
    if (!u) throw notFound('đơn vị', 'Unit');
    and.push({
      OR: [
        { chairUnit: { path: { startsWith: u.path } } },
        { invitations: { some: { room: { unit: { path: { startsWith: u.path } } } } } },
      ],
    });
  }
  if (q.roomId) and.push({ OR: [{ chairRoomId: q.roomId }, { invitations: { some: { roomId: q.roomId } } }] });
  const meetings = await db.meeting.findMany({
    where: { AND: and },
    include: WITH_REFS,
    orderBy: [{ startAt: 'asc' }, { title: 'asc' }],
    take: 1000,
  });
  return { range, meetings };
}

/** The meeting's audit trail, for those who may chair it. */
export async function auditTrail(db: Db, p: Principal, meetingId: string) {
  const m = await loadVisibleMeeting(db, p, meetingId);
  if (!canChair(p, m)) throw forbidden();
  const entries = await db.auditLog.findMany({ where: { entity: 'meeting', entityId: m.id }, orderBy: { at: 'asc' } });
  return entries.map((e) => ({
    ...e,
    at: e.at.toISOString(),
    details: e.details ? (JSON.parse(e.details) as unknown) : null,
  }));
}
