// The booking form's rules, apart from its widgets: what a date and three
// clock times mean, and which fields still need the secretariat's attention.
// Evening sessions cross midnight: an end at or before the start is on the
// next day; a technical check after the start is on the day before (a meeting
// at 00:30 is checked at 23:30). The server keeps a meeting within 24 hours.
import type { MessageKey } from '../../i18n/index.tsx';
import { addDays, toIso } from '../../lib/time.ts';

export interface MeetingFormValues {
  title: string;
  /** Local date of the start, YYYY-MM-DD. */
  date: string;
  /** Clock times HH:MM (Asia/Ho_Chi_Minh); techCheck may be empty (the default lead time). */
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

function isClock(s: string): boolean {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  return Boolean(m && Number(m[1]) < 24 && Number(m[2]) < 60);
}

function isDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

/** The instants the form's date and times stand for, or null while date, start or end is incomplete. */
export function meetingTimes(v: Pick<MeetingFormValues, 'date' | 'start' | 'end' | 'techCheck'>): MeetingTimes | null {
  if (!isDate(v.date) || !isClock(v.start) || !isClock(v.end)) return null;
  const endDate = v.end <= v.start ? addDays(v.date, 1) : v.date;
  const checkDate = isClock(v.techCheck) && v.techCheck > v.start ? addDays(v.date, -1) : v.date;
  const startAt = toIso(v.date, v.start);
  const endAt = toIso(endDate, v.end);
  return {
    startAt,
    endAt,
    techCheckAt: isClock(v.techCheck) ? toIso(checkDate, v.techCheck) : null,
    endDate: endDate === v.date ? null : endDate,
    checkDate: checkDate === v.date ? null : checkDate,
    minutes: Math.round((Date.parse(endAt) - Date.parse(startAt)) / 60_000),
  };
}

/** The message for each field that is not ready to save. */
export function validateMeetingForm(v: MeetingFormValues): Partial<Record<MeetingField, MessageKey>> {
  const errors: Partial<Record<MeetingField, MessageKey>> = {};
  const title = v.title.trim();
  if (!title) errors.title = 'formErrTitleEmpty';
  else if (title.length < TITLE_MIN) errors.title = 'formErrTitleShort';
  if (!isDate(v.date)) errors.date = 'formErrDate';
  if (!isClock(v.start)) errors.start = 'formErrStart';
  if (!isClock(v.end)) errors.end = 'formErrEnd';
  else if (v.end === v.start) errors.end = 'formErrEndSameAsStart';
  if (v.techCheck && !isClock(v.techCheck)) errors.techCheck = 'formErrTechCheck';
  if (!v.chairRoomId) errors.chairRoom = 'formErrChairRoom';
  const max = v.maxSites.trim();
  if (max && !(/^\d+$/.test(max) && Number(max) >= 1 && Number(max) <= MAX_SITES)) errors.maxSites = 'formErrMaxSites';
  if (v.invitees === 0) errors.invitees = 'formNeedInvitees';
  return errors;
}
