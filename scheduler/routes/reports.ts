// Attendance (JSON, CSV, printable HTML), roll-call marks and calendars (.ics).
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { z } from 'zod';
import { ATTENDANCE_MARKS } from '../../contract/enums.ts';
import { type Principal, requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { ApiError, badRequest, forbidden, notFound } from '../errors.ts';
import { pathIds } from '../live.ts';
import { canChair, effectiveTechCheck, loadVisibleMeeting, type MeetingWithRefs } from '../meetings.ts';
import { toLocalIso, toLocalText } from '../time.ts';

const id = z.string().min(1).max(64);
const idParams = z.strictObject({ id });

/** A room that joined within this many minutes after the start counts as present, later as late. */
export const LATE_GRACE_MINUTES = 5;

const COMPUTED_VI: Record<string, string> = {
  present: 'Có mặt',
  late: 'Đến muộn',
  absent: 'Vắng',
  pending: 'Chưa đến giờ',
};
const MARK_VI: Record<string, string> = {
  unmarked: 'Chưa điểm danh',
  present_in_room: 'Có mặt tại phòng',
  present_online: 'Có mặt trực tuyến',
  absent: 'Vắng',
};
const INVITE_VI: Record<string, string> = {
  invited: 'Chưa trả lời',
  accepted: 'Đồng ý',
  declined: 'Từ chối',
  chair: 'Chủ trì',
};

export interface AttendanceRow {
  roomId: string;
  roomName: string;
  unitId: string;
  unitName: string;
  unitKind: string;
  role: 'chair' | 'site';
  invitation: string;
  invitationNote: string | null;
  firstJoinedAt: string | null;
  firstJoinedAtLocal: string | null;
  lastLeftAt: string | null;
  onlineMinutes: number;
  intervals: Array<{ joinedAt: string; leftAt: string | null }>;
  computed: 'present' | 'late' | 'absent' | 'pending';
  mark: string;
  markReason: string | null;
  markedAt: string | null;
}

async function attendanceRows(ctx: Ctx, m: MeetingWithRefs): Promise<AttendanceRow[]> {
  const [invs, atts, chairRoom] = await Promise.all([
    ctx.db.invitation.findMany({ where: { meetingId: m.id }, include: { room: { include: { unit: true } } } }),
    ctx.db.attendance.findMany({
      where: { meetingId: m.id },
      include: { intervals: { orderBy: { joinedAt: 'asc' } } },
    }),
    ctx.db.endpointRoom.findUniqueOrThrow({ where: { id: m.chairRoomId }, include: { unit: true } }),
  ]);
  const attByRoom = new Map(atts.map((a) => [a.roomId, a]));
  const now = Date.now();
  const entries = [
    { room: chairRoom, role: 'chair' as const, invitation: 'chair', note: null as string | null },
    ...invs
      .sort((a, b) => a.room.unit.path.localeCompare(b.room.unit.path) || a.room.name.localeCompare(b.room.name, 'vi'))
      .map((i) => ({ room: i.room, role: 'site' as const, invitation: i.status, note: i.note })),
  ];
  return entries.map(({ room, role, invitation, note }) => {
    const a = attByRoom.get(room.id);
    const cap = Math.min(now, m.endAt.getTime());
    let ms = 0;
    for (const iv of a?.intervals ?? []) {
      const from = Math.max(iv.joinedAt.getTime(), m.startAt.getTime());
      const to = Math.min(iv.leftAt?.getTime() ?? cap, m.endAt.getTime());
      if (to > from) ms += to - from;
    }
    let computed: AttendanceRow['computed'];
    if (a?.firstJoinedAt) {
      computed = a.firstJoinedAt.getTime() <= m.startAt.getTime() + LATE_GRACE_MINUTES * 60_000 ? 'present' : 'late';
    } else computed = now < m.startAt.getTime() ? 'pending' : 'absent';
    return {
      roomId: room.id,
      roomName: room.name,
      unitId: room.unitId,
      unitName: room.unit.name,
      unitKind: room.unit.kind,
      role,
      invitation,
      invitationNote: note,
      firstJoinedAt: a?.firstJoinedAt?.toISOString() ?? null,
      firstJoinedAtLocal: a?.firstJoinedAt ? toLocalIso(a.firstJoinedAt) : null,
      lastLeftAt: a?.lastLeftAt?.toISOString() ?? null,
      onlineMinutes: Math.round(ms / 60_000),
      intervals: (a?.intervals ?? []).map((iv) => ({
        joinedAt: iv.joinedAt.toISOString(),
        leftAt: iv.leftAt?.toISOString() ?? null,
      })),
      computed,
      mark: a?.mark ?? 'unmarked',
      markReason: a?.markReason ?? null,
      markedAt: a?.markedAt?.toISOString() ?? null,
    };
  });
}

function summarize(rows: AttendanceRow[]) {
  const sites = rows.filter((r) => r.role === 'site');
  const count = (f: (r: AttendanceRow) => boolean) => sites.filter(f).length;
  return {
    invited: sites.length,
    accepted: count((r) => r.invitation === 'accepted'),
    declined: count((r) => r.invitation === 'declined'),
    present: count((r) => r.computed === 'present'),
    late: count((r) => r.computed === 'late'),
    absent: count((r) => r.computed === 'absent'),
    marked: {
      present_in_room: count((r) => r.mark === 'present_in_room'),
      present_online: count((r) => r.mark === 'present_online'),
      absent: count((r) => r.mark === 'absent'),
      unmarked: count((r) => r.mark === 'unmarked'),
    },
  };
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // Neutralize spreadsheet formulas and quote everything that needs it.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_HEADER = [
  'STT',
  'Đơn vị',
  'Điểm cầu',
  'Vai trò',
  'Trả lời lời mời',
  'Vào lúc (giờ Việt Nam)',
  'Rời lúc (giờ Việt Nam)',
  'Số phút trực tuyến',
  'Tình trạng',
  'Điểm danh',
  'Lý do / ghi chú',
];

function toCsv(rows: AttendanceRow[]): string {
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  rows.forEach((r, i) => {
    lines.push(
      [
        i + 1,
        r.unitName,
        r.roomName,
        r.role === 'chair' ? 'Chủ trì' : 'Điểm cầu',
        INVITE_VI[r.invitation] ?? r.invitation,
        r.firstJoinedAt ? toLocalText(new Date(r.firstJoinedAt)) : '',
        r.lastLeftAt ? toLocalText(new Date(r.lastLeftAt)) : '',
        r.onlineMinutes,
        COMPUTED_VI[r.computed] ?? r.computed,
        MARK_VI[r.mark] ?? r.mark,
        r.markReason ?? r.invitationNote ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function esc(s: string | number | null): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function toHtml(m: MeetingWithRefs, rows: AttendanceRow[]): string {
  const s = summarize(rows);
  const body = rows
    .map(
      (r, i) =>
        `<tr><td>${i + 1}</td><td>${esc(r.unitName)}</td><td>${esc(r.roomName)}</td><td>${
          r.role === 'chair' ? 'Chủ trì' : 'Điểm cầu'
        }</td><td>${esc(INVITE_VI[r.invitation] ?? r.invitation)}</td><td>${
          r.firstJoinedAt ? esc(toLocalText(new Date(r.firstJoinedAt))) : ''
        }</td><td class="n">${r.onlineMinutes}</td><td>${esc(COMPUTED_VI[r.computed] ?? r.computed)}</td><td>${esc(
          MARK_VI[r.mark] ?? r.mark,
        )}</td><td>${esc(r.markReason ?? r.invitationNote ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Điểm danh – ${esc(m.title)}</title>
<style>
body{font-family:"Times New Roman",serif;margin:2em;color:#000}
h1{font-size:1.3em;text-align:center;text-transform:uppercase}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #000;padding:.25em .4em;vertical-align:top}
th{background:#eee}td.n{text-align:right}
.meta{margin:.2em 0}
@media print{body{margin:0}button{display:none}th{background:none}}
</style></head><body>
<h1>Báo cáo điểm danh hội nghị trực tuyến</h1>
<p class="meta"><b>Cuộc họp:</b> ${esc(m.title)}</p>
${m.invitationNumber ? `<p class="meta"><b>Số giấy mời:</b> ${esc(m.invitationNumber)}</p>` : ''}
<p class="meta"><b>Thời gian:</b> ${esc(toLocalText(m.startAt))} – ${esc(toLocalText(m.endAt))} (giờ Việt Nam)</p>
<p class="meta"><b>Chủ trì:</b> ${esc(m.chairUnit.name)} – ${esc(m.chairRoom.name)}</p>
<p class="meta"><b>Tổng hợp:</b> ${s.invited} điểm cầu được mời; có mặt ${s.present}, đến muộn ${s.late}, vắng ${s.absent}; điểm danh: tại phòng ${s.marked.present_in_room}, trực tuyến ${s.marked.present_online}, vắng ${s.marked.absent}, chưa điểm danh ${s.marked.unmarked}.</p>
<button onclick="window.print()">In báo cáo</button>
<table><thead><tr><th>STT</th><th>Đơn vị</th><th>Điểm cầu</th><th>Vai trò</th><th>Trả lời</th><th>Vào lúc</th><th>Số phút</th><th>Tình trạng</th><th>Điểm danh</th><th>Lý do / ghi chú</th></tr></thead>
<tbody>
${body}
</tbody></table>
<p class="meta">Lập lúc ${esc(toLocalText(new Date()))}.</p>
</body></html>
`;
}

function filename(m: MeetingWithRefs, ext: string): string {
  const day = toLocalIso(m.startAt).slice(0, 10);
  return `attachment; filename="diem-danh-${day}-${m.id}.${ext}"`;
}

export function feedToken(secret: string, roomId: string): string {
  return crypto.createHmac('sha256', secret).update(`feed:${roomId}`).digest('base64url');
}

export async function reportRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = ctx;

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
      const rows = await attendanceRows(ctx, m);
      return {
        meeting: {
          id: m.id,
          title: m.title,
          invitationNumber: m.invitationNumber,
          startAt: m.startAt.toISOString(),
          endAt: m.endAt.toISOString(),
          startAtLocal: toLocalIso(m.startAt),
          endAtLocal: toLocalIso(m.endAt),
          status: m.status,
          chairUnit: m.chairUnit.name,
          chairRoom: m.chairRoom.name,
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
      const rows = await attendanceRows(ctx, m);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', filename(m, 'csv')).send(toCsv(rows));
    },
  );

  r.get(
    '/meetings/:id/attendance.html',
    { schema: { tags: ['attendance'], summary: 'Printable attendance report (HTML)', params: idParams } },
    async (req, reply) => {
      const p = requireUser(req);
      const m = await loadForReport(p, req.params.id);
      const rows = await attendanceRows(ctx, m);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
        .send(toHtml(m, rows));
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
        return { m, att };
      });
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

  // ---------------------------------------------------------------- calendars
  function addEvent(cal: ReturnType<typeof ical>, m: MeetingWithRefs, host: string): void {
    const tc = effectiveTechCheck(m, config.JOIN_LEAD_MINUTES);
    const lines = [
      m.invitationNumber ? `Số giấy mời: ${m.invitationNumber}` : null,
      `Chủ trì: ${m.chairUnit.name} – ${m.chairRoom.name}`,
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
      location: m.chairRoom.name,
      status:
        m.status === 'cancelled'
          ? ICalEventStatus.CANCELLED
          : m.status === 'draft'
            ? ICalEventStatus.TENTATIVE
            : ICalEventStatus.CONFIRMED,
    });
  }

  function hostOf(req: { hostname: string }): string {
    return (req.hostname || 'diemcau').replace(/:\d+$/, '');
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
        .header('content-disposition', `attachment; filename="cuoc-hop-${m.id}.ics"`)
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
        const expected = Buffer.from(feedToken(ctx.secret, req.params.id));
        const given = Buffer.from(token);
        allowed = expected.length === given.length && crypto.timingSafeEqual(expected, given);
        if (!allowed)
          throw new ApiError(401, 'BAD_FEED_TOKEN', 'Liên kết lịch không hợp lệ.', 'Invalid calendar feed link.');
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
        .header('content-disposition', `inline; filename="lich-${room.code}.ics"`)
        .send(cal.toString());
    },
  );
}
