// Endpoint rooms as a spreadsheet: the export, and an import planned row by
// row (each with its line and, when wrong, why, in Vietnamese and English)
// before anything is written; the apply writes every row or none.

import { contactEmailsSchema } from '../../contract/rest/roomContacts.ts';
import type { ImportError, ImportOutcome, ImportRow } from '../../contract/rest/roomsImport.ts';
import type { Db, Tx } from '../db.ts';
import { readContactEmails, storeContactEmails } from '../roomContacts.ts';
import { type CsvRecord, formatCsv, parseCsv } from './csvText.ts';

export const ROOM_COLUMNS = [
  'Mã điểm cầu',
  'Tên điểm cầu',
  'Mã đơn vị',
  'Tên đơn vị',
  'Vị trí',
  'Hoạt động',
  'Thư điện tử liên hệ',
] as const;
/** Separates the addresses in the contacts' cell. */
const CONTACT_SEPARATOR = /[;,\s]+/;
const YES = new Set(['có', 'co', 'yes', 'true', '1', 'x']);
const NO = new Set(['không', 'khong', 'no', 'false', '0', '']);

type RowError = ImportError;
type RoomRowPlan = ImportRow;

interface RoomValues {
  code: string;
  name: string;
  unitId: string;
  location: string | null;
  active: boolean;
  /** Stored form (JSON array); undefined when the row has no contacts column (they stay as they are). */
  contactEmails?: string;
}

export interface RoomImportPlan {
  rows: RoomRowPlan[];
  /** Errors of the file itself (its header, an unclosed quote), with line 1 or the line of the quote. */
  fileErrors: (RowError & { line: number })[];
  counts: Record<ImportOutcome, number>;
  /** The values to write, by row line; only when there is no error at all. */
  values: Map<number, RoomValues>;
}

export async function exportRooms(db: Db): Promise<string> {
  const rooms = await db.endpointRoom.findMany({
    include: { unit: { select: { code: true, name: true, path: true } } },
    orderBy: [{ unit: { path: 'asc' } }, { code: 'asc' }],
  });
  return formatCsv([
    [...ROOM_COLUMNS],
    ...rooms.map((r) => [
      r.code,
      r.name,
      r.unit.code,
      r.unit.name,
      r.location ?? '',
      r.active ? 'có' : 'không',
      readContactEmails(r.contactEmails).join('; '),
    ]),
  ]);
}

export async function planRoomImport(db: Db | Tx, text: string): Promise<RoomImportPlan> {
  const plan: RoomImportPlan = {
    rows: [],
    fileErrors: [],
    counts: { create: 0, update: 0, unchanged: 0, error: 0 },
    values: new Map(),
  };
  const parsed = parseCsv(text);
  if (!Array.isArray(parsed)) {
    plan.fileErrors.push({
      line: parsed.unclosedQuoteAt,
      vi: 'Dấu ngoặc kép mở ở dòng này không được đóng.',
      en: 'A quote opened on this line is never closed.',
    });
    return plan;
  }
  const [header, ...records] = parsed;
  const expected = ROOM_COLUMNS.join(',');
  const given = header?.fields.map((f) => f.trim()).join(',');
  // Files made before rooms had contacts lack the last column; their rooms keep their contacts.
  if (!header || (given !== expected && given !== ROOM_COLUMNS.slice(0, -1).join(','))) {
    plan.fileErrors.push({
      line: header?.line ?? 1,
      vi: `Dòng tiêu đề phải là: ${expected} (hãy xuất danh sách từ hệ thống để có mẫu).`,
      en: `The header line must be: ${expected} (export the list from the hub for a template).`,
    });
    return plan;
  }
  const [units, rooms] = await Promise.all([
    db.unit.findMany({ select: { id: true, code: true } }),
    db.endpointRoom.findMany(),
  ]);
  const unitByCode = new Map(units.map((u) => [u.code, u.id]));
  const roomByCode = new Map(rooms.map((r) => [r.code, r]));
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    const { row, values } = planRow(record, unitByCode, firstLineOf);
    if (values) {
      const existing = roomByCode.get(values.code);
      row.outcome = !existing ? 'create' : same(existing, values) ? 'unchanged' : 'update';
      plan.values.set(row.line, values);
    }
    plan.counts[row.outcome]++;
    plan.rows.push(row);
  }
  if (plan.counts.error > 0) plan.values.clear();
  return plan;
}

