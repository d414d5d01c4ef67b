// Join tokens: the scheduler signs one for an invited room within the meeting's
// time window; the SFU accepts a join only with a valid, unexpired token for
// that meeting. HMAC-signed JWTs (jose), so any hub process sharing the secret
// can verify them without asking the database.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { MEETING_MODES, SITE_ROLES } from './enums.ts';

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
});

export type JoinClaims = z.infer<typeof joinClaimsSchema>;

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
