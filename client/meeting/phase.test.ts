import { describe, expect, it } from 'vitest';
import { meetingPhase } from './phase.ts';

const m = {
  techCheckAt: '2025-11-29T22:00:00+07:00',
  startAt: '2025-11-29T22:35:00+07:00',
  endAt: '2025-11-30T01:35:00+07:00',
};
const at = (iso: string) => Date.parse(iso);

describe('meetingPhase', () => {
  it('follows the clock through check, session and end for a booked meeting', () => {
    const scheduled = { ...m, status: 'scheduled' as const };
    expect(meetingPhase(scheduled, at('2025-11-29T21:59:00+07:00'))).toBe('scheduled');
    expect(meetingPhase(scheduled, at('2025-11-29T22:00:00+07:00'))).toBe('check');
    expect(meetingPhase({ ...m, status: 'live' }, at('2025-11-29T22:10:00+07:00'))).toBe('check');
    expect(meetingPhase(scheduled, at('2025-11-30T00:30:00+07:00'))).toBe('live');
    // Over at its end, before the hub's sweep stores it.
    expect(meetingPhase({ ...m, status: 'live' }, at('2025-11-30T01:35:00+07:00'))).toBe('ended');
  });

  it('takes the stored status first: cancelled, ended early, draft', () => {
    const during = at('2025-11-30T00:30:00+07:00');
    expect(meetingPhase({ ...m, status: 'cancelled' }, during)).toBe('cancelled');
    expect(meetingPhase({ ...m, status: 'ended' }, during)).toBe('ended');
    expect(meetingPhase({ ...m, status: 'draft' }, during)).toBe('draft');
  });
});
