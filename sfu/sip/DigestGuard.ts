// Digest authentication of the calls rooms make (RFC 2617, qop=auth): the
// first INVITE of a call is answered 401 with a fresh nonce; its retry must
// answer it with the room's HA1. A call's challenge is kept by Call-ID for a
// short while (the retry follows within a second).
import type { SipRequest, SipResponse } from 'sip';
import { authenticateRequest, challenge, type DigestContext } from 'sip/digest.js';

/** How long a challenge waits for the call's retry. */
const CHALLENGE_TTL_MS = 30_000;

export class DigestGuard {
  private readonly challenges = new Map<string, { ctx: DigestContext; at: number }>();

  constructor(private readonly realm: string) {}

  /** The user name the request answers a challenge of this call with, or null (none yet: challenge it). */
  userOf(request: SipRequest): string | null {
    if (!this.challenges.has(request.headers['call-id'])) return null;
    const answer = request.headers.authorization?.find((a) => unquote(a.realm) === this.realm);
    return answer?.username ? unquote(answer.username) : null;
  }

  /** Adds a fresh challenge to a 401 for the request's call. */
  challenge(request: SipRequest, response: SipResponse): SipResponse {
    this.sweep();
    const ctx: DigestContext = { realm: this.realm, qop: 'auth' };
    challenge(ctx, response);
    this.challenges.set(request.headers['call-id'], { ctx, at: Date.now() });
    return response;
  }

  /** Whether the request answers its call's challenge with `ha1`; the challenge is used up either way. */
  verify(request: SipRequest, ha1: string): boolean {
    const callId = request.headers['call-id'];
    const entry = this.challenges.get(callId);
    this.challenges.delete(callId);
    if (!entry) return false;
    return authenticateRequest(entry.ctx, request, { hash: ha1 });
  }

  private sweep(): void {
    const stale = Date.now() - CHALLENGE_TTL_MS;
    for (const [callId, { at }] of this.challenges) if (at < stale) this.challenges.delete(callId);
  }
}

function unquote(value: string | undefined): string {
  if (!value) return '';
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
