// Demo data shaped like the reference province (shared/PRODUCT.md), loaded into
// an empty database when DEMO_DATA=true: the province's units and rooms, one
// account per role and a few meetings around `now`. Deterministic: the same
// `now` gives the same data.
import type { Logger } from 'pino';
import { hashPassword } from '../auth.ts';
import type { Db } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DEMO_ACCOUNTS } from './accounts.ts';
import { DEMO_PAST_MEETING_ID, demoMeetings, demoPastAttendance, type MeetingSeed } from './meetings.ts';
import { demoProvince } from './province.ts';

const SEED_TIMEOUT_MS = 60_000;

export async function seedDemoData(
  db: Db,
  opts: { now: Date; log?: Logger },
): Promise<{ units: number; rooms: number; users: number; meetings: number }> {
  const { units, rooms } = demoProvince();
  const users: Prisma.UserCreateManyInput[] = [];
  for (const a of DEMO_ACCOUNTS) {
    users.push({
      id: `user-${a.login}`,
      login: a.login,
      name: a.name,
      role: a.role,
      unitId: a.unitId,
      roomId: a.roomId,
      passwordHash: await hashPassword(a.password, true),
    });
  }
  const meetings = demoMeetings(opts.now, rooms);
  const past = meetings.find((m) => m.id === DEMO_PAST_MEETING_ID) as MeetingSeed;

  // A few hundred statements: over PostgreSQL each is a round trip, beyond the default 5 s on a busy machine.
  await db.$transaction(
    async (tx) => {
      // Parents before children: units are pushed in tree order.
      await tx.unit.createMany({ data: units });
      await tx.endpointRoom.createMany({ data: rooms });
      await tx.user.createMany({ data: users });
      for (const { invite, accepted = 0, declined = 0, ...m } of meetings) {
        await tx.meeting.create({ data: { ...m, createdById: 'user-vanphong.tinh' } });
        await tx.invitation.createMany({
          data: invite.map((roomId, i) => ({
            meetingId: m.id as string,
            roomId,
            status: i < accepted ? 'accepted' : i < accepted + declined ? 'declined' : 'invited',
            note: i >= accepted && i < accepted + declined ? 'Trùng lịch tiếp dân' : null,
            respondedAt: i < accepted + declined ? new Date((m.startAt as Date).getTime() - 86_400_000) : null,
          })),
        });
      }
      for (const data of demoPastAttendance(past)) await tx.attendance.create({ data });
      await tx.auditLog.create({
        data: {
          action: 'seed.demo',
          entity: 'system',
          details: JSON.stringify({ units: units.length, rooms: rooms.length }),
        },
      });
    },
    { timeout: SEED_TIMEOUT_MS },
  );
  opts.log?.debug({ units: units.length, rooms: rooms.length }, 'demo data');
  return { units: units.length, rooms: rooms.length, users: users.length, meetings: meetings.length };
}
