// Booking: creating, editing and cancelling meetings (ending them: meetingEnd.ts).
// Each change runs in one transaction with its audit entry, then goes out on the
// live channel (and, when it takes sites out of the meeting, to the SFU).
import type {
  CheckConflictsBody,
  CheckConflictsResponse,
  CreateMeetingBody,
  CreateMeetingResponse,
  UpdateMeetingBody,
} from '../contract/rest/meetings.ts';
import type { Principal } from './auth.ts';
import type { SchedulerConfig } from './config.ts';
import { conflictError, findConflicts } from './conflicts.ts';
import { audit, type Ctx } from './context.ts';
import type { Db, Tx } from './db.ts';
import { withDialCode } from './dialCodes.ts';
import { ApiError, badRequest, conflict, notFound } from './errors.ts';
import { noticeBooked, noticeCancelled, noticeEdited } from './meetingNotices.ts';
import { assertOpen, endedError, inScope, loadManageableMeeting, WITH_REFS } from './meetings.ts';
import { serializeMeeting } from './meetingView.ts';
import { revokeSites } from './revocation.ts';
import { resolveRooms } from './roomSelection.ts';
import { refuseInactive } from './units/activeUnit.ts';

/** A user acting through the REST API. */
export interface Actor {
  p: Principal;
  ip: string;
}

const MAX_DURATION_MS = 24 * 3600_000;
const WEEK_MS = 7 * 86_400_000;

export function checkTimes(start: Date, end: Date, techCheck: Date | null): void {
  if (end.getTime() <= start.getTime()) {
    throw badRequest('Giờ kết thúc phải sau giờ bắt đầu.', 'endAt must be after startAt.', { field: 'endAt' });
  }
  if (end.getTime() - start.getTime() > MAX_DURATION_MS) {
    throw badRequest('Một cuộc họp không dài quá 24 giờ.', 'A meeting cannot last more than 24 hours.');
  }
  if (techCheck && techCheck.getTime() > start.getTime()) {
    throw badRequest('Giờ kiểm tra kỹ thuật phải trước giờ bắt đầu.', 'techCheckAt must not be after startAt.', {
      field: 'techCheckAt',
    });
  }
  if (techCheck && start.getTime() - techCheck.getTime() > MAX_DURATION_MS) {
    throw badRequest(
      'Kiểm tra kỹ thuật không sớm hơn 24 giờ trước cuộc họp.',
      'techCheckAt must be within 24 hours before startAt.',
    );
  }
}

/** The site cap a booking asks for, within MAX_SITES_PER_MEETING (the ceiling itself when none is asked). */
export function siteCap(config: SchedulerConfig, requested: number | undefined): number {
  const ceiling = config.MAX_SITES_PER_MEETING;
  if (requested === undefined) return ceiling;
  if (requested > ceiling) {
    throw badRequest(`Số điểm cầu tối đa không vượt quá ${ceiling}.`, `maxSites cannot exceed ${ceiling}.`);
  }
  return requested;
}

async function chairRoomAndUnit(
  tx: Tx,
  p: Principal,
  chairRoomId: string,
  chairUnitId: string | undefined,
): Promise<{ room: { id: string; unitId: string; active: boolean }; unit: { id: string; path: string } }> {
  const room = await tx.endpointRoom.findUnique({ where: { id: chairRoomId }, include: { unit: true } });
  if (!room) throw notFound('điểm cầu chủ trì', 'Chair room');
  if (!room.active) throw badRequest('Điểm cầu chủ trì đã ngừng hoạt động.', 'The chair room is inactive.');
  refuseInactive(room.unit);
  let unit = room.unit;
  if (chairUnitId && chairUnitId !== room.unitId) {
    const u = await tx.unit.findUnique({ where: { id: chairUnitId } });
    if (!u) throw notFound('đơn vị chủ trì', 'Chair unit');
    refuseInactive(u);
    if (!room.unit.path.startsWith(u.path)) {
      throw badRequest(
        'Điểm cầu chủ trì phải thuộc đơn vị chủ trì.',
        'The chair room must belong to the chairing unit (or its subtree).',
      );
    }
    unit = u;
  }
  if (!inScope(p, unit.path) || !inScope(p, room.unit.path)) {
    throw new ApiError(
      403,
      'OUT_OF_SCOPE',
      'Bạn chỉ được đặt lịch họp cho đơn vị mình quản lý.',
      'You may only book meetings for units inside your scope.',
    );
  }
  return { room, unit };
}

/** Which rooms of a selection are booked elsewhere in a time window (nothing is saved). */
export async function previewConflicts(db: Db, p: Principal, b: CheckConflictsBody): Promise<CheckConflictsResponse> {
  const start = new Date(b.startAt);
  const end = new Date(b.endAt);
  checkTimes(start, end, null);
  const rooms = await resolveRooms(db, p, b);
  const conflicts = await findConflicts(
    db,
    rooms.map((x) => x.id),
    [{ startAt: start, endAt: end }],
    b.excludeMeetingId ? [b.excludeMeetingId] : [],
  );
  return { rooms: rooms.length, conflictingRooms: new Set(conflicts.map((c) => c.roomId)).size, conflicts };
}

