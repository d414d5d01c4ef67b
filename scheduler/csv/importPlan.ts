// What every spreadsheet import shares (rooms, accounts): the file read under
// its expected header, each row's outcome with its line and its errors in
// Vietnamese and English, and the refusal of an apply when any row is wrong.
import type { ImportError, ImportOutcome, ImportRow, RoomImportResult } from '../../contract/rest/roomsImport.ts';
import { ApiError } from '../errors.ts';
import { type CsvRecord, parseCsv } from './csvText.ts';

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

/** The records under the header, or null when the file itself is wrong (said in `plan.fileErrors`). */
export function dataRecords(plan: ImportPlan<unknown>, text: string, columns: readonly string[]): CsvRecord[] | null {
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
  if (!header || header.fields.map((f) => f.trim()).join(',') !== expected) {
    plan.fileErrors.push({
      line: header?.line ?? 1,
      vi: `Dòng tiêu đề phải là: ${expected} (hãy xuất danh sách từ hệ thống để có mẫu).`,
      en: `The header line must be: ${expected} (export the list from the hub for a template).`,
    });
    return null;
  }
  return records;
}

/** A row being checked: `fail` adds an error; a row with none gets its outcome from `settle`. */
export interface RowCheck {
  row: ImportRow;
  fail: (vi: string, en: string) => void;
}

/** Starts checking a record: its fields trimmed, its width checked, its key (code, login) unique in the file. */
export function checkRow(
  record: CsvRecord,
  columns: readonly string[],
  firstLineOf: Map<string, number>,
): RowCheck & { fields: string[] } {
  const fields = record.fields.map((f) => f.trim());
  const key = fields[0] ?? '';
  const row: ImportRow = { line: record.line, code: key, outcome: 'error', errors: [] };
  const fail = (vi: string, en: string) => row.errors.push({ vi, en });
  if (record.fields.length !== columns.length) {
    fail(
      `Có ${record.fields.length} cột, cần ${columns.length}.`,
      `Has ${record.fields.length} columns, ${columns.length} expected.`,
    );
  }
  const earlier = firstLineOf.get(key);
  if (key && earlier) fail(`Trùng mã với dòng ${earlier}.`, `Same code as line ${earlier}.`);
  else if (key) firstLineOf.set(key, record.line);
  return { row, fail, fields };
}

const YES = new Set(['có', 'co', 'yes', 'true', '1', 'x']);
const NO = new Set(['không', 'khong', 'no', 'false', '0', '']);

/** The "Hoạt động" column: true, false, or null after saying what is wrong. */
export function activeColumn(word: string, fail: RowCheck['fail']): boolean | null {
  const w = word.toLowerCase();
  if (YES.has(w)) return true;
  if (NO.has(w)) return false;
  fail(
    `"Hoạt động" phải là "có" hoặc "không", không phải "${word}".`,
    `"Hoạt động" must be "có" or "không", not "${word}".`,
  );
  return null;
}

/** Records a checked row: with `values` (no error) its outcome is `outcome`; the plan keeps values only if no row is wrong. */
export function addRow<V>(plan: ImportPlan<V>, row: ImportRow, values: V | null, outcome: () => ImportOutcome): void {
  if (values && row.errors.length === 0) {
    row.outcome = outcome();
    plan.values.set(row.line, values);
  } else row.outcome = 'error';
  plan.counts[row.outcome]++;
  plan.rows.push(row);
}

export function finishPlan<V>(plan: ImportPlan<V>): ImportPlan<V> {
  if (hasErrors(plan)) plan.values.clear();
  return plan;
}

export function hasErrors(plan: ImportPlan<unknown>): boolean {
  return plan.fileErrors.length > 0 || plan.counts.error > 0;
}

export function importSummary(plan: ImportPlan<unknown>, applied: boolean): RoomImportResult {
  return { applied, counts: plan.counts, fileErrors: plan.fileErrors, rows: plan.rows };
}

/** The answer to an apply of a file with wrong lines: nothing written, the dry run's list in `details`. */
export function refusal(plan: ImportPlan<unknown>): ApiError {
  const wrong = plan.counts.error + plan.fileErrors.length;
  return new ApiError(
    400,
    'VALIDATION_ERROR',
    `Tệp có ${wrong} dòng lỗi: chưa ghi dòng nào. Sửa các dòng được nêu rồi nhập lại.`,
    `The file has ${wrong} wrong lines: nothing was written. Fix the lines listed and import again.`,
    importSummary(plan, false),
  );
}
