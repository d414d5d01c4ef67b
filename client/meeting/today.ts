// What a room's or a chair's home lists "today": meetings on today's date, and
// any whose technical check has begun — a meeting at 00:30 is checked from
// 23:30 the evening before, and one from 22:35 runs past midnight.

import type { Meeting } from '../../contract/rest/meetings.ts';
import type { ApiClient } from '../api.ts';
import { addDays, localDate } from '../lib/time.ts';

export function isForToday(m: Pick<Meeting, 'startAt' | 'endAt' | 'techCheckAt'>, now: number): boolean {
  const today = localDate(new Date(now));
  const from = Date.parse(`${today}T00:00:00+07:00`);
  const start = Date.parse(m.startAt);
  const end = Date.parse(m.endAt);
  if (start < from + 86_400_000 && end > from) return true;
  return Date.parse(m.techCheckAt) <= now && now < end;
}

/**
 * Meetings the user may chair, today's and tomorrow's (tomorrow's early ones
 * are checked tonight), cancelled ones included so their state can be shown.
 * Filter with isForToday at render time: the clock moves on.
 */
export async function chairableMeetings(api: ApiClient, now: number): Promise<Meeting[]> {
  const today = localDate(new Date(now));
  const days = [today, addDays(today, 1)];
  const lists = await Promise.all(days.map((d) => api.meetings(d, 'day', { includeCancelled: 'true' })));
  const byId = new Map<string, Meeting>();
  for (const m of lists.flat()) if (m.canChair) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.startAt.localeCompare(b.startAt));
}
