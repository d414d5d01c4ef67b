// The booking form's rules, apart from its widgets: what a date and three
// clock times mean, and which fields still need the secretariat's attention.
// Evening sessions cross midnight: an end at or before the start is on the
// next day; a technical check after the start is on the day before (a meeting
// at 00:30 is checked at 23:30). The server keeps a meeting within 24 hours.
import type { MessageKey } from '../../i18n/index.tsx';
import { addDays, parseClock, parseDmy, toIso } from '../../lib/time.ts';

export interface MeetingFormValues {
  title: string;
  /** Local date of the start as typed, dd/mm/yyyy (lib/time.ts parseDmy). */
  date: string;
  /** Clock times as typed, 24-hour HH:mm (Asia/Ho_Chi_Minh; lib/time.ts parseClock); techCheck may be empty (the default lead time). */
  start: string;
  end: string;
  techCheck: string;
  chairRoomId: string;
  maxSites: string;
  invitees: number;
}

export interface MeetingTimes {
  startAt: string;
  endAt: string;
  techCheckAt: string | null;
  /** Local date of the end when it is the day after the start, else null. */
  endDate: string | null;
  /** Local date of the technical check when it is the day before the start, else null. */
  checkDate: string | null;
  minutes: number;
}

export type MeetingField = 'title' | 'date' | 'start' | 'end' | 'techCheck' | 'chairRoom' | 'maxSites' | 'invitees';

/** In the order of the form: the first one is focused. */
export const FIELD_ORDER: readonly MeetingField[] = [
  'title',
  'date',
  'start',
  'end',
  'techCheck',
  'chairRoom',
  'maxSites',
  'invitees',
];

const TITLE_MIN = 3;
const MAX_SITES = 5000;

/** The instants the form's date and times stand for, or null while date, start or end is incomplete. */
export function meetingTimes(v: Pick<MeetingFormValues, 'date' | 'start' | 'end' | 'techCheck'>): MeetingTimes | null {
  const date = parseDmy(v.date);
  const start = parseClock(v.start);
  const end = parseClock(v.end);
  const check = parseClock(v.techCheck);
  if (!date || !start || !end) return null;
  const endDate = end <= start ? addDays(date, 1) : date;
  const checkDate = check && check > start ? addDays(date, -1) : date;
  const startAt = toIso(date, start);
  const endAt = toIso(endDate, end);
  return {
    startAt,
    endAt,
    techCheckAt: check ? toIso(checkDate, check) : null,
    endDate: endDate === date ? null : endDate,
    checkDate: checkDate === date ? null : checkDate,
    minutes: Math.round((Date.parse(endAt) - Date.parse(startAt)) / 60_000),
  };
}

/** The message for each field that is not ready to save. */
export function validateMeetingForm(v: MeetingFormValues): Partial<Record<MeetingField, MessageKey>> {
  const errors: Partial<Record<MeetingField, MessageKey>> = {};
  const title = v.title.trim();
  if (!title) errors.title = 'formErrTitleEmpty';
  else if (title.length < TITLE_MIN) errors.title = 'formErrTitleShort';
  if (!parseDmy(v.date)) errors.date = 'formErrDate';
  const start = parseClock(v.start);
  const end = parseClock(v.end);
  if (!start) errors.start = 'formErrStart';
  if (!end) errors.end = 'formErrEnd';
  else if (end === start) errors.end = 'formErrEndSameAsStart';
  if (v.techCheck.trim() && !parseClock(v.techCheck)) errors.techCheck = 'formErrTechCheck';
  if (!v.chairRoomId) errors.chairRoom = 'formErrChairRoom';
  const max = v.maxSites.trim();
  if (max && !(/^\d+$/.test(max) && Number(max) >= 1 && Number(max) <= MAX_SITES)) errors.maxSites = 'formErrMaxSites';
  if (v.invitees === 0) errors.invitees = 'formNeedInvitees';
  return errors;
}
