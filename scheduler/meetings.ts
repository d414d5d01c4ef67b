// Meeting domain logic: visibility and management scope, room selection by id
// or subtree selector, conflict detection, serialization.
import { ACTIVE_STATUSES } from '../contract/enums.ts';
import type { Principal } from './auth.ts';
import type { Db, Tx } from './db.ts';
import { ApiError, badRequest, forbidden, notFound } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { addMinutes, toLocalIso } from './time.ts';

export function inScope(p: Principal, unitPath: string): boolean {
  return p.scopePath === null || unitPath.startsWith(p.scopePath);
}

/** Prisma filter: meetings this user may see. */
export function visibleWhere(p: Principal): Prisma.MeetingWhereInput {
  if (p.user.role === 'admin') return {};
  if (p.user.role === 'room_operator') {
    const roomId = p.user.roomId ?? '__none__';
    return { OR: [{ chairRoomId: roomId }, { invitations: { some: { roomId } } }] };
  }
  const scope = p.scopePath ?? '/';
  return {
    OR: [
      { chairUnit: { path: { startsWith: scope } } },
      { invitations: { some: { room: { unit: { path: { startsWith: scope } } } } } },
    ],
  };
}

export type MeetingWithRefs = Prisma.MeetingGetPayload<{
  include: { chairUnit: true; chairRoom: true };
}>;

/** Loads a meeting the user may see, or 404 (never reveals that it exists). */
export async function loadVisibleMeeting(db: Db | Tx, p: Principal, id: string): Promise<MeetingWithRefs> {
  const m = await db.meeting.findFirst({
    where: { AND: [{ id }, visibleWhere(p)] },
    include: { chairUnit: true, chairRoom: true },
  });
  if (!m) throw notFound('cuộc họp', 'Meeting');
  return m;
}

/** Secretariat of the chairing unit's subtree (or admin) may change the meeting. */
export function canManage(p: Principal, m: { chairUnit: { path: string } }): boolean {
  if (p.user.role === 'admin') return true;
  return p.user.role === 'secretariat' && inScope(p, m.chairUnit.path);
}

/** Chair users of the chairing unit's subtree may run roll-call and chair the meeting. */
export function canChair(p: Principal, m: { chairUnit: { path: string }; chairRoomId: string }): boolean {
  if (canManage(p, m)) return true;
  if (p.user.role === 'chair') return inScope(p, m.chairUnit.path);
  return p.user.role === 'room_operator' && p.user.roomId === m.chairRoomId;
}

export async function loadManageableMeeting(db: Db | Tx, p: Principal, id: string): Promise<MeetingWithRefs> {
  const m = await loadVisibleMeeting(db, p, id);
  if (!canManage(p, m)) {
    throw forbidden(
      'Chỉ văn phòng của đơn vị chủ trì (hoặc quản trị) được thay đổi cuộc họp này.',
      "Only the chairing unit's secretariat (or an admin) may change this meeting.",
    );
  }
  return m;
}

export interface Selector {
  unitId: string;
  kind?: string | string[] | undefined;
  includeDescendants?: boolean | undefined;
}

export interface RoomSelection {
  roomIds?: string[] | undefined;
  selectors?: Selector[] | undefined;
}

export interface SelectedRoom {
  id: string;
  name: string;
  unitId: string;
  unitPath: string;
}

