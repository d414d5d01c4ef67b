// Invitations: inviting and uninviting rooms, a room answering, and the lists
// of a meeting's and of a room's invitations (contract/rest/invitations.ts).
import type { InvitationStatus, UnitKind } from '../contract/enums.ts';
import type {
  AnswerBody,
  AnswerResponse,
  InviteResponse,
  MeetingInvitation,
  RoomInvitationsQuery,
  RoomInvitationsResponse,
  UninviteResponse,
} from '../contract/rest/invitations.ts';
import type { RoomSelection } from '../contract/rest/meetings.ts';
import type { Principal } from './auth.ts';
import type { Actor } from './booking.ts';
import { conflictError, findConflicts } from './conflicts.ts';
import { audit, type Ctx } from './context.ts';
import type { Db } from './db.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { noticeRoomsChanged } from './meetingNotices.ts';
import { assertOpen, canManage, inScope, loadManageableMeeting, loadVisibleMeeting, WITH_REFS } from './meetings.ts';
import { serializeMeeting } from './meetingView.ts';
import { revokeSites } from './revocation.ts';
import { resolveRooms } from './roomSelection.ts';
import { dayRange, localDate, toLocalIso, weekRange } from './time.ts';

/** Invites more rooms; already-invited rooms and the chair room are skipped. A dry run only reports. */
export async function inviteRooms(
  ctx: Ctx,
  { p, ip }: Actor,
  meetingId: string,
  b: RoomSelection & { override?: boolean | undefined; dryRun?: boolean | undefined },
): Promise<InviteResponse> {
  if (!b.roomIds?.length && !b.selectors?.length) {
    throw badRequest('Chọn ít nhất một điểm cầu hoặc một nhóm.', 'Give roomIds or selectors.');
  }
  const dryRun = b.dryRun === true;
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await loadManageableMeeting(tx, p, meetingId);
    assertOpen(m);
    const rooms = await resolveRooms(tx, p, b);
    const invited = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
    const existing = new Set(invited.map((i) => i.roomId));
    const skippedChair = rooms.some((x) => x.id === m.chairRoomId);
    const fresh = rooms.filter((x) => x.id !== m.chairRoomId && !existing.has(x.id)).map((x) => x.id);
    const conflicts = await findConflicts(tx, fresh, [m], [m.id]);
    const summary: InviteResponse = {
      meetingId: m.id,
      selected: rooms.length,
      added: fresh.length,
      alreadyInvited: rooms.length - fresh.length - (skippedChair ? 1 : 0),
      skippedChairRoom: skippedChair,
      total: existing.size + fresh.length,
      addedRoomIds: fresh,
      conflicts,
      dryRun,
    };
    if (dryRun) return { summary, m };
    if (conflicts.length && !b.override) throw conflictError(conflicts);
    if (fresh.length) {
      await tx.invitation.createMany({ data: fresh.map((roomId) => ({ meetingId: m.id, roomId })) });
      const details = { added: fresh.length, roomIds: fresh, overriddenConflicts: conflicts.length || undefined };
      await audit(tx, p, 'meeting.invite', 'meeting', m.id, details, ip);
      await noticeRoomsChanged(tx, ctx, m.id, { added: fresh });
    }
    return { summary, m };
  });
  const roomIds = out.summary.addedRoomIds;
  if (!dryRun && roomIds.length) {
    ctx.outbox.kick();
    await ctx.live.meetingChanged(
      out.m,
      'invitation:changed',
      { meetingId: out.m.id, change: 'invited', roomIds },
      { roomIds },
    );
  }
  return out.summary;
}

/** Uninvites the selected rooms (those not invited are ignored): their sites leave the meeting at once. */
export async function uninviteRooms(
  ctx: Ctx,
  { p, ip }: Actor,
  meetingId: string,
  sel: RoomSelection,
): Promise<UninviteResponse> {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await loadManageableMeeting(tx, p, meetingId);
    assertOpen(m);
    const ids = (await resolveRooms(tx, p, sel)).map((x) => x.id);
    const where = { meetingId: m.id, roomId: { in: ids } };
    const removed = (await tx.invitation.findMany({ where, select: { roomId: true } })).map((x) => x.roomId);
    await tx.invitation.deleteMany({ where });
    if (removed.length) {
      await audit(tx, p, 'meeting.uninvite', 'meeting', m.id, { roomIds: removed }, ip);
      await noticeRoomsChanged(tx, ctx, m.id, { removed });
    }
    return { m, removed };
  });
  const roomIds = out.removed;
  if (roomIds.length) {
    ctx.outbox.kick();
    revokeSites(ctx, { meetingId: out.m.id, roomIds, reason: 'uninvited' });
    await ctx.live.meetingChanged(
      out.m,
      'invitation:changed',
      { meetingId: out.m.id, change: 'uninvited', roomIds },
      { roomIds },
    );
  }
  return { meetingId: out.m.id, removed: roomIds.length, removedRoomIds: roomIds };
}

