// Join tokens: the scheduler's permission for a room to join a meeting's media,
// for an invited room (role site) or the chair room (role chair), from the
// technical check until the end; and, asked by the SFU on every join and
// resume, whether that permission still holds.
import type { MeetingMode } from '../contract/enums.ts';
import { type JoinClaims, type RevocationReason, signJoinToken } from '../contract/joinToken.ts';
import type { JoinTokenResponse } from '../contract/rest/joinTokens.ts';
import type { Actor } from './booking.ts';
import { audit, type Ctx } from './context.ts';
import type { Db } from './db.ts';
import { ApiError, conflict, forbidden, notFound } from './errors.ts';
import { canChair, cancelledError, effectiveTechCheck, loadVisibleMeeting, type MeetingWithRefs } from './meetings.ts';
import { toLocalIso } from './time.ts';

/** The room to join as: an operator's own room, else the one asked for, else the chair room. */
function joiningRoomId(p: Actor['p'], m: MeetingWithRefs, asked: string | undefined): string {
  if (p.user.role !== 'room_operator') return asked ?? m.chairRoomId;
  if (asked && asked !== p.user.roomId) {
    throw forbidden('Bạn chỉ được tham gia bằng điểm cầu của mình.', 'You may only join as your own room.');
  }
  return p.user.roomId ?? m.chairRoomId;
}

/** Refuses a meeting that is not open for joining now (draft, cancelled, too early, over). */
function assertJoinable(m: MeetingWithRefs, leadMinutes: number, now: number): void {
  if (m.status === 'cancelled') throw cancelledError();
  if (m.status === 'draft') {
    throw conflict('MEETING_DRAFT', 'Cuộc họp còn là bản nháp, chưa được lên lịch.', 'The meeting is still a draft.');
  }
  const opens = effectiveTechCheck(m, leadMinutes);
  if (now < opens.getTime()) {
    const local = toLocalIso(opens);
    throw new ApiError(
      403,
      'TOO_EARLY',
      `Chưa đến giờ kiểm tra kỹ thuật: có thể vào từ ${local.slice(11, 16)} ngày ${local.slice(0, 10)}.`,
      `Too early: joining opens at the technical check, ${opens.toISOString()}.`,
      { opensAt: opens.toISOString(), opensAtLocal: local },
    );
  }
  if (now >= m.endAt.getTime() || m.status === 'ended') {
    throw new ApiError(403, 'MEETING_OVER', 'Cuộc họp đã kết thúc.', 'The meeting is over.', {
      endAt: m.endAt.toISOString(),
    });
  }
}

export async function issueJoinToken(
  ctx: Ctx,
  { p, ip }: Actor,
  meetingId: string,
  askedRoomId: string | undefined,
): Promise<JoinTokenResponse> {
  const { db, config } = ctx;
  const m = await loadVisibleMeeting(db, p, meetingId);
  const roomId = joiningRoomId(p, m, askedRoomId);
  const role: JoinClaims['role'] = roomId === m.chairRoomId ? 'chair' : 'site';
  if (role === 'chair' && !canChair(p, m)) {
    throw forbidden('Bạn không có quyền chủ trì cuộc họp này.', 'You may not chair this meeting.');
  }
  // A site's token lets its holder appear in the meeting as that room: only the
  // room's own operator gets it (joiningRoomId keeps an operator to its room).
  if (role === 'site' && p.user.role !== 'room_operator') {
    throw forbidden(
      'Chỉ người vận hành điểm cầu được lấy mã tham gia cho điểm cầu đó.',
      "Only a room's operator may get that room's join token.",
    );
  }
  const room = await db.endpointRoom.findUnique({ where: { id: roomId } });
  if (!room) throw notFound('điểm cầu', 'Room');
  const inv =
    role === 'site'
      ? await db.invitation.findUnique({ where: { meetingId_roomId: { meetingId: m.id, roomId } } })
      : null;
  if (role === 'site' && !inv) {
    throw new ApiError(
      403,
      'NOT_INVITED',
      `Điểm cầu “${room.name}” không được mời dự cuộc họp này.`,
      `Room "${room.name}" is not invited to this meeting.`,
    );
  }
  if (!room.active) throw forbidden('Điểm cầu đã ngừng hoạt động.', 'The room is inactive.');
  const now = Date.now();
  assertJoinable(m, config.JOIN_LEAD_MINUTES, now);
  const ttl = Math.max(30, Math.min(config.JOIN_TOKEN_TTL_SECONDS, Math.ceil((m.endAt.getTime() - now) / 1000)));
  const claims: JoinClaims = {
    meetingId: m.id,
    roomId: room.id,
    role,
    displayName: room.name.slice(0, 200),
    maxSites: Math.min(m.maxSites, config.MAX_SITES_PER_MEETING),
    mode: m.mode as MeetingMode,
    userId: p.user.id,
    ...(inv && { invitationId: inv.id }),
  };
  const token = await signJoinToken(claims, ctx.secret, ttl);
  await audit(db, p, 'meeting.join_token', 'meeting', m.id, { roomId: room.id, role }, ip);
  return {
    token,
    expiresAt: new Date(now + ttl * 1000).toISOString(),
    role,
    roomId: room.id,
    roomName: room.name,
    meetingId: m.id,
    mode: claims.mode,
    maxSites: claims.maxSites,
    iceServers: config.iceServers(room.id),
  };
}

/**
 * Whether the schedule still stands behind a join token's claims: null, or
 * why not — the meeting cancelled (or set back to draft) or ended, the room
 * deactivated, no longer invited (on the invitation the token names) or no
 * longer the chair room, the user who asked for the token deactivated. A
 * meeting the schedule does not hold is not its to refuse, and a token naming
 * no user was signed outside the scheduler with the hub secret (tests,
 * benchmarks with more sites than the demo's rooms): only the meeting counts.
 */
export async function grantRefusal(db: Db, claims: JoinClaims): Promise<RevocationReason | null> {
  const m = await db.meeting.findUnique({
    where: { id: claims.meetingId },
    select: { status: true, chairRoomId: true },
  });
  if (!m) return null;
  if (m.status === 'cancelled' || m.status === 'draft') return 'cancelled';
  if (m.status === 'ended') return 'ended';
  if (!claims.userId) return null;
  const [room, user] = await Promise.all([
    db.endpointRoom.findUnique({ where: { id: claims.roomId }, select: { active: true } }),
    db.user.findUnique({ where: { id: claims.userId }, select: { active: true } }),
  ]);
  if (!room?.active || !user?.active) return 'deactivated';
  if (claims.role === 'chair') return m.chairRoomId === claims.roomId ? null : 'uninvited';
  const inv = await db.invitation.findUnique({
    where: { meetingId_roomId: { meetingId: claims.meetingId, roomId: claims.roomId } },
    select: { id: true },
  });
  return inv && inv.id === claims.invitationId ? null : 'uninvited';
}
