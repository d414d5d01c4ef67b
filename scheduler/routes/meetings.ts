// Meetings, invitations and join tokens.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type InvitationStatus,
  MEETING_MODES,
  MEETING_STATUSES,
  type MeetingMode,
  type MeetingStatus,
  UNIT_KINDS,
} from '../../contract/enums.ts';
import { type JoinClaims, signJoinToken } from '../../contract/joinToken.ts';
import { type Principal, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import type { Tx } from '../db.ts';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { pathIds } from '../live.ts';
import {
  canChair,
  canManage,
  conflictError,
  effectiveTechCheck,
  findConflicts,
  inScope,
  invitationCounts,
  loadManageableMeeting,
  loadVisibleMeeting,
  type MeetingWithRefs,
  resolveRooms,
  serializeMeeting,
  visibleWhere,
} from '../meetings.ts';
import { dayRange, localDate, toLocalIso, weekRange } from '../time.ts';

const id = z.string().min(1).max(64);
const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2025-11-24T08:00:00+07:00');
const localDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Ngày không hợp lệ | Invalid date')
  .describe('A local date (Asia/Ho_Chi_Minh), YYYY-MM-DD');

const selector = z.strictObject({
  unitId: id,
  kind: z.union([z.enum(UNIT_KINDS), z.array(z.enum(UNIT_KINDS)).min(1)]).optional(),
  includeDescendants: z.boolean().optional().describe('default true: every unit of the subtree; false: the unit only'),
});

const roomSelection = {
  roomIds: z.array(id).max(2000).optional(),
  selectors: z.array(selector).max(100).optional(),
};

const meetingFields = {
  title: z.string().trim().min(3).max(300),
  agenda: z.string().max(20_000).nullable().optional(),
  invitationNumber: z.string().trim().max(100).nullable().optional().describe('Số giấy mời'),
  startAt: isoTime,
  endAt: isoTime,
  techCheckAt: isoTime.nullable().optional().describe('Technical check start; default start − JOIN_LEAD_MINUTES'),
  chairRoomId: id,
  chairUnitId: id.optional().describe("Defaults to the chair room's unit"),
  mode: z.enum(MEETING_MODES).optional().describe('default conference'),
  maxSites: z.number().int().min(1).max(5000).optional(),
};

const createBody = z.strictObject({
  ...meetingFields,
  status: z.enum(['draft', 'scheduled']).optional(),
  recurrence: z
    .strictObject({ freq: z.literal('weekly'), count: z.number().int().min(2).max(52) })
    .optional()
    .describe('Creates `count` weekly occurrences sharing a seriesId'),
  invite: z.strictObject(roomSelection).optional(),
  override: z.boolean().optional().describe('Save even if rooms are booked in overlapping meetings'),
});

const patchBody = z.strictObject({
  ...Object.fromEntries(Object.entries(meetingFields).map(([k, v]) => [k, v.optional()])),
  status: z.enum(['draft', 'scheduled']).optional(),
  override: z.boolean().optional(),
}) as unknown as z.ZodType<
  Partial<{
    title: string;
    agenda: string | null;
    invitationNumber: string | null;
    startAt: string;
    endAt: string;
    techCheckAt: string | null;
    chairRoomId: string;
    chairUnitId: string;
    mode: MeetingMode;
    maxSites: number;
    status: 'draft' | 'scheduled';
    override: boolean;
  }>
>;

const MAX_DURATION_MS = 24 * 3600_000;

function checkTimes(start: Date, end: Date, techCheck: Date | null): void {
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

const idParams = z.strictObject({ id });
const roomParams = z.strictObject({ id, roomId: id });

function notActive(m: { status: string }): ApiError | null {
  if (m.status === 'cancelled') {
    return conflict('MEETING_CANCELLED', 'Cuộc họp đã bị hủy.', 'The meeting has been cancelled.');
  }
  if (m.status === 'ended') return conflict('MEETING_ENDED', 'Cuộc họp đã kết thúc.', 'The meeting has ended.');
  return null;
}

/** Every unit on the paths of these rooms and the chair unit (for live channels). */
async function liveUnits(tx: Tx | Ctx['db'], m: MeetingWithRefs, roomIds: string[]): Promise<Set<string>> {
  const units = new Set(pathIds(m.chairUnit.path));
  if (roomIds.length) {
    const rooms = await tx.endpointRoom.findMany({
      where: { id: { in: roomIds } },
      select: { unit: { select: { path: true } } },
    });
    for (const r of rooms) for (const u of pathIds(r.unit.path)) units.add(u);
  }
  return units;
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
  let unit = room.unit;
  if (chairUnitId && chairUnitId !== room.unitId) {
    const u = await tx.unit.findUnique({ where: { id: chairUnitId } });
    if (!u) throw notFound('đơn vị chủ trì', 'Chair unit');
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

export async function meetingRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = ctx;
  const lead = config.JOIN_LEAD_MINUTES;

  async function present(p: Principal, meetings: MeetingWithRefs[]): Promise<Record<string, unknown>[]> {
    const counts = await invitationCounts(
      db,
      meetings.map((m) => m.id),
    );
    let mine = new Map<string, { status: string; note: string | null }>();
    if (p.user.roomId) {
      const invs = await db.invitation.findMany({
        where: { roomId: p.user.roomId, meetingId: { in: meetings.map((m) => m.id) } },
      });
      mine = new Map(invs.map((i) => [i.meetingId, { status: i.status, note: i.note }]));
    }
    return meetings.map((m) =>
      serializeMeeting(m, lead, counts.get(m.id), {
        canManage: canManage(p, m),
        canChair: canChair(p, m),
        ...(p.user.roomId && {
          myRoom: {
            roomId: p.user.roomId,
            isChair: m.chairRoomId === p.user.roomId,
            invitation: mine.get(m.id) ?? null,
          },
        }),
      }),
    );
  }

  // ---------------------------------------------------------------- list
  r.get(
    '/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Meetings visible to the user, by local day or week (default: this week), unit subtree, room',
        querystring: z.strictObject({
          day: localDay.optional(),
          week: localDay.optional().describe('Any date of the week (Monday to Sunday, local time)'),
          from: isoTime.optional(),
          to: isoTime.optional(),
          unitId: id.optional().describe('Meetings chaired by or inviting a room of this unit subtree'),
          roomId: id.optional(),
          status: z.enum(MEETING_STATUSES).optional(),
          includeCancelled: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const q = req.query;
      let range: { from: Date; to: Date };
      if (q.day) range = dayRange(q.day);
      else if (q.week) range = weekRange(q.week);
      else if (q.from || q.to) {
        const from = q.from ? new Date(q.from) : new Date(0);
        const to = q.to ? new Date(q.to) : new Date(Date.UTC(9999, 0, 1));
        range = { from, to };
      } else range = weekRange(localDate(new Date()));
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
        include: { chairUnit: true, chairRoom: true },
        orderBy: [{ startAt: 'asc' }, { title: 'asc' }],
        take: 1000,
      });
      return {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        fromLocal: toLocalIso(range.from),
        toLocal: toLocalIso(range.to),
        meetings: await present(p, meetings),
      };
    },
  );

  // ---------------------------------------------------------------- conflicts preview
  r.post(
    '/meetings/check-conflicts',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Which of these rooms are booked in an overlapping meeting (nothing is saved)',
        body: z.strictObject({
          startAt: isoTime,
          endAt: isoTime,
          excludeMeetingId: id.optional(),
          ...roomSelection,
        }),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat', 'chair']);
      const b = req.body;
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
    },
  );

  // ---------------------------------------------------------------- create
  r.post(
    '/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary:
          'Book a meeting (optionally weekly), inviting rooms by id or subtree selector. 409 CONFLICT lists booked rooms unless override; 409 DUPLICATE for an identical meeting; an Idempotency-Key header replays the first response.',
        body: createBody,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
      },
    },
    async (req, reply) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const b = req.body;
      const key = req.headers['idempotency-key'];
      const start = new Date(b.startAt);
      const end = new Date(b.endAt);
      const techCheck = b.techCheckAt ? new Date(b.techCheckAt) : null;
      checkTimes(start, end, techCheck);
      const maxSites = b.maxSites ?? config.MAX_SITES_PER_MEETING;
      if (maxSites > config.MAX_SITES_PER_MEETING) {
        throw badRequest(
          `Số điểm cầu tối đa không vượt quá ${config.MAX_SITES_PER_MEETING}.`,
          `maxSites cannot exceed ${config.MAX_SITES_PER_MEETING}.`,
        );
      }
      const count = b.recurrence?.count ?? 1;
      const windows = Array.from({ length: count }, (_, i) => ({
        startAt: new Date(start.getTime() + i * 7 * 86_400_000),
        endAt: new Date(end.getTime() + i * 7 * 86_400_000),
        techCheckAt: techCheck ? new Date(techCheck.getTime() + i * 7 * 86_400_000) : null,
      }));

      const result = await db.$transaction(async (tx) => {
        if (key) {
          const prior = await tx.idempotencyKey.findUnique({ where: { userId_key: { userId: p.user.id, key } } });
          if (prior) return { kind: 'replay' as const, replay: prior };
        }
        const { room: chairRoom, unit: chairUnit } = await chairRoomAndUnit(tx, p, b.chairRoomId, b.chairUnitId);
        const dup = await tx.meeting.findFirst({
          where: {
            chairRoomId: chairRoom.id,
            title: b.title,
            startAt: start,
            endAt: end,
            status: { not: 'cancelled' },
          },
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
        const conflicts = await findConflicts(tx, [chairRoom.id, ...rooms.map((x) => x.id)], windows);
        if (conflicts.length && !b.override) throw conflictError(conflicts);
        const seriesId = count > 1 ? `s-${crypto.randomUUID()}` : null;
        const created: string[] = [];
        for (const [i, w] of windows.entries()) {
          const m = await tx.meeting.create({
            data: {
              title: b.title,
              agenda: b.agenda ?? null,
              invitationNumber: b.invitationNumber ?? null,
              startAt: w.startAt,
              endAt: w.endAt,
              techCheckAt: w.techCheckAt,
              chairUnitId: chairUnit.id,
              chairRoomId: chairRoom.id,
              status: b.status ?? 'scheduled',
              mode: b.mode ?? 'conference',
              maxSites,
              seriesId,
              seriesIndex: seriesId ? i : null,
              recurrenceRule: seriesId ? `FREQ=WEEKLY;COUNT=${count}` : null,
              createdById: p.user.id,
            },
          });
          if (rooms.length) {
            await tx.invitation.createMany({ data: rooms.map((x) => ({ meetingId: m.id, roomId: x.id })) });
          }
          created.push(m.id);
        }
        await audit(
          tx,
          p,
          'meeting.create',
          'meeting',
          created[0] as string,
          {
            title: b.title,
            occurrences: created,
            invited: rooms.length,
            overriddenConflicts: conflicts.length
              ? conflicts.map((c) => ({ roomId: c.roomId, meetingId: c.meetingId }))
              : undefined,
          },
          req.ip,
        );
        const first = await tx.meeting.findUniqueOrThrow({
          where: { id: created[0] as string },
          include: { chairUnit: true, chairRoom: true },
        });
        const body = {
          meeting: serializeMeeting(first, lead, {
            total: rooms.length,
            invited: rooms.length,
            accepted: 0,
            declined: 0,
          }),
          occurrenceIds: created,
          invited: rooms.length,
          overriddenConflicts: conflicts,
        };
        if (key) {
          await tx.idempotencyKey.create({
            data: {
              userId: p.user.id,
              key,
              method: 'POST',
              url: '/api/meetings',
              statusCode: 201,
              body: JSON.stringify(body),
            },
          });
        }
        return { kind: 'created' as const, body, first, roomIds: rooms.map((x) => x.id) };
      });
      if (result.kind === 'replay') {
        return reply
          .code(result.replay.statusCode)
          .header('idempotent-replay', 'true')
          .type('application/json; charset=utf-8')
          .send(result.replay.body);
      }
      const units = await liveUnits(db, result.first, result.roomIds);
      ctx.live.emit(
        'meeting:created',
        { meetingId: result.first.id, title: result.first.title },
        { roomIds: [result.first.chairRoomId], unitIds: units },
      );
      ctx.live.emit(
        'invitation:changed',
        { meetingId: result.first.id, change: 'invited', roomIds: result.roomIds },
        { roomIds: result.roomIds, unitIds: units },
      );
      return reply.code(201).send(result.body);
    },
  );

  // ---------------------------------------------------------------- read
  r.get('/meetings/:id', { schema: { tags: ['meetings'], summary: 'One meeting', params: idParams } }, async (req) => {
    const p = requireUser(req);
    const m = await loadVisibleMeeting(db, p, req.params.id);
    const [out] = await present(p, [m]);
    return { meeting: out };
  });

  // ---------------------------------------------------------------- edit
  r.patch(
    '/meetings/:id',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Edit a meeting; changed times or chair room are re-checked for conflicts (override to save anyway)',
        params: idParams,
        body: patchBody,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const b = req.body;
      const out = await db.$transaction(async (tx) => {
        const m = await loadManageableMeeting(tx, p, req.params.id);
        const bad = notActive(m);
        if (bad) throw bad;
        if (m.status === 'live' && b.status) {
          throw conflict(
            'MEETING_LIVE',
            'Cuộc họp đang diễn ra.',
            'The meeting is live; its status cannot be set back.',
          );
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
        if (b.maxSites && b.maxSites > config.MAX_SITES_PER_MEETING) {
          throw badRequest(
            `Số điểm cầu tối đa không vượt quá ${config.MAX_SITES_PER_MEETING}.`,
            `maxSites cannot exceed ${config.MAX_SITES_PER_MEETING}.`,
          );
        }
        const invited = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
        const roomIds = invited.map((i) => i.roomId);
        const moved =
          start.getTime() !== m.startAt.getTime() ||
          end.getTime() !== m.endAt.getTime() ||
          chairRoomId !== m.chairRoomId;
        let conflicts: Awaited<ReturnType<typeof findConflicts>> = [];
        if (moved) {
          conflicts = await findConflicts(tx, [chairRoomId, ...roomIds], [{ startAt: start, endAt: end }], [m.id]);
          if (conflicts.length && !b.override) throw conflictError(conflicts);
        }
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
            ...(b.status !== undefined && { status: b.status }),
            startAt: start,
            endAt: end,
            techCheckAt: techCheck,
            chairRoomId,
            chairUnitId,
          },
          include: { chairUnit: true, chairRoom: true },
        });
        await audit(
          tx,
          p,
          'meeting.update',
          'meeting',
          m.id,
          { changes: b, overriddenConflicts: conflicts.length || undefined },
          req.ip,
        );
        return { updated, roomIds, conflicts };
      });
      const units = await liveUnits(db, out.updated, out.roomIds);
      ctx.live.emit(
        'meeting:updated',
        { meetingId: out.updated.id },
        { roomIds: [...out.roomIds, out.updated.chairRoomId], unitIds: units },
      );
      const [m] = await present(p, [out.updated]);
      return { meeting: m, overriddenConflicts: out.conflicts };
    },
  );

  r.post(
    '/meetings/:id/cancel',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Cancel a meeting (repeating the request is harmless)',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(3).max(1000) }),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const out = await db.$transaction(async (tx) => {
        const m = await loadManageableMeeting(tx, p, req.params.id);
        if (m.status === 'cancelled') return { m, roomIds: [] as string[], changed: false };
        if (m.status === 'ended') throw conflict('MEETING_ENDED', 'Cuộc họp đã kết thúc.', 'The meeting has ended.');
        const updated = await tx.meeting.update({
          where: { id: m.id },
          data: { status: 'cancelled', cancelReason: req.body.reason },
          include: { chairUnit: true, chairRoom: true },
        });
        await audit(tx, p, 'meeting.cancel', 'meeting', m.id, req.body, req.ip);
        const inv = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
        return { m: updated, roomIds: inv.map((i) => i.roomId), changed: true };
      });
      if (out.changed) {
        const units = await liveUnits(db, out.m, out.roomIds);
        ctx.live.emit(
          'meeting:cancelled',
          { meetingId: out.m.id, reason: req.body.reason },
          { roomIds: [...out.roomIds, out.m.chairRoomId], unitIds: units },
        );
      }
      const [m] = await present(p, [out.m]);
      return { meeting: m };
    },
  );

  r.post(
    '/meetings/:id/end',
    { schema: { tags: ['meetings'], summary: 'Mark a meeting ended (chair, secretariat)', params: idParams } },
    async (req) => {
      const p = requireUser(req);
      const out = await db.$transaction(async (tx) => {
        const m = await loadVisibleMeeting(tx, p, req.params.id);
        if (!canChair(p, m)) throw forbidden();
        if (m.status === 'ended') return m;
        if (m.status === 'cancelled')
          throw conflict('MEETING_CANCELLED', 'Cuộc họp đã bị hủy.', 'The meeting has been cancelled.');
        const u = await tx.meeting.update({
          where: { id: m.id },
          data: { status: 'ended' },
          include: { chairUnit: true, chairRoom: true },
        });
        await audit(tx, p, 'meeting.end', 'meeting', m.id, undefined, req.ip);
        return u;
      });
      ctx.live.emit(
        'meeting:status',
        { meetingId: out.id, status: out.status as MeetingStatus },
        { unitIds: pathIds(out.chairUnit.path) },
      );
      // One "end" for schedule and media: the console and the secretariat's screen both land here.
      ctx.onMeetingEnded?.(out.id);
      const [m] = await present(p, [out]);
      return { meeting: m };
    },
  );

  r.get(
    '/meetings/:id/audit',
    { schema: { tags: ['meetings'], summary: "The meeting's audit trail", params: idParams } },
    async (req) => {
      const p = requireUser(req);
      const m = await loadVisibleMeeting(db, p, req.params.id);
      if (!canChair(p, m)) throw forbidden();
      const entries = await db.auditLog.findMany({
        where: { entity: 'meeting', entityId: m.id },
        orderBy: { at: 'asc' },
      });
      return {
        entries: entries.map((e) => ({ ...e, details: e.details ? (JSON.parse(e.details) as unknown) : null })),
      };
    },
  );

  // ---------------------------------------------------------------- invitations
  r.get(
    '/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: "A meeting's invited rooms with their answers (room operators see their own row)",
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req);
      const m = await loadVisibleMeeting(db, p, req.params.id);
      const where: Prisma.InvitationWhereInput = { meetingId: m.id };
      if (p.user.role === 'room_operator') where.roomId = p.user.roomId ?? '__none__';
      const invs = await db.invitation.findMany({
        where,
        include: { room: { include: { unit: true } } },
        orderBy: [{ room: { unit: { path: 'asc' } } }, { room: { name: 'asc' } }],
      });
      return {
        meetingId: m.id,
        invitations: invs.map((i) => ({
          id: i.id,
          roomId: i.roomId,
          roomName: i.room.name,
          unit: { id: i.room.unit.id, name: i.room.unit.name, kind: i.room.unit.kind },
          status: i.status,
          note: i.note,
          respondedAt: i.respondedAt?.toISOString() ?? null,
          respondedAtLocal: i.respondedAt ? toLocalIso(i.respondedAt) : null,
        })),
      };
    },
  );

  r.post(
    '/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary:
          'Invite rooms by id or subtree selector, e.g. {"selectors":[{"unitId":"…","kind":"commune"}]}. Already-invited rooms are skipped; conflicts → 409 unless override; dryRun reports without saving.',
        params: idParams,
        body: z.strictObject({
          ...roomSelection,
          override: z.boolean().optional(),
          dryRun: z.boolean().optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const b = req.body;
      if (!b.roomIds?.length && !b.selectors?.length) {
        throw badRequest('Chọn ít nhất một điểm cầu hoặc một nhóm.', 'Give roomIds or selectors.');
      }
      const out = await db.$transaction(async (tx) => {
        const m = await loadManageableMeeting(tx, p, req.params.id);
        const bad = notActive(m);
        if (bad) throw bad;
        const rooms = await resolveRooms(tx, p, b);
        const existing = new Set(
          (await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } })).map((i) => i.roomId),
        );
        const skippedChair = rooms.some((x) => x.id === m.chairRoomId);
        const fresh = rooms.filter((x) => x.id !== m.chairRoomId && !existing.has(x.id));
        const conflicts = await findConflicts(
          tx,
          fresh.map((x) => x.id),
          [m],
          [m.id],
        );
        const summary = {
          meetingId: m.id,
          selected: rooms.length,
          added: fresh.length,
          alreadyInvited: rooms.length - fresh.length - (skippedChair ? 1 : 0),
          skippedChairRoom: skippedChair,
          total: existing.size + fresh.length,
          addedRoomIds: fresh.map((x) => x.id),
          conflicts,
        };
        if (b.dryRun) return { summary, m, dry: true };
        if (conflicts.length && !b.override) throw conflictError(conflicts);
        if (fresh.length) {
          await tx.invitation.createMany({ data: fresh.map((x) => ({ meetingId: m.id, roomId: x.id })) });
          await audit(
            tx,
            p,
            'meeting.invite',
            'meeting',
            m.id,
            {
              added: fresh.length,
              roomIds: fresh.map((x) => x.id),
              overriddenConflicts: conflicts.length || undefined,
            },
            req.ip,
          );
        }
        return { summary, m, dry: false };
      });
      if (!out.dry && out.summary.added) {
        const units = await liveUnits(db, out.m, out.summary.addedRoomIds);
        ctx.live.emit(
          'invitation:changed',
          { meetingId: out.m.id, change: 'invited', roomIds: out.summary.addedRoomIds },
          { roomIds: out.summary.addedRoomIds, unitIds: units },
        );
      }
      return { ...out.summary, dryRun: out.dry };
    },
  );

  async function uninvite(
    p: Principal,
    meetingId: string,
    sel: { roomIds?: string[]; selectors?: z.infer<typeof selector>[] },
    ip: string,
  ) {
    const out = await db.$transaction(async (tx) => {
      const m = await loadManageableMeeting(tx, p, meetingId);
      const bad = notActive(m);
      if (bad) throw bad;
      const rooms = await resolveRooms(tx, p, sel);
      const ids = rooms.map((x) => x.id);
      const removed = await tx.invitation.findMany({
        where: { meetingId: m.id, roomId: { in: ids } },
        select: { roomId: true },
      });
      await tx.invitation.deleteMany({ where: { meetingId: m.id, roomId: { in: ids } } });
      if (removed.length) {
        await audit(tx, p, 'meeting.uninvite', 'meeting', m.id, { roomIds: removed.map((x) => x.roomId) }, ip);
      }
      return { m, removed: removed.map((x) => x.roomId) };
    });
    if (out.removed.length) {
      const units = await liveUnits(db, out.m, out.removed);
      ctx.live.emit(
        'invitation:changed',
        { meetingId: out.m.id, change: 'uninvited', roomIds: out.removed },
        { roomIds: out.removed, unitIds: units },
      );
    }
    return { meetingId: out.m.id, removed: out.removed.length, removedRoomIds: out.removed };
  }

  r.post(
    '/meetings/:id/invitations/remove',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Uninvite rooms by id or subtree selector',
        params: idParams,
        body: z.strictObject(roomSelection),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      return uninvite(p, req.params.id, req.body, req.ip);
    },
  );

  r.delete(
    '/meetings/:id/invitations/:roomId',
    { schema: { tags: ['invitations'], summary: 'Uninvite one room', params: roomParams } },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const res = await uninvite(p, req.params.id, { roomIds: [req.params.roomId] }, req.ip);
      if (!res.removed) throw notFound('lời mời', 'Invitation');
      return res;
    },
  );

  r.post(
    '/meetings/:id/invitations/:roomId/respond',
    {
      schema: {
        tags: ['invitations'],
        summary: "Accept or decline an invitation (the room's operator, or the secretariat on its behalf)",
        params: roomParams,
        body: z.strictObject({
          status: z.enum(['accepted', 'declined']),
          note: z.string().trim().max(1000).nullable().optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const { id: meetingId, roomId } = req.params;
      const out = await db.$transaction(async (tx) => {
        const m = await loadVisibleMeeting(tx, p, meetingId);
        const own = p.user.role === 'room_operator' && p.user.roomId === roomId;
        if (!own && !canManage(p, m)) {
          throw forbidden(
            'Chỉ cán bộ của điểm cầu được mời (hoặc văn phòng) được trả lời lời mời.',
            "Only the invited room's operator (or the secretariat) may answer.",
          );
        }
        const bad = notActive(m);
        if (bad) throw bad;
        const inv = await tx.invitation.findUnique({ where: { meetingId_roomId: { meetingId, roomId } } });
        if (!inv) throw notFound('lời mời', 'Invitation');
        if (req.body.status === 'declined' && !req.body.note) {
          throw badRequest('Hãy ghi lý do từ chối.', 'Give a reason (note) when declining.', { field: 'note' });
        }
        const updated = await tx.invitation.update({
          where: { id: inv.id },
          data: {
            status: req.body.status,
            note: req.body.note ?? null,
            respondedAt: new Date(),
            respondedById: p.user.id,
          },
        });
        await audit(
          tx,
          p,
          `invitation.${req.body.status}`,
          'meeting',
          meetingId,
          { roomId, note: req.body.note },
          req.ip,
        );
        return { m, updated };
      });
      const units = await liveUnits(db, out.m, [roomId]);
      ctx.live.emit(
        'invitation:changed',
        {
          meetingId,
          change: 'answered',
          roomId,
          status: out.updated.status as InvitationStatus,
          note: out.updated.note,
        },
        { roomIds: [roomId, out.m.chairRoomId], unitIds: units },
      );
      return {
        invitation: {
          id: out.updated.id,
          meetingId,
          roomId,
          status: out.updated.status,
          note: out.updated.note,
          respondedAt: out.updated.respondedAt?.toISOString() ?? null,
        },
      };
    },
  );

  r.get(
    '/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: "A room's invitations (room operators: their own room), by local day or week, default from today",
        querystring: z.strictObject({
          roomId: id.optional(),
          day: localDay.optional(),
          week: localDay.optional(),
          status: z.enum(['invited', 'accepted', 'declined']).optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const q = req.query;
      let roomId = q.roomId;
      if (p.user.role === 'room_operator') {
        if (roomId && roomId !== p.user.roomId) throw forbidden();
        roomId = p.user.roomId ?? undefined;
      }
      if (!roomId) throw badRequest('Cần roomId.', 'roomId is required.');
      const room = await db.endpointRoom.findUnique({ where: { id: roomId }, include: { unit: true } });
      if (!room) throw notFound('điểm cầu', 'Room');
      if (p.user.role !== 'room_operator' && !inScope(p, room.unit.path)) throw notFound('điểm cầu', 'Room');
      const range = q.day
        ? dayRange(q.day)
        : q.week
          ? weekRange(q.week)
          : { from: dayRange(localDate(new Date())).from, to: new Date(Date.UTC(9999, 0, 1)) };
      const invs = await db.invitation.findMany({
        where: {
          roomId,
          ...(q.status && { status: q.status }),
          meeting: { startAt: { lt: range.to }, endAt: { gt: range.from }, status: { not: 'draft' } },
        },
        include: { meeting: { include: { chairUnit: true, chairRoom: true } } },
        orderBy: { meeting: { startAt: 'asc' } },
        take: 500,
      });
      return {
        room: { id: room.id, name: room.name },
        invitations: invs.map((i) => ({
          id: i.id,
          status: i.status,
          note: i.note,
          respondedAt: i.respondedAt?.toISOString() ?? null,
          meeting: serializeMeeting(i.meeting, lead),
        })),
      };
    },
  );

  // ---------------------------------------------------------------- join token
  r.post(
    '/meetings/:id/join-token',
    {
      schema: {
        tags: ['join'],
        summary:
          'A short-lived token for the SFU join: for an invited room (role site) or the chair room (role chair), from the technical check until the end',
        params: idParams,
        body: z.strictObject({ roomId: id.optional() }).nullish(),
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadVisibleMeeting(db, p, req.params.id);
      let roomId = req.body?.roomId;
      if (p.user.role === 'room_operator') {
        if (roomId && roomId !== p.user.roomId) {
          throw forbidden('Bạn chỉ được tham gia bằng điểm cầu của mình.', 'You may only join as your own room.');
        }
        roomId = p.user.roomId ?? undefined;
      }
      roomId ??= m.chairRoomId;
      const role: JoinClaims['role'] = roomId === m.chairRoomId ? 'chair' : 'site';
      if (role === 'chair' && !canChair(p, m)) {
        throw forbidden('Bạn không có quyền chủ trì cuộc họp này.', 'You may not chair this meeting.');
      }
      if (role === 'site' && p.user.role !== 'room_operator' && !canManage(p, m)) throw forbidden();
      const room = await db.endpointRoom.findUnique({ where: { id: roomId } });
      if (!room) throw notFound('điểm cầu', 'Room');
      if (role === 'site') {
        const inv = await db.invitation.findUnique({ where: { meetingId_roomId: { meetingId: m.id, roomId } } });
        if (!inv) {
          throw new ApiError(
            403,
            'NOT_INVITED',
            `Điểm cầu “${room.name}” không được mời dự cuộc họp này.`,
            `Room "${room.name}" is not invited to this meeting.`,
          );
        }
      }
      if (!room.active) throw forbidden('Điểm cầu đã ngừng hoạt động.', 'The room is inactive.');
      if (m.status === 'cancelled') {
        throw conflict('MEETING_CANCELLED', 'Cuộc họp đã bị hủy.', 'The meeting has been cancelled.');
      }
      if (m.status === 'draft') {
        throw conflict(
          'MEETING_DRAFT',
          'Cuộc họp còn là bản nháp, chưa được lên lịch.',
          'The meeting is still a draft.',
        );
      }
      const now = Date.now();
      const opens = effectiveTechCheck(m, lead);
      if (now < opens.getTime()) {
        throw new ApiError(
          403,
          'TOO_EARLY',
          `Chưa đến giờ kiểm tra kỹ thuật: có thể vào từ ${toLocalIso(opens).slice(11, 16)} ngày ${toLocalIso(opens).slice(0, 10)}.`,
          `Too early: joining opens at the technical check, ${opens.toISOString()}.`,
          { opensAt: opens.toISOString(), opensAtLocal: toLocalIso(opens) },
        );
      }
      if (now >= m.endAt.getTime() || m.status === 'ended') {
        throw new ApiError(403, 'MEETING_OVER', 'Cuộc họp đã kết thúc.', 'The meeting is over.', {
          endAt: m.endAt.toISOString(),
        });
      }
      const ttl = Math.max(30, Math.min(config.JOIN_TOKEN_TTL_SECONDS, Math.ceil((m.endAt.getTime() - now) / 1000)));
      const claims: JoinClaims = {
        meetingId: m.id,
        roomId: room.id,
        role,
        displayName: room.name.slice(0, 200),
        maxSites: Math.min(m.maxSites, config.MAX_SITES_PER_MEETING),
        mode: m.mode as JoinClaims['mode'],
      };
      const token = await signJoinToken(claims, ctx.secret, ttl);
      await audit(db, p, 'meeting.join_token', 'meeting', m.id, { roomId: room.id, role }, req.ip);
      const iceServers = config.TURN_URLS.length
        ? [
            {
              urls: config.TURN_URLS,
              ...(config.TURN_USERNAME && { username: config.TURN_USERNAME }),
              ...(config.TURN_CREDENTIAL && { credential: config.TURN_CREDENTIAL }),
            },
          ]
        : [];
      reply.header('cache-control', 'no-store');
      return {
        token,
        expiresAt: new Date(now + ttl * 1000).toISOString(),
        role,
        roomId: room.id,
        roomName: room.name,
        meetingId: m.id,
        mode: claims.mode,
        maxSites: claims.maxSites,
        iceServers,
      };
    },
  );
}
