// SIP rooms in the schedule: a room's digest credentials (the hub keeps the
// HA1, never the password) and whether a room calling a meeting's address may
// join it now — the same rules as a browser site's join token
// (scheduler/joinTokens.ts): the room active and invited, the meeting open.
import { createHash } from 'node:crypto';
import type { MeetingMode } from '../contract/enums.ts';
import type { SipAdmission, SipDialAuth, SipDialRefusal, SipDialTarget, SipRoomCredentials } from '../contract/sip.ts';
import type { SchedulerConfig } from './config.ts';
import type { Db } from './db.ts';
import { isDialCode } from './dialCodes.ts';
import { effectiveTechCheck } from './meetings.ts';

/** The digest HA1 (RFC 2617): MD5(user:realm:password). */
export function sipHa1(user: string, realm: string, password: string): string {
  return createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');
}

/** The active room that authenticates as `user`, or null (unknown, not a SIP room, deactivated). */
export async function sipCredentials(db: Db, user: string): Promise<SipRoomCredentials | null> {
  const room = await db.endpointRoom.findUnique({
    where: { sipUser: user },
    select: { id: true, sipHa1: true, active: true },
  });
  if (!room?.sipHa1 || !room.active) return null;
  return { roomId: room.id, ha1: room.sipHa1 };
}

/**
 * Whether room `roomId` may join the meeting dialled as `address` (the
 * meeting's id or its dial code: docs/sip.md) now, and with what claims.
 */
export async function sipAdmission(
  db: Db,
  config: SchedulerConfig,
  roomId: string,
  address: string,
  now = Date.now(),
): Promise<SipAdmission> {
  const m = await db.meeting.findUnique({ where: isDialCode(address) ? { dialCode: address } : { id: address } });
  if (!m) return { refusal: 'unknown_meeting' };
  const [room, inv] = await Promise.all([
    db.endpointRoom.findUnique({ where: { id: roomId } }),
    db.invitation.findUnique({ where: { meetingId_roomId: { meetingId: m.id, roomId } } }),
  ]);
  if (!room?.active) return { refusal: 'inactive' };
  if (!inv || m.chairRoomId === roomId) return { refusal: 'not_invited' };
  const opens = effectiveTechCheck(m, config.JOIN_LEAD_MINUTES).getTime();
  if (m.status !== 'scheduled' && m.status !== 'live') return { refusal: 'not_open' };
  if (now < opens || now >= m.endAt.getTime()) return { refusal: 'not_open' };
  return {
    claims: {
      meetingId: m.id,
      roomId: room.id,
      role: 'site',
      displayName: room.name.slice(0, 200),
      maxSites: Math.min(m.maxSites, config.MAX_SITES_PER_MEETING),
      mode: m.mode as MeetingMode,
      invitationId: inv.id,
    },
  };
}

/** The invited SIP rooms with a dial-out address (EndpointRoom.sipUri) that may join `meetingId` now. */
export async function sipDialTargets(db: Db, config: SchedulerConfig, meetingId: string): Promise<SipDialTarget[]> {
  const invitations = await db.invitation.findMany({
    where: { meetingId, room: { sipUri: { not: null }, active: true } },
    select: { room: { select: DIAL_FIELDS } },
  });
  const targets: SipDialTarget[] = [];
  for (const { room } of invitations) {
    const admission = await sipAdmission(db, config, room.id, meetingId);
    if ('claims' in admission && room.sipUri)
      targets.push({ roomId: room.id, uri: room.sipUri, claims: admission.claims, auth: dialAuthOf(room) });
  }
  return targets;
}

/** Whether the hub may call room `roomId` into `meetingId` now: it has a dial-out address and may join. */
export async function sipDialTarget(
  db: Db,
  config: SchedulerConfig,
  meetingId: string,
  roomId: string,
): Promise<SipDialTarget | { refusal: SipDialRefusal }> {
  const room = await db.endpointRoom.findUnique({ where: { id: roomId }, select: { ...DIAL_FIELDS, sipHa1: true } });
  if (!room?.sipUri || !room.sipHa1) return { refusal: 'not_sip' };
  const admission = await sipAdmission(db, config, roomId, meetingId);
  if ('refusal' in admission) return admission;
  return { roomId, uri: room.sipUri, claims: admission.claims, auth: dialAuthOf(room) };
}

const DIAL_FIELDS = { id: true, sipUri: true, sipDialUser: true, sipDialRealm: true, sipDialHa1: true } as const;

function dialAuthOf(room: {
  sipDialUser: string | null;
  sipDialRealm: string | null;
  sipDialHa1: string | null;
}): SipDialAuth | null {
  const { sipDialUser: user, sipDialRealm: realm, sipDialHa1: ha1 } = room;
  return user && realm && ha1 ? { user, realm, ha1 } : null;
}
