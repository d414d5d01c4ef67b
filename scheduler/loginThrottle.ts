// Password guessing: every attempt is counted the moment it arrives, before the
// (slow) password check, so concurrent requests cannot slip past a limit.
//
//  - per (address, login): 5 failed attempts in 15 minutes, then 429 for that pair
//    only; a caller elsewhere cannot lock a known account out;
//  - per address: LOGIN_FAILURES_PER_ADDRESS (30) failed attempts in 15 minutes,
//    whatever the logins;
//  - per login, from all addresses together: past 10 failures each further attempt
//    is delayed (250 ms more per failure, at most 5 s) but still checked, so a
//    distributed guesser is slowed and the real user still gets in.
// A successful login withdraws its own attempt and forgets that pair's failures.

const WINDOW_MS = 15 * 60_000;
const PER_ADDRESS_LOGIN = 5;
const SLOWDOWN_AFTER = 10;
const SLOWDOWN_STEP_MS = 250;
const SLOWDOWN_MAX_MS = 5000;
/** Keys kept before expired ones are swept (an attacker inventing logins must not grow memory forever). */
const SWEEP_ABOVE_KEYS = 10_000;

export type LoginGate =
  | { allowed: false; retryAfterSeconds: number }
  | { allowed: true; delayMs: number; attempt: LoginAttempt };

export interface LoginAttempt {
  /** The password was right: the attempt no longer counts. */
  succeeded(): void;
}

export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly perAddress: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the attempt and says whether to check its password, and after what delay. */
  begin(login: string, address: string): LoginGate {
    const now = this.now();
    if (this.attempts.size > SWEEP_ABOVE_KEYS) this.sweep(now);
    const keys = keysOf(login, address);
    const pair = this.recent(keys.pair, now);
    const byAddress = this.recent(keys.address, now);
    const blockedUntil = Math.max(
      pair.length >= PER_ADDRESS_LOGIN ? (pair[0] as number) + WINDOW_MS : 0,
      byAddress.length >= this.perAddress ? (byAddress[0] as number) + WINDOW_MS : 0,
    );
    if (blockedUntil > 0) return { allowed: false, retryAfterSeconds: Math.ceil((blockedUntil - now) / 1000) };

    const failuresOfLogin = this.recent(keys.login, now).length;
    const delayMs = Math.min(SLOWDOWN_MAX_MS, Math.max(0, failuresOfLogin - SLOWDOWN_AFTER + 1) * SLOWDOWN_STEP_MS);
    for (const key of Object.values(keys)) this.recent(key, now).push(now);
    return {
      allowed: true,
      delayMs,
      attempt: {
        succeeded: () => {
          this.attempts.delete(keys.pair);
          this.withdraw(keys.address, now);
          this.withdraw(keys.login, now);
        },
      },
    };
  }

  /** The list of attempts for a key still inside the window (stored, so pushes stick). */
  private recent(key: string, now: number): number[] {
    const list = (this.attempts.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    this.attempts.set(key, list);
    return list;
  }

  private withdraw(key: string, at: number): void {
    const list = this.attempts.get(key);
    const i = list?.indexOf(at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  private sweep(now: number): void {
    for (const [key, list] of this.attempts) {
      if (list.every((t) => now - t >= WINDOW_MS)) this.attempts.delete(key);
    }
  }
}

function keysOf(login: string, address: string) {
  const l = login.toLowerCase();
  return { pair: `p:${address}|${l}`, address: `a:${address}`, login: `l:${l}` };
}
