// Join tokens: the scheduler signs one for an invited room within the meeting's
// time window; the SFU accepts a join only with a valid, unexpired token for
// that meeting. HMAC-signed JWTs (jose): any hub process sharing the secret can
// verify them without the database; what the schedule may have withdrawn since
// (a cancelled meeting, an uninvited or deactivated room, a deactivated user)
// the SFU asks the scheduler about on every join and resume.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { MEETING_MODES, SITE_ROLES } from './enums.ts';
import type { KickReason } from './signaling.ts';

export const joinClaimsSchema = z.object({
  meetingId: z.string().min(1).max(64),
  roomId: z.string().min(1).max(64),
  /** chair: the chairing site (controls the meeting); site: an invited endpoint room. */
  role: z.enum(SITE_ROLES),
  /** Shown on the chair's board and mosaic, e.g. "UBND xã Tân Phú". */
  displayName: z.string().min(1).max(200),
  /** The meeting's cap on concurrently connected sites. */
  maxSites: z.number().int().min(1).max(5000),
  /** discussion: everyone may speak; briefing: only the chair; conference: the chair grants. */
  mode: z.enum(MEETING_MODES),
  /**
   * What the scheduler checks again on every join and resume (see JoinRefusal):
   * the user who asked for the token (refused once deactivated; named in the
   * audit trail of the chair's actions) and, for a site, the invitation it was
   * issued on (refused once uninvited, even if the room is invited again).
   * Absent in tokens signed outside the scheduler (tests, benchmarks).
   */
  userId: z.string().min(1).max(64).optional(),
  invitationId: z.string().min(1).max(64).optional(),
});

export type JoinClaims = z.infer<typeof joinClaimsSchema>;

/** Why the schedule no longer stands behind a token or a connected site (a `kicked` reason, contract/signaling.ts). */
export type RevocationReason = Extract<KickReason, 'ended' | 'cancelled' | 'uninvited' | 'deactivated'>;

/**
 * Sites that must leave their meetings at once, with the reason shown on their
 * page: every site of one meeting, the sites of some rooms (in one meeting or
 * in all), or the sites that joined with tokens one user asked for.
 */
export interface SiteRevocation {
  reason: RevocationReason;
  meetingId?: string;
  roomIds?: readonly string[];
  userId?: string;
}

const ISSUER = 'diemcau-scheduler';
const AUDIENCE = 'diemcau-sfu';

export type JoinTokenFailure = 'invalid' | 'expired';

export class JoinTokenError extends Error {
  constructor(readonly reason: JoinTokenFailure) {
    super(reason === 'expired' ? 'join token expired' : 'join token invalid');
  }
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signJoinToken(claims: JoinClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ ...joinClaimsSchema.parse(claims) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Returns the token's claims, or throws JoinTokenError('invalid' | 'expired'). */
export async function verifyJoinToken(token: string, secret: string): Promise<JoinClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const claims = joinClaimsSchema.safeParse(payload);
    if (!claims.success) throw new JoinTokenError('invalid');
    return claims.data;
  } catch (err) {
    if (err instanceof JoinTokenError) throw err;
    if (err instanceof errors.JWTExpired) throw new JoinTokenError('expired');
    throw new JoinTokenError('invalid');
  }
}
