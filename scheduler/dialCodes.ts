// A meeting's dial code: the short number a room system's remote control dials
// instead of the meeting's id (sip:<code>@hub, docs/sip.md). It is drawn at
// random when the meeting is booked and is unique among the meetings that are
// not over: the database's unique index says so (two bookings racing for one
// code cannot both commit), and the code is released (set null) when the
// meeting ends or is cancelled, so the index only ever holds live codes.
import { randomInt } from 'node:crypto';
import type { Db } from './db.ts';
import { uniqueViolation } from './db.ts';

export const DIAL_CODE_DIGITS = 6;

/** A fresh random code: 6 digits, never starting with 0 (some keypads and dial plans drop it). */
export function newDialCode(): string {
  return String(randomInt(10 ** (DIAL_CODE_DIGITS - 1), 10 ** DIAL_CODE_DIGITS));
}

/** Whether a SIP address's user part is a dial code rather than a meeting id. */
export function isDialCode(address: string): boolean {
  return /^\d+$/.test(address) && address.length === DIAL_CODE_DIGITS;
}

/** Whether `err` is the unique index refusing a dial code some other open meeting holds. */
export function dialCodeTaken(err: unknown): boolean {
  if (!uniqueViolation(err)) return false;
  return JSON.stringify((err as { meta?: unknown }).meta ?? '').includes('dialCode');
}

/** Codes are drawn again this many times when the one drawn is taken (one in ~900 000 per open meeting). */
const DRAWS = 8;

/**
 * Runs `write` (a whole transaction that stores `code` on a meeting) with a
 * fresh code each time the unique index refuses the last one. The transaction
 * is retried whole: PostgreSQL aborts a transaction whose statement failed.
 */
export async function withDialCode<T>(write: (code: () => string) => Promise<T>): Promise<T> {
  for (let draw = 1; ; draw++) {
    try {
      return await write(newDialCode);
    } catch (err) {
      if (!dialCodeTaken(err) || draw >= DRAWS) throw err;
    }
  }
}

/**
 * Gives every open meeting without a code one (meetings booked before codes
 * existed, or written straight into the database): at the scheduler's start,
 * so the code shows on the meeting page and in the next invitation before a
 * room dials it. Each meeting is one update, retried on a clash.
 */
export async function assignMissingDialCodes(db: Db): Promise<number> {
  const missing = await db.meeting.findMany({
    where: { dialCode: null, status: { in: ['draft', 'scheduled', 'live'] } },
    select: { id: true },
  });
  let assigned = 0;
  for (const { id } of missing) {
    const done = await withDialCode((code) =>
      db.meeting.updateMany({ where: { id, dialCode: null }, data: { dialCode: code() } }),
    );
    assigned += done.count;
  }
  return assigned;
}
