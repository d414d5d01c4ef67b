// Endpoint rooms (điểm cầu): listing them for everyone in scope, the admin's
// create, edit, (de)activate and delete.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNIT_KINDS } from '../../contract/enums.ts';
import { contactEmailsSchema } from '../../contract/rest/roomContacts.ts';
import { type Principal, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { containsText, uniqueViolation } from '../db.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { inScope } from '../meetings.ts';
import { keepNamesOfHeldMeetings } from '../nameHistory.ts';
import { revokeIfRoomInactive } from '../revocation.ts';
import { roomView, storeContactEmails } from '../roomContacts.ts';
import { activeUnit } from '../units/activeUnit.ts';
import { feedUrl } from './calendar.ts';
import { boolQuery, id, idParams } from './params.ts';

export async function roomRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/rooms',
    {
      schema: {
        tags: ['rooms'],
        summary: "List the endpoint rooms in the user's scope (by unit subtree, unit kind, text)",
        querystring: z.strictObject({
          unitId: id.optional(),
          includeDescendants: boolQuery.optional(),
          kind: z.enum(UNIT_KINDS).optional(),
          active: boolQuery.optional(),
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(2000).optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const q = req.query;
      const unitWhere: Prisma.UnitWhereInput = {};
      if (q.unitId) {
        const u = await db.unit.findUnique({ where: { id: q.unitId } });
        if (!u) throw notFound('đơn vị', 'Unit');
        if (q.includeDescendants === false) unitWhere.id = u.id;
        else unitWhere.path = { startsWith: u.path };
      }
      if (q.kind) unitWhere.kind = q.kind;
      // A secretariat or chair sees the rooms of its unit's subtree; the administrator, all.
      const scopeWhere: Prisma.UnitWhereInput = p.scopePath === null ? {} : { path: { startsWith: p.scopePath } };
      const where: Prisma.EndpointRoomWhereInput = { unit: { AND: [unitWhere, scopeWhere] } };
      if (q.active !== undefined) where.active = q.active;
      if (q.q) where.name = containsText(ctx.config.DATABASE_URL, q.q);
      if (p.user.role === 'room_operator') where.id = p.user.roomId ?? '__none__';
      const rooms = await db.endpointRoom.findMany({
        where,
        include: { unit: { select: { id: true, name: true, kind: true } } },
        orderBy: [{ unit: { path: 'asc' } }, { name: 'asc' }],
        take: q.limit ?? 2000,
      });
      return { rooms: rooms.map(roomView), count: rooms.length };
    },
  );

  /** The room, if this user may see it: its operator, or anyone whose scope holds its unit. */
  async function visibleRoom(p: Principal, roomId: string) {
    const room = await db.endpointRoom.findUnique({ where: { id: roomId }, include: { unit: true } });
    const visible = room && (p.user.role === 'room_operator' ? p.user.roomId === room.id : inScope(p, room.unit.path));
    if (!visible) throw notFound('điểm cầu', 'Room');
    return room;
  }

  /** The feed link opens a room's schedule without a session: only its operator and the secretariats over it hold it. */
  function holdsFeed(p: Principal): boolean {
    return p.user.role === 'admin' || p.user.role === 'room_operator' || p.user.role === 'secretariat';
  }

  r.get(
    '/rooms/:id',
    {
      schema: {
        tags: ['rooms'],
        summary: "One endpoint room in the user's scope; its calendar-feed link for its operator and secretariats",
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req);
      const room = await visibleRoom(p, req.params.id);
      return { room: roomView(room), ...(holdsFeed(p) && { calendarFeedUrl: feedUrl(ctx.secret, room) }) };
    },
  );

  r.post(
    '/rooms/:id/calendar-feed/rotate',
    {
      schema: {
        tags: ['rooms', 'calendar'],
        summary: "Replace a room's calendar-feed link (the old one stops working): its operator, secretariats, admin",
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req);
      const room = await visibleRoom(p, req.params.id);
      if (!holdsFeed(p)) throw forbidden();
      const rotated = await db.$transaction(async (tx) => {
        const r = await tx.endpointRoom.update({
          where: { id: room.id },
          data: { feedGeneration: { increment: 1 } },
        });
        await audit(tx, p, 'room.feed_rotated', 'room', room.id, undefined, req.ip);
        return r;
      });
      return { calendarFeedUrl: feedUrl(ctx.secret, rotated) };
    },
  );

  const roomBody = z.strictObject({
    unitId: id,
    name: z.string().trim().min(1).max(200),
    code: z.string().trim().min(1).max(64),
    location: z.string().trim().max(300).nullable().optional(),
    active: z.boolean().optional(),
    /** Who receives the room's invitations by e-mail. */
    contactEmails: contactEmailsSchema.optional(),
  });

  r.post(
    '/rooms',
    { schema: { tags: ['rooms'], summary: 'Create an endpoint room (admin)', body: roomBody } },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const room = await db.$transaction(async (tx) => {
        await activeUnit(tx, b.unitId);
        try {
          const created = await tx.endpointRoom.create({
            data: {
              unitId: b.unitId,
              name: b.name,
              code: b.code,
              location: b.location ?? null,
              active: b.active ?? true,
              contactEmails: storeContactEmails(b.contactEmails ?? []),
            },
          });
          await audit(tx, p, 'room.create', 'room', created.id, b, req.ip);
          return created;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã điểm cầu đã tồn tại.', 'Room code already exists.');
          throw err;
        }
      });
      return reply.code(201).send({ room: roomView(room) });
    },
  );

  r.patch(
    '/rooms/:id',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Edit or (de)activate a room (admin)',
        params: idParams,
        body: roomBody.partial(),
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const room = await db.$transaction(async (tx) => {
        const before = await tx.endpointRoom.findUnique({ where: { id: req.params.id } });
        if (!before) throw notFound('điểm cầu', 'Room');
        if (req.body.unitId && req.body.unitId !== before.unitId) await activeUnit(tx, req.body.unitId);
        const renamed = req.body.name !== undefined && req.body.name !== before.name;
        if (renamed || (req.body.unitId && req.body.unitId !== before.unitId)) {
          await keepNamesOfHeldMeetings(tx, { roomIds: [before.id] });
        }
        try {
          const { contactEmails, ...fields } = req.body;
          const data = { ...fields, ...(contactEmails && { contactEmails: storeContactEmails(contactEmails) }) };
          const updated = await tx.endpointRoom.update({ where: { id: req.params.id }, data });
          await audit(tx, p, 'room.update', 'room', updated.id, req.body, req.ip);
          return updated;
        } catch (err) {
          if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã điểm cầu đã tồn tại.', 'Room code already exists.');
          throw err;
        }
      });
      revokeIfRoomInactive(ctx, room);
      return { room: roomView(room) };
    },
  );

  r.delete(
    '/rooms/:id',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Delete a room never used in a meeting (admin); otherwise deactivate it with PATCH',
        params: idParams,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      await db.$transaction(async (tx) => {
        const room = await tx.endpointRoom.findUnique({
          where: { id: req.params.id },
          include: { _count: { select: { invitations: true, chaired: true, operators: true, attendances: true } } },
        });
        if (!room) throw notFound('điểm cầu', 'Room');
        const c = room._count;
        if (c.invitations || c.chaired || c.operators || c.attendances) {
          throw conflict(
            'IN_USE',
            'Điểm cầu đã được dùng trong cuộc họp hoặc có tài khoản; hãy ngừng hoạt động (active=false) thay vì xóa.',
            'The room has meetings or operator accounts; deactivate it (active=false) instead of deleting.',
            c,
          );
        }
        await tx.endpointRoom.delete({ where: { id: room.id } });
        await audit(tx, p, 'room.delete', 'room', room.id, { name: room.name }, req.ip);
      });
      return { ok: true };
    },
  );
}