/** Resolves room ids and subtree selectors to active rooms, checking scope. */
export async function resolveRooms(tx: Tx | Db, p: Principal, sel: RoomSelection): Promise<SelectedRoom[]> {
  const found = new Map<string, SelectedRoom>();
  const ids = [...new Set(sel.roomIds ?? [])];
  if (ids.length) {
    const rooms = await tx.endpointRoom.findMany({ where: { id: { in: ids } }, include: { unit: true } });
    const byId = new Map(rooms.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new ApiError(
        404,
        'NOT_FOUND',
        `Không tìm thấy điểm cầu: ${missing.join(', ')}.`,
        `Unknown rooms: ${missing.join(', ')}.`,
        { missingRoomIds: missing },
      );
    }
    const inactive = rooms.filter((r) => !r.active).map((r) => r.id);
    if (inactive.length) {
      throw badRequest(
        `Điểm cầu đã ngừng hoạt động: ${inactive.join(', ')}.`,
        `Rooms are inactive: ${inactive.join(', ')}.`,
        { inactiveRoomIds: inactive },
      );
    }
    for (const r of rooms) found.set(r.id, { id: r.id, name: r.name, unitId: r.unitId, unitPath: r.unit.path });
  }
  for (const s of sel.selectors ?? []) {
    const unit = await tx.unit.findUnique({ where: { id: s.unitId } });
    if (!unit) throw notFound(`đơn vị ${s.unitId}`, `Unit ${s.unitId}`);
    const kinds = s.kind === undefined ? undefined : Array.isArray(s.kind) ? s.kind : [s.kind];
    const unitWhere: Prisma.UnitWhereInput =
      s.includeDescendants === false ? { id: unit.id } : { path: { startsWith: unit.path } };
    if (kinds) unitWhere.kind = { in: kinds };
    const rooms = await tx.endpointRoom.findMany({
      where: { active: true, unit: unitWhere },
      include: { unit: { select: { path: true } } },
      orderBy: [{ unit: { path: 'asc' } }, { name: 'asc' }],
    });
    for (const r of rooms) found.set(r.id, { id: r.id, name: r.name, unitId: r.unitId, unitPath: r.unit.path });
  }
  const outside = [...found.values()].filter((r) => !inScope(p, r.unitPath));
  if (outside.length) {
    throw new ApiError(
      403,
      'OUT_OF_SCOPE',
      `Bạn chỉ được mời điểm cầu thuộc đơn vị mình quản lý; ngoài phạm vi: ${outside
        .slice(0, 10)
        .map((r) => r.name)
        .join(', ')}${outside.length > 10 ? '…' : ''}.`,
      `You may only invite rooms inside your unit; ${outside.length} room(s) are outside it.`,
      { outOfScopeRoomIds: outside.map((r) => r.id) },
    );
  }
  return [...found.values()];
}

export interface ConflictRow {
  roomId: string;
  roomName: string;
  meetingId: string;
  meetingTitle: string;
  startAt: string;
  endAt: string;
  startAtLocal: string;
  endAtLocal: string;
  as: 'invited' | 'chair';
}

/** Rooms already in another overlapping draft/scheduled/live meeting. */
export async function findConflicts(
  tx: Tx | Db,
  roomIds: string[],
  windows: Array<{ startAt: Date; endAt: Date }>,
  excludeMeetingIds: string[] = [],
): Promise<ConflictRow[]> {
  if (!roomIds.length || !windows.length) return [];
  const out: ConflictRow[] = [];
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

export function conflictError(conflicts: ConflictRow[]): ApiError {
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

export function effectiveTechCheck(m: { startAt: Date; techCheckAt: Date | null }, leadMinutes: number): Date {
  return m.techCheckAt ?? addMinutes(m.startAt, -leadMinutes);
}

export interface Counts {
  total: number;
  invited: number;
  accepted: number;
  declined: number;
}

export async function invitationCounts(db: Db | Tx, meetingIds: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (!meetingIds.length) return out;
  const rows = await db.invitation.groupBy({
    by: ['meetingId', 'status'],
    where: { meetingId: { in: meetingIds } },
    _count: { _all: true },
  });
  for (const r of rows) {
    const c = out.get(r.meetingId) ?? { total: 0, invited: 0, accepted: 0, declined: 0 };
    const n = r._count._all;
    c.total += n;
    if (r.status === 'invited' || r.status === 'accepted' || r.status === 'declined') c[r.status] += n;
    out.set(r.meetingId, c);
  }
  return out;
}

export function serializeMeeting(
  m: MeetingWithRefs,
  leadMinutes: number,
  counts?: Counts,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  const tc = effectiveTechCheck(m, leadMinutes);
  return {
    id: m.id,
    title: m.title,
    agenda: m.agenda,
    invitationNumber: m.invitationNumber,
    startAt: m.startAt.toISOString(),
    endAt: m.endAt.toISOString(),
    startAtLocal: toLocalIso(m.startAt),
    endAtLocal: toLocalIso(m.endAt),
    techCheckAt: tc.toISOString(),
    techCheckAtLocal: toLocalIso(tc),
    techCheckIsDefault: m.techCheckAt === null,
    timeZone: 'Asia/Ho_Chi_Minh',
    chairUnit: { id: m.chairUnit.id, name: m.chairUnit.name, kind: m.chairUnit.kind },
    chairRoom: { id: m.chairRoom.id, name: m.chairRoom.name },
    status: m.status,
    mode: m.mode,
    maxSites: m.maxSites,
    seriesId: m.seriesId,
    seriesIndex: m.seriesIndex,
    recurrenceRule: m.recurrenceRule,
    cancelReason: m.cancelReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    invitations: counts ?? { total: 0, invited: 0, accepted: 0, declined: 0 },
    ...extra,
  };
}
