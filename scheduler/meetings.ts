// Who may see, manage and chair a meeting, loading it with those checks, and
// the rules every change of a meeting shares.
import type { Principal } from './auth.ts';
import type { Db, Tx } from './db.ts';
import { type ApiError, conflict, forbidden, notFound } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { addMinutes } from './time.ts';

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

/** Loads a meeting with its chair unit and room (what every answer about it shows). */
export const WITH_REFS = { chairUnit: true, chairRoom: true } as const;

export type MeetingWithRefs = Prisma.MeetingGetPayload<{ include: typeof WITH_REFS }>;

/** Loads a meeting the user may see, or 404 (never reveals that it exists). */
export async function loadVisibleMeeting(db: Db | Tx, p: Principal, id: string): Promise<MeetingWithRefs> {
  const m = await db.meeting.findFirst({
    where: { AND: [{ id }, visibleWhere(p)] },
    include: WITH_REFS,
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

export function effectiveTechCheck(m: { startAt: Date; techCheckAt: Date | null }, leadMinutes: number): Date {
  return m.techCheckAt ?? addMinutes(m.startAt, -leadMinutes);
}

export function cancelledError(): ApiError {
  return conflict('MEETING_CANCELLED', 'Cuộc họp đã bị hủy.', 'The meeting has been cancelled.');
}

export function endedError(): ApiError {
  return conflict('MEETING_ENDED', 'Cuộc họp đã kết thúc.', 'The meeting has ended.');
}

/** A cancelled or ended meeting takes no more changes. */
export function assertOpen(m: { status: string }): void {
  if (m.status === 'cancelled') throw cancelledError();
  if (m.status === 'ended') throw endedError();
}