export type CreateOutcome =
  | { replayed: true; statusCode: number; body: string }
  | { replayed: false; body: CreateMeetingResponse };

/**
 * Books a meeting, or `recurrence.count` weekly occurrences sharing a series.
 * With an idempotency key, a repeat returns the first response.
 */
export async function createMeetings(
  ctx: Ctx,
  { p, ip }: Actor,
  b: CreateMeetingBody,
  idempotencyKey: string | undefined,
): Promise<CreateOutcome> {
  const start = new Date(b.startAt);
  const end = new Date(b.endAt);
  const techCheck = b.techCheckAt ? new Date(b.techCheckAt) : null;
  checkTimes(start, end, techCheck);
  const maxSites = siteCap(ctx.config, b.maxSites);
  const count = b.recurrence?.count ?? 1;
  const windows = Array.from({ length: count }, (_, i) => ({
    startAt: new Date(start.getTime() + i * WEEK_MS),
    endAt: new Date(end.getTime() + i * WEEK_MS),
    techCheckAt: techCheck ? new Date(techCheck.getTime() + i * WEEK_MS) : null,
  }));

  // Drawn again, the whole booking with it, when a code is taken (scheduler/dialCodes.ts).
  const out = await withDialCode((dialCode) =>
    ctx.db.$transaction(async (tx) => {
      if (idempotencyKey) {
        const prior = await tx.idempotencyKey.findUnique({
          where: { userId_key: { userId: p.user.id, key: idempotencyKey } },
        });
        if (prior) return { replayed: true as const, statusCode: prior.statusCode, body: prior.body };
      }
      const { room: chairRoom, unit: chairUnit } = await chairRoomAndUnit(tx, p, b.chairRoomId, b.chairUnitId);
      const dup = await tx.meeting.findFirst({
        where: { chairRoomId: chairRoom.id, title: b.title, startAt: start, endAt: end, status: { not: 'cancelled' } },
      });
      if (dup) {
        throw conflict(
          'DUPLICATE',
          'Cuộc họp giống hệt (cùng tiêu đề, thời gian, điểm chủ trì) đã được tạo.',
          'An identical meeting (same title, time and chair room) already exists.',
          { meetingId: dup.id },
        );
      }
      const rooms = (b.invite ? await resolveRooms(tx, p, b.invite) : []).filter((x) => x.id !== chairRoom.id);
      const roomIds = rooms.map((x) => x.id);
      const conflicts = await findConflicts(tx, [chairRoom.id, ...roomIds], windows);
      if (conflicts.length && !b.override) throw conflictError(conflicts);
      const seriesId = count > 1 ? `s-${crypto.randomUUID()}` : null;
      const created: string[] = [];
      for (const [i, w] of windows.entries()) {
        const m = await tx.meeting.create({
          data: {
            title: b.title,
            agenda: b.agenda ?? null,
            invitationNumber: b.invitationNumber ?? null,
            ...w,
            chairUnitId: chairUnit.id,
            chairRoomId: chairRoom.id,
            status: b.status ?? 'scheduled',
            mode: b.mode ?? 'conference',
            maxSites,
            autoRecord: b.autoRecord ?? false,
            seriesId,
            seriesIndex: seriesId ? i : null,
            recurrenceRule: seriesId ? `FREQ=WEEKLY;COUNT=${count}` : null,
            createdById: p.user.id,
            dialCode: dialCode(),
          },
        });
        if (roomIds.length)
          await tx.invitation.createMany({ data: roomIds.map((roomId) => ({ meetingId: m.id, roomId })) });
        await noticeBooked(tx, ctx, m.id);
        created.push(m.id);
      }
      const firstId = created[0] as string;
      await audit(
        tx,
        p,
        'meeting.create',
        'meeting',
        firstId,
        {
          title: b.title,
          occurrences: created,
          invited: roomIds.length,
          overriddenConflicts: conflicts.length
            ? conflicts.map((c) => ({ roomId: c.roomId, meetingId: c.meetingId }))
            : undefined,
        },
        ip,
      );
      const first = await tx.meeting.findUniqueOrThrow({ where: { id: firstId }, include: WITH_REFS });
      const n = roomIds.length;
      const body: CreateMeetingResponse = {
        meeting: serializeMeeting(first, ctx.config.JOIN_LEAD_MINUTES, {
          total: n,
          invited: n,
          accepted: 0,
          declined: 0,
        }),
        occurrenceIds: created,
        invited: n,
        overriddenConflicts: conflicts,
      };
      if (idempotencyKey) {
        await tx.idempotencyKey.create({
          data: {
            userId: p.user.id,
            key: idempotencyKey,
            method: 'POST',
            url: '/api/meetings',
            statusCode: 201,
            body: JSON.stringify(body),
          },
        });
      }
      return { replayed: false as const, body, first, roomIds };
    }),
  );
  if (out.replayed) return out;
  ctx.outbox.kick();
  const { first, roomIds } = out;
  await ctx.live.meetingChanged(
    first,
    'meeting:created',
    { meetingId: first.id, title: first.title },
    { roomIds, chairRoom: true },
  );
  await ctx.live.meetingChanged(
    first,
    'invitation:changed',
    { meetingId: first.id, change: 'invited', roomIds },
    { roomIds },
  );
  return { replayed: false, body: out.body };
}

