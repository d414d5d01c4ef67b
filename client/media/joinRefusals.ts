// What a refused join means to the page: a refusal that retrying cannot change
// (the connection stops there), or the hub pointing it at another hub of
// several (MOVE_TO_HUB, contract/hubRedirect.ts).
import { type HubRedirect, hubRedirectSchema } from '../../contract/hubRedirect.ts';
import { SignalingFailure } from './SignalingChannel.ts';

const FINAL_REFUSALS: ReadonlySet<string> = new Set([
  'MEETING_LOCKED',
  'MEETING_ENDED',
  'REMOVED',
  'MEETING_FULL',
  'TOKEN_INVALID',
  'TOKEN_REVOKED',
]);

/** Whether a join refused with `code` would be refused again. */
export function isFinalRefusal(code: string): boolean {
  return FINAL_REFUSALS.has(code);
}

/** The other hub a refused join was pointed at, or null. */
export function redirectOf(err: unknown): HubRedirect | null {
  if (!(err instanceof SignalingFailure) || err.code !== 'MOVE_TO_HUB') return null;
  const parsed = hubRedirectSchema.safeParse(err.details);
  return parsed.success ? parsed.data : null;
}