function planRow(
  record: CsvRecord,
  unitByCode: Map<string, string>,
  firstLineOf: Map<string, number>,
): { row: RoomRowPlan; values: RoomValues | null } {
  const [code = '', name = '', unitCode = '', , location = '', active = '', contacts = ''] = record.fields.map((f) =>
    f.trim(),
  );
  const row: RoomRowPlan = { line: record.line, code, outcome: 'error', errors: [] };
  const fail = (vi: string, en: string) => row.errors.push({ vi, en });
  const columns = record.fields.length;
  if (columns !== ROOM_COLUMNS.length && columns !== ROOM_COLUMNS.length - 1) {
    fail(
      `Có ${record.fields.length} cột, cần ${ROOM_COLUMNS.length}.`,
      `Has ${record.fields.length} columns, ${ROOM_COLUMNS.length} expected.`,
    );
  }
  if (!code) fail('Thiếu mã điểm cầu.', 'The room code is missing.');
  else if (code.length > 64) fail('Mã điểm cầu dài quá 64 ký tự.', 'The room code is longer than 64 characters.');
  const earlier = firstLineOf.get(code);
  if (code && earlier) fail(`Trùng mã với dòng ${earlier}.`, `Same code as line ${earlier}.`);
  else if (code) firstLineOf.set(code, record.line);
  if (!name) fail('Thiếu tên điểm cầu.', 'The room name is missing.');
  else if (name.length > 200) fail('Tên điểm cầu dài quá 200 ký tự.', 'The room name is longer than 200 characters.');
  const unitId = unitByCode.get(unitCode);
  if (!unitId) {
    fail(
      unitCode ? `Không có đơn vị mã "${unitCode}".` : 'Thiếu mã đơn vị.',
      unitCode ? `No unit has the code "${unitCode}".` : 'The unit code is missing.',
    );
  }
  if (location.length > 300) fail('Vị trí dài quá 300 ký tự.', 'The location is longer than 300 characters.');
  const activeWord = active.toLowerCase();
  if (!YES.has(activeWord) && !NO.has(activeWord)) {
    fail(
      `"Hoạt động" phải là "có" hoặc "không", không phải "${active}".`,
      `"Hoạt động" must be "có" or "không", not "${active}".`,
    );
  }
  const hasContacts = columns === ROOM_COLUMNS.length;
  const emails = contactEmailsSchema.safeParse(contacts.split(CONTACT_SEPARATOR).filter(Boolean));
  if (!emails.success) {
    const bad = contacts.split(CONTACT_SEPARATOR).filter((a) => a && !contactEmailsSchema.safeParse([a]).success);
    fail(
      bad.length ? `Địa chỉ thư điện tử không hợp lệ: ${bad.join(', ')}.` : 'Quá nhiều địa chỉ thư điện tử.',
      bad.length ? `Not e-mail addresses: ${bad.join(', ')}.` : 'Too many e-mail addresses.',
    );
  }
  if (row.errors.length > 0 || !unitId || !emails.success) return { row, values: null };
  const contactEmails = hasContacts ? storeContactEmails(emails.data) : undefined;
  return {
    row,
    values: { code, name, unitId, location: location || null, active: YES.has(activeWord), contactEmails },
  };
}

function same(room: RoomValues, values: RoomValues): boolean {
  return (
    room.name === values.name &&
    room.unitId === values.unitId &&
    (room.location ?? null) === values.location &&
    room.active === values.active &&
    (values.contactEmails === undefined || room.contactEmails === values.contactEmails)
  );
}

/** Writes a plan without errors in `tx`; the ids of rooms it deactivated. */
export async function applyRoomImport(tx: Tx, plan: RoomImportPlan): Promise<string[]> {
  const deactivated: string[] = [];
  for (const row of plan.rows) {
    const values = plan.values.get(row.line);
    if (!values || row.outcome === 'unchanged') continue;
    const saved = await tx.endpointRoom.upsert({ where: { code: values.code }, create: values, update: values });
    if (!saved.active) deactivated.push(saved.id);
  }
  return deactivated;
}