/** The invited room's operator (or the secretariat on its behalf) accepts or declines; declining needs a note. */
export async function answerInvitation(
  ctx: Ctx,
  { p, ip }: Actor,
  meetingId: string,
  roomId: string,
  b: AnswerBody,
): Promise<AnswerResponse> {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await loadVisibleMeeting(tx, p, meetingId);
    const own = p.user.role === 'room_operator' && p.user.roomId === roomId;
    if (!own && !canManage(p, m)) {
      throw forbidden(
        'Chỉ cán bộ của điểm cầu được mời (hoặc văn phòng) được trả lời lời mời.',
        "Only the invited room's operator (or the secretariat) may answer.",
      );
    }
    assertOpen(m);
    const inv = await tx.invitation.findUnique({ where: { meetingId_roomId: { meetingId, roomId } } });
    if (!inv) throw notFound('lời mời', 'Invitation');
    if (b.status === 'declined' && !b.note) {
      throw badRequest('Hãy ghi lý do từ chối.', 'Give a reason (note) when declining.', { field: 'note' });
    }
    const updated = await tx.invitation.update({
      where: { id: inv.id },
      data: { status: b.status, note: b.note ?? null, respondedAt: new Date(), respondedById: p.user.id },
    });
    await audit(tx, p, `invitation.${b.status}`, 'meeting', meetingId, { roomId, note: b.note }, ip);
    return { m, updated };
  });
  const { m, updated } = out;
  const status = updated.status as InvitationStatus;
  await ctx.live.meetingChanged(
    m,
    'invitation:changed',
    { meetingId, change: 'answered', roomId, status, note: updated.note },
    { roomIds: [roomId], chairRoom: true },
  );
  return {
    invitation: {
      id: updated.id,
      meetingId,
      roomId,
      status,
      note: updated.note,
      respondedAt: updated.respondedAt?.toISOString() ?? null,
    },
  };
}

/** A meeting's invited rooms with their answers; a room operator sees its own row only. */
export async function meetingInvitations(db: Db, p: Principal, meetingId: string) {
  const m = await loadVisibleMeeting(db, p, meetingId);
  const where: Prisma.InvitationWhereInput = { meetingId: m.id };
  if (p.user.role === 'room_operator') where.roomId = p.user.roomId ?? '__none__';
  const invs = await db.invitation.findMany({
    where,
    include: { room: { include: { unit: true } } },
    orderBy: [{ room: { unit: { path: 'asc' } } }, { room: { name: 'asc' } }],
  });
  const invitations = invs.map(
    (i): MeetingInvitation => ({
      id: i.id,
      roomId: i.roomId,
      roomName: i.roomName ?? i.room.name,
      unit: { id: i.room.unit.id, name: i.unitName ?? i.room.unit.name, kind: i.room.unit.kind as UnitKind },
      status: i.status as InvitationStatus,
      note: i.note,
      respondedAt: i.respondedAt?.toISOString() ?? null,
      respondedAtLocal: i.respondedAt ? toLocalIso(i.respondedAt) : null,
    }),
  );
  return { meetingId: m.id, invitations };
}

/** A room's invitations (a room operator: its own room) by local day or week, by default from today on. */
export async function roomInvitations(
  ctx: Ctx,
  p: Principal,
  q: RoomInvitationsQuery,
): Promise<RoomInvitationsResponse> {
  let roomId = q.roomId;
  if (p.user.role === 'room_operator') {
    if (roomId && roomId !== p.user.roomId) throw forbidden();
    roomId = p.user.roomId ?? undefined;
  }
  if (!roomId) throw badRequest('Cần roomId.', 'roomId is required.');
  const room = await ctx.db.endpointRoom.findUnique({ where: { id: roomId }, include: { unit: true } });
  if (!room) throw notFound('điểm cầu', 'Room');
  if (p.user.role !== 'room_operator' && !inScope(p, room.unit.path)) throw notFound('điểm cầu', 'Room');
  const range = q.day
    ? dayRange(q.day)
    : q.week
      ? weekRange(q.week)
      : { from: dayRange(localDate(new Date())).from, to: new Date(Date.UTC(9999, 0, 1)) };
  const invs = await ctx.db.invitation.findMany({
    where: {
      roomId,
      ...(q.status && { status: q.status }),
      meeting: { startAt: { lt: range.to }, endAt: { gt: range.from }, status: { not: 'draft' } },
    },
    include: { meeting: { include: WITH_REFS } },
    orderBy: { meeting: { startAt: 'asc' } },
    take: 500,
  });
  return {
    room: { id: room.id, name: room.name },
    invitations: invs.map((i) => ({
      id: i.id,
      status: i.status as InvitationStatus,
      note: i.note,
      respondedAt: i.respondedAt?.toISOString() ?? null,
      meeting: serializeMeeting(i.meeting, ctx.config.JOIN_LEAD_MINUTES),
    })),
  };
}
