// Time helpers: everything is stored in UTC; Vietnam is UTC+7 all year (no DST).
export const TZ = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 3600_000;

/** "2025-11-24T08:00:00+07:00" */
export function toLocalIso(d: Date): string {
  return `${new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** "08:00 24/11/2025" as Vietnamese documents write it. */
export function toLocalText(d: Date): string {
  const s = new Date(d.getTime() + OFFSET_MS).toISOString();
  return `${s.slice(11, 16)} ${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
}

/** The local calendar date "YYYY-MM-DD" of an instant. */
export function localDate(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC instant of local midnight starting the given local date. */
export function localMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

export function dayRange(date: string): { from: Date; to: Date } {
  const from = localMidnight(date);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** Monday 00:00 to next Monday 00:00 (local) of the week containing the date. */
export function weekRange(date: string): { from: Date; to: Date } {
  const d = localMidnight(date);
  const dow = new Date(Date.parse(`${date}T00:00:00Z`)).getUTCDay(); // 0 = Sunday
  const back = (dow + 6) % 7;
  const from = new Date(d.getTime() - back * 86_400_000);
  return { from, to: new Date(from.getTime() + 7 * 86_400_000) };
}

export function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}
