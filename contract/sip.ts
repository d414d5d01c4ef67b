// SIP room systems (docs/sip.md): what the scheduler answers the hub's SIP user
// agent about a room that calls in, and what an administrator sets on a room.
import { z } from 'zod';
import type { ErrorBody } from './errors.ts';
import type { JoinClaims } from './joinToken.ts';

/**
 * Why a room's call into a meeting is refused (the user agent answers each with
 * its SIP status): no meeting at that address, the room not invited to it (or
 * it is the chair room: the chair runs the meeting from its console), the room
 * deactivated, the meeting not open now (draft, cancelled, before its technical
 * check, over).
 */
export const SIP_REFUSALS = ['unknown_meeting', 'not_invited', 'inactive', 'not_open'] as const;
export type SipRefusal = (typeof SIP_REFUSALS)[number];

/** The room behind a SIP user name, and the digest HA1 its calls are checked against. */
export interface SipRoomCredentials {
  roomId: string;
  ha1: string;
}

/** A call's admission: the claims it joins with (as a join token's), or why not. */
export type SipAdmission = { claims: JoinClaims } | { refusal: SipRefusal };

/** What an administrator sets to make a room a SIP room (PUT /rooms/:id/sip). */
export const roomSipSchema = z.strictObject({
  /** The user name the room system authenticates with: letters, digits, . _ - (a SIP URI's user part). */
  user: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/),
  /** The digest password configured on the room system; the hub keeps only its HA1. */
  password: z.string().min(8).max(128),
  /** Where the hub calls the room (dial-out), e.g. sip:room@10.1.2.3:5060; null: the room dials in. */
  uri: z
    .string()
    .trim()
    .regex(/^sips?:[^\s@]+@[^\s@]+$/)
    .max(300)
    .nullable()
    .optional(),
  /**
   * For dial-out to a room system that challenges incoming calls: the account
   * the hub answers with, in the realm the room names. The hub keeps only the
   * HA1 (MD5(user:realm:password)), enough to answer; null or absent: the room does not challenge.
   */
  dialAuth: z
    .strictObject({
      user: z.string().trim().min(1).max(64),
      realm: z.string().trim().min(1).max(100),
      password: z.string().min(1).max(128),
    })
    .nullable()
    .optional(),
});
export type RoomSip = z.infer<typeof roomSipSchema>;

/** A SIP room the hub calls (dial-out) when its meeting opens: where, and the claims it joins with. */
export interface SipDialTarget {
  roomId: string;
  uri: string;
  claims: JoinClaims;
  /** What the hub answers the room's digest challenge with (the room's realm), or null: it does not challenge. */
  auth: SipDialAuth | null;
}

/** The hub's account on a room system that challenges incoming calls: its HA1, never the password. */
export interface SipDialAuth {
  user: string;
  realm: string;
  ha1: string;
}

/** Why the hub cannot call a room into a meeting: the admission's refusals, or the room has no dial-out address. */
export type SipDialRefusal = SipRefusal | 'not_sip';

/**
 * How the hub's call to an invited SIP room goes, told to the chair (the
 * `roomCall` event): `calling` (the INVITE is out; `attempt` 2.. is a redial),
 * `joined` (the room answered and is a site), `failed` (it did not answer,
 * refused or could not join: `error` says why and what to do; no redial
 * follows), `waiting` (the call dropped: the hub calls again at `nextAt`).
 */
export const ROOM_CALL_STATES = ['calling', 'joined', 'failed', 'waiting'] as const;
export type RoomCallState = (typeof ROOM_CALL_STATES)[number];

export interface RoomCallProgress {
  siteId: string;
  state: RoomCallState;
  /** 1: the first call; 2 and up: the hub's redials after the call dropped. */
  attempt: number;
  /** The room's SIP answer when it did not take the call (e.g. 486 Busy Here); null otherwise. */
  sipStatus: number | null;
  sipReason: string | null;
  /** When the next redial goes out (ISO time, the hub's clock), in state `waiting`; null otherwise. */
  nextAt: string | null;
  /** In state `failed`: CALL_FAILED, its message naming the SIP answer and what to do next. */
  error: ErrorBody<'CALL_FAILED'> | null;
}

/** What the hub's SIP user agent asks the schedule. */
export interface SipDirectory {
  /** The active SIP room that authenticates as `user`, or null. */
  credentials(user: string): Promise<SipRoomCredentials | null>;
  /** Whether room `roomId` may join the meeting dialled as `address` now. */
  admission(roomId: string, address: string): Promise<SipAdmission>;
  /** The invited SIP rooms with a dial-out address that may join meeting `meetingId` now. */
  dialTargets(meetingId: string): Promise<SipDialTarget[]>;
  /** Whether the hub may call room `roomId` into meeting `meetingId` now (the chair asks, a redial). */
  dialTarget(meetingId: string, roomId: string): Promise<SipDialTarget | { refusal: SipDialRefusal }>;
}
