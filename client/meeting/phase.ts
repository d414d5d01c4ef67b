// Where a scheduled meeting stands now, as every screen names it: booked,
// in its technical check, in session, over, or cancelled. The stored status
// says cancelled/ended/draft; the rest follows the clock (the hub's sweep marks
// a meeting ended only some time after its end).
import type { Meeting } from '../../contract/rest/meetings.ts';
import type { MessageKey } from '../i18n/index.tsx';

export type MeetingPhase = 'draft' | 'scheduled' | 'check' | 'live' | 'ended' | 'cancelled';

export function meetingPhase(
  m: Pick<Meeting, 'status' | 'techCheckAt' | 'startAt' | 'endAt'>,
  now: number,
): MeetingPhase {
  if (m.status === 'cancelled') return 'cancelled';
  if (m.status === 'ended' || now >= Date.parse(m.endAt)) return 'ended';
  if (m.status === 'draft') return 'draft';
  if (now >= Date.parse(m.startAt)) return 'live';
  if (now >= Date.parse(m.techCheckAt)) return 'check';
  return 'scheduled';
}

/** Over or cancelled: nothing left to answer, check or join. */
export function isClosed(phase: MeetingPhase): boolean {
  return phase === 'ended' || phase === 'cancelled';
}

export const PHASE_LABEL: Record<MeetingPhase, MessageKey> = {
  draft: 'phaseDraft',
  scheduled: 'phaseScheduled',
  check: 'phaseCheck',
  live: 'phaseLive',
  ended: 'phaseEnded',
  cancelled: 'phaseCancelled',
};
