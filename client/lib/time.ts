// Times are shown and entered in Asia/Ho_Chi_Minh (UTC+7, no daylight saving),
// whatever the browser's own zone, and always as dd/mm/yyyy and 24-hour HH:mm,
// whatever the browser's locale: nothing here asks the browser how to write a
// date (no toLocale*, no Intl, no native date or time inputs).
const OFFSET_MS = 7 * 3600_000;

function shifted(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Date(d.getTime() + OFFSET_MS).toISOString();
}

/** "08:30" */
export function hhmm(iso: string | Date): string {
  return shifted(iso).slice(11, 16);
}

/** "08:30:05" */
export function hhmmss(iso: string | Date): string {
  return shifted(iso).slice(11, 19);
}

/** "24/11/2025" */
export function ddmmyyyy(iso: string | Date): string {
  const s = shifted(iso);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
}

/** "30/11" */
export function ddmm(iso: string | Date): string {
  const s = shifted(iso);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}`;
}

/**
 * A time as shown beside others of one day: "08:30", and "23:30 (29/11)" when
 * the instant falls on another local day than `day` (YYYY-MM-DD).
 */
export function hhmmOn(iso: string | Date, day: string): string {
  return localDate(iso) === day ? hhmm(iso) : `${hhmm(iso)} (${ddmm(iso)})`;
}

/**
 * A meeting's times: "08:00 – 10:00". Evening sessions cross midnight, so a
 * time on another day than `day` (by default the start's) names its day:
 * "22:35 – 01:35 (30/11)"; seen from 30/11, "22:35 (29/11) – 01:35".
 */
export function timeRange(startIso: string, endIso: string, day = localDate(startIso)): string {
  return `${hhmmOn(startIso, day)} – ${hhmmOn(endIso, day)}`;
}

/** Local date "YYYY-MM-DD" of an instant. */
export function localDate(iso: string | Date = new Date()): string {
  return shifted(iso).slice(0, 10);
}

/** "2025-11-24" → "24/11/2025" */
export function dmyOf(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/**
 * A typed day/month/year, "29/11/2026" (also "29-11-2026", "29.11.2026", one-digit
 * day or month), as "2026-11-29"; null when it is not a real date.
 */
export function parseDmy(text: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** A typed 24-hour clock time, "08:30" (also "8:30", "8h30", "8h", "0830"), as "08:30"; null when it is not one. */
export function parseClock(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})(?:[:hH.](\d{2})?)$/.exec(t) ?? /^(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const [hours, minutes] = [Number(m[1]), Number(m[2] ?? 0)];
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** "2025-11-24" + "08:30" → "2025-11-24T08:30:00+07:00" */
export function toIso(date: string, time: string): string {
  return `${date}T${time}:00+07:00`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week containing the local date. */
export function mondayOf(date: string): string {
  const dow = new Date(Date.parse(`${date}T00:00:00Z`)).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function weekdayName(date: string, lang: 'vi' | 'en'): string {
  const dow = new Date(Date.parse(`${date}T00:00:00Z`)).getUTCDay();
  return (lang === 'vi' ? WEEKDAYS_VI : WEEKDAYS_EN)[dow] as string;
}