/** Edits a meeting; changed times or chair room are checked for conflicts again (override saves anyway). */
export async function updateMeeting(ctx: Ctx, { p, ip }: Actor, meetingId: string, b: UpdateMeetingBody) {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await loadManageableMeeting(tx, p, meetingId);
    assertOpen(m);
    if (m.status === 'live' && b.status) {
      throw conflict('MEETING_LIVE', 'Cuộc họp đang diễn ra.', 'The meeting is live; its status cannot be set back.');
    }
    const start = b.startAt ? new Date(b.startAt) : m.startAt;
    const end = b.endAt ? new Date(b.endAt) : m.endAt;
    const techCheck = b.techCheckAt === undefined ? m.techCheckAt : b.techCheckAt ? new Date(b.techCheckAt) : null;
    checkTimes(start, end, techCheck);
    let chairRoomId = m.chairRoomId;
    let chairUnitId = m.chairUnitId;
    if (b.chairRoomId || b.chairUnitId) {
      const c = await chairRoomAndUnit(tx, p, b.chairRoomId ?? m.chairRoomId, b.chairUnitId ?? m.chairUnitId);
      chairRoomId = c.room.id;
      chairUnitId = c.unit.id;
    }
    if (b.maxSites !== undefined) siteCap(ctx.config, b.maxSites);
    const invited = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
    const roomIds = invited.map((i) => i.roomId);
    const moved =
      start.getTime() !== m.startAt.getTime() || end.getTime() !== m.endAt.getTime() || chairRoomId !== m.chairRoomId;
    const conflicts = moved
      ? await findConflicts(tx, [chairRoomId, ...roomIds], [{ startAt: start, endAt: end }], [m.id])
      : [];
    if (conflicts.length && !b.override) throw conflictError(conflicts);
    if (chairRoomId !== m.chairRoomId) {
      await tx.invitation.deleteMany({ where: { meetingId: m.id, roomId: chairRoomId } });
    }
    const updated = await tx.meeting.update({
      where: { id: m.id },
      data: {
        ...(b.title !== undefined && { title: b.title }),
        ...(b.agenda !== undefined && { agenda: b.agenda }),
        ...(b.invitationNumber !== undefined && { invitationNumber: b.invitationNumber }),
        ...(b.mode !== undefined && { mode: b.mode }),
        ...(b.maxSites !== undefined && { maxSites: b.maxSites }),
        ...(b.autoRecord !== undefined && { autoRecord: b.autoRecord }),
        ...(b.status !== undefined && { status: b.status }),
        startAt: start,
        endAt: end,
        techCheckAt: techCheck,
        chairRoomId,
        chairUnitId,
      },
      include: WITH_REFS,
    });
    const details = { changes: b, overriddenConflicts: conflicts.length || undefined };
    await audit(tx, p, 'meeting.update', 'meeting', m.id, details, ip);
    await noticeEdited(tx, ctx, m);
    return { updated, roomIds, conflicts, formerChairRoomId: chairRoomId === m.chairRoomId ? null : m.chairRoomId };
  });
  ctx.outbox.kick();
  // The former chair room is neither chair nor invited any more.
  if (out.formerChairRoomId) {
    revokeSites(ctx, { meetingId, roomIds: [out.formerChairRoomId], reason: 'uninvited' });
  }
  await ctx.live.meetingChanged(
    out.updated,
    'meeting:updated',
    { meetingId: out.updated.id },
    { roomIds: out.roomIds, chairRoom: true },
  );
  return { meeting: out.updated, conflicts: out.conflicts };
}

/** Cancels a meeting: its sites leave at once and its tokens are refused. Cancelling it again changes nothing. */
export async function cancelMeeting(ctx: Ctx, { p, ip }: Actor, meetingId: string, reason: string) {
  const out = await ctx.db.$transaction(async (tx) => {
    const m = await loadManageableMeeting(tx, p, meetingId);
    if (m.status === 'cancelled') return { m, roomIds: [], changed: false };
    if (m.status === 'ended') throw endedError();
    const updated = await tx.meeting.update({
      where: { id: m.id },
      // The dial code is free for other meetings (scheduler/dialCodes.ts).
      data: { status: 'cancelled', cancelReason: reason, dialCode: null },
      include: WITH_REFS,
    });
    await audit(tx, p, 'meeting.cancel', 'meeting', m.id, { reason }, ip);
    await noticeCancelled(tx, ctx, m.id, m.status === 'draft');
    const inv = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
    return { m: updated, roomIds: inv.map((i) => i.roomId), changed: true };
  });
  if (out.changed) {
    ctx.outbox.kick();
    revokeSites(ctx, { meetingId: out.m.id, reason: 'cancelled' });
    await ctx.live.meetingChanged(
      out.m,
      'meeting:cancelled',
      { meetingId: out.m.id, reason },
      { roomIds: out.roomIds, chairRoom: true },
    );
  }
  return out.m;
}
