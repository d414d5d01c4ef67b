// Endpoint rooms as a spreadsheet: the export, and an import planned row by
// row (each with its line and, when wrong, why, in Vietnamese and English)
// before anything is written; the apply writes every row or none.
import { contactEmailsSchema } from '../../contract/rest/roomContacts.ts';
import type { Db, Tx } from '../db.ts';
import { keepNamesOfHeldMeetings } from '../nameHistory.ts';
import { readContactEmails, storeContactEmails } from '../roomContacts.ts';
import {
  addRow,
  checkDuplicate,
  emptyPlan,
  finishPlan,
  type ImportPlan,
  readRecords,
  startRow,
  yesNo,
} from './csvImport.ts';
import { type CsvRecord, formatCsv } from './csvText.ts';

export const ROOM_COLUMNS = [
  'Mã điểm cầu',
  'Tên điểm cầu',
  'Mã đơn vị',
  'Tên đơn vị',
  'Vị trí',
  'Hoạt động',
  'Thư điện tử liên hệ',
] as const;
/** Files made before rooms had contacts lack the last column; their rooms keep their contacts. */
const OPTIONAL_COLUMNS = 1;
/** Separates the addresses in the contacts' cell. */
const CONTACT_SEPARATOR = /[;,\s]+/;

interface RoomValues {
  code: string;
  name: string;
  unitId: string;
  location: string | null;
  active: boolean;
  /** Stored form (JSON array); undefined when the row has no contacts column (they stay as they are). */
  contactEmails?: string;
}

export type RoomImportPlan = ImportPlan<RoomValues>;

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
  const plan = emptyPlan<RoomValues>();
  const records = readRecords(plan, text, ROOM_COLUMNS, OPTIONAL_COLUMNS);
  if (!records) return plan;
  const [units, rooms] = await Promise.all([
    db.unit.findMany({ select: { id: true, code: true, active: true } }),
    db.endpointRoom.findMany(),
  ]);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const roomByCode = new Map(rooms.map((r) => [r.code, r]));
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    const { row, values } = planRow(record, unitByCode, firstLineOf);
    const existing = values && roomByCode.get(values.code);
    addRow(plan, row, values, !existing ? 'create' : same(existing, values) ? 'unchanged' : 'update');
  }
  return finishPlan(plan);
}

function planRow(
  record: CsvRecord,
  unitByCode: Map<string, { id: string; active: boolean }>,
  firstLineOf: Map<string, number>,
) {
  const { fields, row, fail } = startRow(record, ROOM_COLUMNS, OPTIONAL_COLUMNS);
  const [code = '', name = '', unitCode = '', , location = '', active = '', contacts = ''] = fields;
  if (!code) fail('Thiếu mã điểm cầu.', 'The room code is missing.');
  else if (code.length > 64) fail('Mã điểm cầu dài quá 64 ký tự.', 'The room code is longer than 64 characters.');
  checkDuplicate(code, record.line, firstLineOf, fail);
  if (!name) fail('Thiếu tên điểm cầu.', 'The room name is missing.');
  else if (name.length > 200) fail('Tên điểm cầu dài quá 200 ký tự.', 'The room name is longer than 200 characters.');
  const unit = unitByCode.get(unitCode);
  if (!unit) {
    fail(
      unitCode ? `Không có đơn vị mã "${unitCode}".` : 'Thiếu mã đơn vị.',
      unitCode ? `No unit has the code "${unitCode}".` : 'The unit code is missing.',
    );
  } else if (!unit.active) {
    fail(`Đơn vị mã "${unitCode}" đã ngừng hoạt động.`, `The unit with code "${unitCode}" is inactive.`);
  }
  if (location.length > 300) fail('Vị trí dài quá 300 ký tự.', 'The location is longer than 300 characters.');
  const isActive = yesNo(active, 'Hoạt động', fail);
  const contactEmails = contactsOf(fields.length === ROOM_COLUMNS.length ? contacts : undefined, fail);
  if (row.errors.length > 0 || !unit?.active || isActive === null) return { row, values: null };
  return { row, values: { code, name, unitId: unit.id, location: location || null, active: isActive, contactEmails } };
}

/** The contacts' cell in stored form; undefined when the file has no such column. */
function contactsOf(cell: string | undefined, fail: (vi: string, en: string) => void): string | undefined {
  if (cell === undefined) return undefined;
  const addresses = cell.split(CONTACT_SEPARATOR).filter(Boolean);
  const emails = contactEmailsSchema.safeParse(addresses);
  if (emails.success) return storeContactEmails(emails.data);
  const bad = addresses.filter((a) => !contactEmailsSchema.safeParse([a]).success);
  fail(
    bad.length ? `Địa chỉ thư điện tử không hợp lệ: ${bad.join(', ')}.` : 'Quá nhiều địa chỉ thư điện tử.',
    bad.length ? `Not e-mail addresses: ${bad.join(', ')}.` : 'Too many e-mail addresses.',
  );
  return undefined;
}

function same(room: RoomValues & { contactEmails: string }, values: RoomValues): boolean {
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
  const renamed = await tx.endpointRoom.findMany({
    where: { code: { in: plan.rows.filter((r) => r.outcome === 'update').map((r) => r.code) } },
    select: { id: true },
  });
  await keepNamesOfHeldMeetings(tx, { roomIds: renamed.map((r) => r.id) });
  for (const row of plan.rows) {
    const values = plan.values.get(row.line);
    if (!values || row.outcome === 'unchanged') continue;
    const saved = await tx.endpointRoom.upsert({ where: { code: values.code }, create: values, update: values });
    if (!saved.active) deactivated.push(saved.id);
  }
  return deactivated;
}
