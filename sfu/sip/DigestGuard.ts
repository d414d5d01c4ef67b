// Digest authentication of the calls rooms make (RFC 2617, qop=auth): the
// first INVITE of a call is answered 401 with a fresh nonce; its retry must
// answer it with the room's HA1. A call's challenge is kept by Call-ID for a
// short while (the retry follows within a second), and at most `maxPending`
// of them (the oldest dropped first): an INVITE flood cannot grow memory.
// Answers are throttled as web logins are (scheduler/loginThrottle.ts): every
// answer is counted before its check, per source address and per
// (address, user name); past the limits the call gets 403 with Retry-After.
import type { SipRequest, SipResponse } from 'sip';
import { authenticateRequest, challenge, type DigestContext } from 'sip/digest.js';
import type { SipRoomCredentials } from '../../contract/sip.ts';
import { LoginThrottle } from '../../scheduler/loginThrottle.ts';
import { type SipStatus, throttledStatus, UNAUTHORIZED, WRONG_CREDENTIALS } from './sipStatus.ts';

/** How long a challenge waits for the call's retry. */
const CHALLENGE_TTL_MS = 30_000;

export interface DigestGuardOptions {
  realm: string;
  /** Challenges kept at most; beyond, the oldest is dropped (its call is challenged again). */
  maxPending: number;
  /** Failed answers one address may give in the throttle's window, whatever the user names. */
  failuresPerAddress: number;
}

export class DigestGuard {
  private readonly challenges = new Map<string, { ctx: DigestContext; at: number }>();
  private readonly throttle: LoginThrottle;

  constructor(private readonly options: DigestGuardOptions) {
    this.throttle = new LoginThrottle(options.failuresPerAddress);
  }

  /**
   * The room the request authenticates as, answering its call's challenge with
   * the HA1 `lookup` finds for its user name — or the status that refuses it:
   * 401 (no answer yet: challenge it), 403 (wrong, or too many failures from `address`).
   */
  async authenticate(
    request: SipRequest,
    address: string,
    lookup: (user: string) => Promise<SipRoomCredentials | null>,
  ): Promise<SipRoomCredentials | SipStatus> {
    const user = this.userOf(request);
    if (user === null) return UNAUTHORIZED;
    const gate = this.throttle.begin(user, address);
    if (!gate.allowed) {
      this.challenges.delete(request.headers['call-id']);
      return throttledStatus(gate.retryAfterSeconds);
    }
    if (gate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.delayMs));
    const credentials = await lookup(user);
    if (!this.verify(request, credentials?.ha1 ?? '') || !credentials) return WRONG_CREDENTIALS;
    gate.attempt.succeeded();
    return credentials;
  }

  /** Adds a fresh challenge to a 401 for the request's call. */
  challenge(request: SipRequest, response: SipResponse): SipResponse {
    this.sweep();
    const ctx: DigestContext = { realm: this.options.realm, qop: 'auth' };
    challenge(ctx, response);
    const callId = request.headers['call-id'];
    // Re-set so that its place in the map (the dropping order) is its newest.
    this.challenges.delete(callId);
    this.challenges.set(callId, { ctx, at: Date.now() });
    return response;
  }

  /** The user name the request answers a challenge of this call with, or null (none yet: challenge it). */
  private userOf(request: SipRequest): string | null {
    if (!this.challenges.has(request.headers['call-id'])) return null;
    const answer = request.headers.authorization?.find((a) => unquote(a.realm) === this.options.realm);
    return answer?.username ? unquote(answer.username) : null;
  }

  /** Whether the request answers its call's challenge with `ha1`; the challenge is used up either way. */
  private verify(request: SipRequest, ha1: string): boolean {
    const callId = request.headers['call-id'];
    const entry = this.challenges.get(callId);
    this.challenges.delete(callId);
    if (!entry) return false;
    return authenticateRequest(entry.ctx, request, { hash: ha1 });
  }

  /** Drops expired challenges, then the oldest ones until a new one fits. */
  private sweep(): void {
    const stale = Date.now() - CHALLENGE_TTL_MS;
    for (const [callId, { at }] of this.challenges) {
      // Insertion order is age order: the first fresh one ends the expired ones.
      if (at >= stale) break;
      this.challenges.delete(callId);
    }
    for (const callId of this.challenges.keys()) {
      if (this.challenges.size < this.options.maxPending) break;
      this.challenges.delete(callId);
    }
  }
}

function unquote(value: string | undefined): string {
  if (!value) return '';
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
