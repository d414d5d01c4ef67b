// What the administrator's rooms screen shows beyond the room itself: its
// operator accounts, its SIP account (never the HA1), when its site last joined
// a meeting, and its last technical check, which the room's operator's browser reports here after each
// pre-join check (client/components/PreJoinCheck.tsx).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoomOverview, RoomsOverviewResponse } from '../../contract/rest/accounts.ts';
import type { TechCheckReport, TechCheckResult } from '../../contract/rest/techCheck.ts';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db.ts';
import { forbidden, notFound } from '../errors.ts';
import { idParams } from './params.ts';

const techCheckBody = z.strictObject({
  camera: z.boolean(),
  microphone: z.boolean(),
  network: z.boolean(),
  serverRttMs: z.number().int().min(0).max(600_000).nullable(),
}) satisfies z.ZodType<TechCheckResult>;

interface Connection {
  roomId: string;
  lastJoinedAt: string | number | Date | null;
  openIntervals: number | bigint;
}

/**
 * Per room: its site's latest join over every meeting, and whether an attendance
 * interval is still open. The aliases are quoted: PostgreSQL folds bare ones to lower case.
 */
async function connections(db: Db): Promise<Map<string, Connection>> {
  const rows = await db.$queryRaw<Connection[]>`
    SELECT a."roomId" AS "roomId", MAX(i."joinedAt") AS "lastJoinedAt",
           SUM(CASE WHEN i."leftAt" IS NULL THEN 1 ELSE 0 END) AS "openIntervals"
    FROM "AttendanceInterval" i JOIN "Attendance" a ON a."id" = i."attendanceId"
    GROUP BY a."roomId"`;
  return new Map(rows.map((r) => [r.roomId, r]));
}

function storedCheck(at: Date | null, json: string | null): TechCheckReport | null {
  if (!at || !json) return null;
  return { ...(JSON.parse(json) as TechCheckResult), at: at.toISOString() };
}

export async function roomOverviewRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/rooms/overview',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Every room with its operators, last connection and last technical check (admin)',
      },
    },
    async (req): Promise<RoomsOverviewResponse> => {
      requireUser(req, ['admin']);
      const [rooms, joined] = await Promise.all([
        db.endpointRoom.findMany({
          include: {
            unit: { select: { id: true, name: true, code: true } },
            operators: { select: { id: true, login: true, name: true, active: true }, orderBy: { login: 'asc' } },
          },
          orderBy: [{ unit: { path: 'asc' } }, { name: 'asc' }],
        }),
        connections(db),
      ]);
      return {
        rooms: rooms.map((room): RoomOverview => {
          const c = joined.get(room.id);
          return {
            id: room.id,
            code: room.code,
            name: room.name,
            location: room.location,
            active: room.active,
            unit: room.unit,
            operators: room.operators,
            lastJoinedAt: c?.lastJoinedAt ? new Date(c.lastJoinedAt).toISOString() : null,
            connectedNow: Number(c?.openIntervals ?? 0) > 0,
            techCheck: storedCheck(room.lastTechCheckAt, room.lastTechCheckResult),
            sip: room.sipUser ? { user: room.sipUser, uri: room.sipUri } : null,
          };
        }),
      };
    },
  );

  r.post(
    '/rooms/:id/tech-check',
    {
      schema: {
        tags: ['rooms'],
        summary: "Report the room's pre-join check (camera, microphone, network): the room's operator",
        params: idParams,
        body: techCheckBody,
      },
    },
    async (req) => {
      const p = requireUser(req, ['room_operator']);
      if (p.user.roomId !== req.params.id) {
        throw forbidden(
          'Chỉ báo được kết quả kiểm tra của điểm cầu mình.',
          "You can only report your own room's check.",
        );
      }
      const at = new Date();
      const updated = await db.endpointRoom.updateMany({
        where: { id: req.params.id },
        data: { lastTechCheckAt: at, lastTechCheckResult: JSON.stringify(req.body) },
      });
      if (updated.count === 0) throw notFound('điểm cầu', 'Room');
      return { techCheck: { ...req.body, at: at.toISOString() } satisfies TechCheckReport };
    },
  );
}
