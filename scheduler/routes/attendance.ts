// Attendance: the report (JSON, CSV, printable HTML) and the chair's roll-call marks.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ATTENDANCE_MARKS } from '../../contract/enums.ts';
import { attendanceRows, endedAt, LATE_GRACE_MINUTES, summarize } from '../attendance.ts';
import { attendanceCsv, attendanceHtml, reportDisposition, roomNamesOf } from '../attendanceReport.ts';
import { type Principal, requireUser } from '../auth.ts';
import { chatMessages } from '../chat.ts';
import { chatCsv } from '../chatTranscript.ts';
import { audit, type Ctx } from '../context.ts';
import { ApiError, badRequest, forbidden, notFound } from '../errors.ts';
import { pathIds } from '../live.ts';
import { canChair, loadVisibleMeeting, type MeetingWithRefs } from '../meetings.ts';
import { chairNames } from '../nameHistory.ts';
import { queueWebhookEvent } from '../outbox/webhooks.ts';
import { toLocalIso } from '../time.ts';
import { id, idParams } from './params.ts';

export async function attendanceRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  async function loadForReport(p: Principal, meetingId: string): Promise<MeetingWithRefs> {
    const m = await loadVisibleMeeting(db, p, meetingId);
    if (p.user.role === 'room_operator' && !canChair(p, m)) {
      throw forbidden(
        'Báo cáo điểm danh dành cho văn phòng và chủ trì.',
        'The attendance report is for the secretariat and the chair.',
      );
    }
    return m;
  }

  r.get(
    '/meetings/:id/attendance',
    { schema: { tags: ['attendance'], summary: 'Attendance report (JSON)', params: idParams } },
    async (req) => {
      const p = requireUser(req);
      const m = await loadForReport(p, req.params.id);
      const [rows, ended] = await Promise.all([attendanceRows(db, m), endedAt(db, m)]);
      return {
        meeting: {
          id: m.id,
          title: m.title,
          invitationNumber: m.invitationNumber,
          startAt: m.startAt.toISOString(),
          endAt: m.endAt.toISOString(),
          startAtLocal: toLocalIso(m.startAt),
          endAtLocal: toLocalIso(m.endAt),
          endedAt: ended?.toISOString() ?? null,
          endedAtLocal: ended ? toLocalIso(ended) : null,
          status: m.status,
          chairUnit: chairNames(m).unitName,
          chairRoom: chairNames(m).roomName,
        },
        lateGraceMinutes: LATE_GRACE_MINUTES,
        summary: summarize(rows),
        rows,
      };
    },
  );

  r.get(
    '/meetings/:id/attendance.csv',
    {
      schema: {
        tags: ['attendance'],
        summary: 'Attendance report as CSV (UTF-8 with BOM, CRLF; opens in Excel with Vietnamese text)',
        params: idParams,
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadForReport(p, req.params.id);
      const rows = await attendanceRows(db, m);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', reportDisposition(m, 'csv'))
        .send(attendanceCsv(rows));
    },
  );

  r.get(
    '/meetings/:id/attendance.html',
    { schema: { tags: ['attendance'], summary: 'Printable attendance report (HTML)', params: idParams } },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadForReport(p, req.params.id);
      const [rows, ended, chat] = await Promise.all([attendanceRows(db, m), endedAt(db, m), chatMessages(db, m.id)]);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
        .send(attendanceHtml(m, rows, ended, chat));
    },
  );

  r.get(
    '/meetings/:id/chat.csv',
    {
      schema: {
        tags: ['attendance'],
        summary: 'The meeting’s chat as CSV, with the attendance report (private conversations included, marked)',
        params: idParams,
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadForReport(p, req.params.id);
      const [rows, chat] = await Promise.all([attendanceRows(db, m), chatMessages(db, m.id)]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', reportDisposition(m, 'csv', 'trao-doi'))
        .send(chatCsv(chat, roomNamesOf(m, rows)));
    },
  );

  r.put(
    '/meetings/:id/attendance/:roomId/mark',
    {
      schema: {
        tags: ['attendance'],
        summary:
          'Roll-call mark for a room (chair, secretariat): present_in_room, present_online, absent (reason), unmarked',
        params: z.strictObject({ id, roomId: id }),
        body: z.strictObject({
          mark: z.enum(ATTENDANCE_MARKS),
          reason: z.string().trim().max(1000).nullable().optional(),
        }),
      },
    },
    async (req) => {
      const p = requireUser(req);
      const { id: meetingId, roomId } = req.params;
      const { mark, reason } = req.body;
      if (mark === 'absent' && !reason) {
        throw badRequest('Hãy ghi lý do vắng.', 'A reason is required for absent.', { field: 'reason' });
      }
      const out = await db.$transaction(async (tx) => {
        const m = await loadVisibleMeeting(tx, p, meetingId);
        if (!canChair(p, m) || p.user.role === 'room_operator') {
          throw forbidden(
            'Chỉ chủ trì hoặc văn phòng được điểm danh.',
            'Only the chair or the secretariat take the roll-call.',
          );
        }
        if (m.status === 'cancelled' || m.status === 'draft') {
          throw new ApiError(409, 'INVALID_STATE', 'Cuộc họp chưa diễn ra hoặc đã hủy.', 'The meeting is not held.');
        }
        const invited =
          roomId === m.chairRoomId ||
          (await tx.invitation.findUnique({ where: { meetingId_roomId: { meetingId, roomId } } })) !== null;
        if (!invited) throw notFound('điểm cầu trong cuộc họp', 'Room in this meeting');
        const data = {
          mark,
          markReason: reason ?? null,
          markedById: p.user.id,
          markedAt: new Date(),
        };
        const att = await tx.attendance.upsert({
          where: { meetingId_roomId: { meetingId, roomId } },
          create: { meetingId, roomId, ...data },
          update: data,
        });
        await audit(tx, p, 'attendance.mark', 'meeting', meetingId, { roomId, mark, reason }, req.ip);
        const room = await tx.endpointRoom.findUniqueOrThrow({ where: { id: roomId }, select: { name: true } });
        const marked = { meetingId, roomId, roomName: room.name, mark, reason: reason ?? null };
        await queueWebhookEvent(tx, 'rollcall.marked', meetingId, marked);
        return { m, att };
      });
      ctx.outbox.kick();
      ctx.live.emit(
        'attendance:changed',
        { meetingId, roomId, mark, reason: reason ?? null },
        { roomIds: [out.m.chairRoomId], unitIds: pathIds(out.m.chairUnit.path) },
      );
      return {
        meetingId,
        roomId,
        mark: out.att.mark,
        markReason: out.att.markReason,
        markedAt: out.att.markedAt?.toISOString() ?? null,
      };
    },
  );
}
