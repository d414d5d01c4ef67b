// Calendars: a meeting as an .ics file, and a room's feed that calendar apps
// subscribe to with the room's feed token instead of a session.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { z } from 'zod';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import { fileDisposition } from '../downloads.ts';
import { ApiError, notFound } from '../errors.ts';
import { effectiveTechCheck, loadVisibleMeeting, type MeetingWithRefs } from '../meetings.ts';
import { chairNames } from '../nameHistory.ts';
import { toLocalText } from '../time.ts';
import { idParams } from './params.ts';

type FeedRoom = { id: string; feedGeneration: number };

/** The secret part of a room's feed link: whoever has it reads that room's meetings, until the link is rotated. */
export function feedToken(secret: string, room: FeedRoom): string {
  return crypto.createHmac('sha256', secret).update(`feed:${room.id}:${room.feedGeneration}`).digest('base64url');
}

export function feedUrl(secret: string, room: FeedRoom): string {
  return `/api/rooms/${room.id}/calendar.ics?token=${feedToken(secret, room)}`;
}

function feedTokenMatches(secret: string, room: FeedRoom, given: string): boolean {
  const expected = Buffer.from(feedToken(secret, room));
  const presented = Buffer.from(given);
  return expected.length === presented.length && crypto.timingSafeEqual(expected, presented);
}

function hostOf(req: { hostname: string }): string {
  return (req.hostname || 'diemcau').replace(/:\d+$/, '');
}

export async function calendarRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = ctx;

  function addEvent(cal: ReturnType<typeof ical>, m: MeetingWithRefs, host: string): void {
    const tc = effectiveTechCheck(m, config.JOIN_LEAD_MINUTES);
    const chair = chairNames(m);
    const lines = [
      m.invitationNumber ? `Số giấy mời: ${m.invitationNumber}` : null,
      `Chủ trì: ${chair.unitName} – ${chair.roomName}`,
      `Kiểm tra kỹ thuật từ ${toLocalText(tc)}`,
      m.agenda ? `\n${m.agenda}` : null,
      m.status === 'cancelled' && m.cancelReason ? `\nĐÃ HỦY: ${m.cancelReason}` : null,
    ].filter(Boolean);
    cal.createEvent({
      id: `${m.id}@${host}`,
      start: m.startAt,
      end: m.endAt,
      stamp: m.updatedAt,
      created: m.createdAt,
      lastModified: m.updatedAt,
      sequence: Math.floor(m.updatedAt.getTime() / 1000) % 2_000_000_000,
      summary: m.status === 'cancelled' ? `[ĐÃ HỦY] ${m.title}` : m.title,
      description: lines.join('\n'),
      location: chair.roomName,
      status:
        m.status === 'cancelled'
          ? ICalEventStatus.CANCELLED
          : m.status === 'draft'
            ? ICalEventStatus.TENTATIVE
            : ICalEventStatus.CONFIRMED,
    });
  }

  r.get(
    '/meetings/:id/calendar.ics',
    { schema: { tags: ['calendar'], summary: 'The meeting as an iCalendar file (times in UTC)', params: idParams } },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadVisibleMeeting(db, p, req.params.id);
      const cal = ical({ name: m.title, prodId: { company: 'diemcau', product: 'scheduler', language: 'VI' } });
      cal.method(ICalCalendarMethod.PUBLISH);
      addEvent(cal, m, hostOf(req));
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', fileDisposition(`cuoc-hop-${m.id}.ics`))
        .send(cal.toString());
    },
  );

  r.get(
    '/rooms/:id/calendar.ics',
    {
      schema: {
        tags: ['calendar'],
        summary:
          "A room's meeting feed (last 30 days to one year ahead). Calendar apps use ?token= from GET /api/rooms/:id instead of a session.",
        params: idParams,
        querystring: z.strictObject({ token: z.string().max(200).optional() }),
        security: [{ session: [] }, { bearer: [] }, {}],
      },
    },
    async (req, reply) => {
      const room = await db.endpointRoom.findUnique({ where: { id: req.params.id }, include: { unit: true } });
      const token = req.query.token;
      let allowed = false;
      if (token) {
        allowed = !!room && feedTokenMatches(ctx.secret, room, token);
        if (!allowed) throw new ApiError(401, 'BAD_FEED_TOKEN');
      } else {
        const p = requireUser(req);
        allowed =
          p.user.role === 'admin' ||
          (p.user.role === 'room_operator'
            ? p.user.roomId === req.params.id
            : !!room && room.unit.path.startsWith(p.scopePath ?? '/'));
      }
      if (!room || !allowed) throw notFound('điểm cầu', 'Room');
      const now = Date.now();
      const meetings = await db.meeting.findMany({
        where: {
          OR: [{ chairRoomId: room.id }, { invitations: { some: { roomId: room.id } } }],
          status: { not: 'draft' },
          startAt: { gte: new Date(now - 30 * 86_400_000), lt: new Date(now + 366 * 86_400_000) },
        },
        include: { chairUnit: true, chairRoom: true },
        orderBy: { startAt: 'asc' },
        take: 2000,
      });
      const cal = ical({
        name: `Lịch họp – ${room.name}`,
        prodId: { company: 'diemcau', product: 'scheduler', language: 'VI' },
        ttl: 900,
      });
      cal.method(ICalCalendarMethod.PUBLISH);
      const host = hostOf(req);
      for (const m of meetings) addEvent(cal, m, host);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', fileDisposition(`lich-${room.code}.ics`, 'inline'))
        .send(cal.toString());
    },
  );
}
