// What every spreadsheet import shares (rooms, units): reading the file and its
// header, planning row by row with each row's line and errors (Vietnamese and
// English) before anything is written, the yes/no column, and refusing to
// apply a plan with any error.
import type { CsvImportResult, ImportError, ImportOutcome, ImportRow } from '../../contract/rest/csvImport.ts';
import { ApiError } from '../errors.ts';
import { type CsvRecord, parseCsv } from './csvText.ts';

const YES = new Set(['có', 'co', 'yes', 'true', '1', 'x']);
const NO = new Set(['không', 'khong', 'no', 'false', '0', '']);

export interface ImportPlan<V> {
  rows: ImportRow[];
  /** Errors of the file itself (its header, an unclosed quote), with line 1 or the line of the quote. */
  fileErrors: (ImportError & { line: number })[];
  counts: Record<ImportOutcome, number>;
  /** The values to write, by row line; only when there is no error at all. */
  values: Map<number, V>;
}

export function emptyPlan<V>(): ImportPlan<V> {
  return { rows: [], fileErrors: [], counts: { create: 0, update: 0, unchanged: 0, error: 0 }, values: new Map() };
}

/**
 * The file's records after its header, or null when the file itself is wrong
 * (then in `plan.fileErrors`). `optional` trailing columns may be missing from
 * the header (files made before a column was added).
 */
export function readRecords<V>(
  plan: ImportPlan<V>,
  text: string,
  columns: readonly string[],
  optional = 0,
): CsvRecord[] | null {
  const parsed = parseCsv(text);
  if (!Array.isArray(parsed)) {
    plan.fileErrors.push({
      line: parsed.unclosedQuoteAt,
      vi: 'Dấu ngoặc kép mở ở dòng này không được đóng.',
      en: 'A quote opened on this line is never closed.',
    });
    return null;
  }
  const [header, ...records] = parsed;
  const expected = columns.join(',');
  const given = header?.fields.map((f) => f.trim()) ?? [];
  const known =
    given.length >= columns.length - optional && given.join(',') === columns.slice(0, given.length).join(',');
  if (!header || !known) {
    plan.fileErrors.push({
      line: header?.line ?? 1,
      vi: `Dòng tiêu đề phải là: ${expected} (hãy xuất danh sách từ hệ thống để có mẫu).`,
      en: `The header line must be: ${expected} (export the list from the hub for a template).`,
    });
    return null;
  }
  return records;
}

/** A row being planned: its trimmed fields and a way to add errors; `optional` as in readRecords. */
export function startRow(record: CsvRecord, columns: readonly string[], optional = 0) {
  const fields = record.fields.map((f) => f.trim());
  const row: ImportRow = { line: record.line, code: fields[0] ?? '', outcome: 'error', errors: [] };
  const fail = (vi: string, en: string) => row.errors.push({ vi, en });
  const count = record.fields.length;
  if (count > columns.length || count < columns.length - optional) {
    fail(
      `Có ${record.fields.length} cột, cần ${columns.length}.`,
      `Has ${record.fields.length} columns, ${columns.length} expected.`,
    );
  }
  return { fields, row, fail };
}

/** A yes/no cell ("có"/"không", "x"/empty…), or null after recording the error. */
export function yesNo(word: string, column: string, fail: (vi: string, en: string) => void): boolean | null {
  const w = word.toLowerCase();
  if (YES.has(w)) return true;
  if (NO.has(w)) return false;
  fail(
    `"${column}" phải là "có" hoặc "không", không phải "${word}".`,
    `"${column}" must be "có" or "không", not "${word}".`,
  );
  return null;
}

/** Records a row's outcome; a plan with any error keeps no values to write. */
export function addRow<V>(plan: ImportPlan<V>, row: ImportRow, values: V | null, outcome: ImportOutcome): void {
  row.outcome = row.errors.length > 0 || values === null ? 'error' : outcome;
  if (row.outcome !== 'error') plan.values.set(row.line, values as V);
  plan.counts[row.outcome]++;
  plan.rows.push(row);
}

export function finishPlan<V>(plan: ImportPlan<V>): ImportPlan<V> {
  if (plan.counts.error > 0) plan.values.clear();
  return plan;
}

export function summary<V>(plan: ImportPlan<V>, applied: boolean): CsvImportResult {
  return { applied, counts: plan.counts, fileErrors: plan.fileErrors, rows: plan.rows };
}

/** Throws, with the line-by-line list, when a plan about to be applied has any error. */
export function refuseIfWrong<V>(plan: ImportPlan<V>): void {
  const wrong = plan.counts.error + plan.fileErrors.length;
  if (wrong === 0) return;
  throw new ApiError(
    400,
    'VALIDATION_ERROR',
    `Tệp có ${wrong} dòng lỗi: chưa ghi dòng nào. Sửa các dòng được nêu rồi nhập lại.`,
    `The file has ${wrong} wrong lines: nothing was written. Fix the lines listed and import again.`,
    summary(plan, false),
  );
}

/** A code seen on an earlier line is an error naming that line. */
export function checkDuplicate(
  code: string,
  line: number,
  firstLineOf: Map<string, number>,
  fail: (vi: string, en: string) => void,
): void {
  if (!code) return;
  const earlier = firstLineOf.get(code);
  if (earlier) fail(`Trùng mã với dòng ${earlier}.`, `Same code as line ${earlier}.`);
  else firstLineOf.set(code, line);
}
