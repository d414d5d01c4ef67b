// Endpoint rooms as a spreadsheet: the export, and an import planned row by
// row (each with its line and, when wrong, why, in Vietnamese and English)
// before anything is written; the apply writes every row or none.
import type { Db, Tx } from '../db.ts';
import { keepNamesOfHeldMeetings } from '../nameHistory.ts';
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

export const ROOM_COLUMNS = ['Mã điểm cầu', 'Tên điểm cầu', 'Mã đơn vị', 'Tên đơn vị', 'Vị trí', 'Hoạt động'] as const;

interface RoomValues {
  code: string;
  name: string;
  unitId: string;
  location: string | null;
  active: boolean;
}

export type RoomImportPlan = ImportPlan<RoomValues>;

export async function exportRooms(db: Db): Promise<string> {
  const rooms = await db.endpointRoom.findMany({
    include: { unit: { select: { code: true, name: true, path: true } } },
    orderBy: [{ unit: { path: 'asc' } }, { code: 'asc' }],
  });
  return formatCsv([
    [...ROOM_COLUMNS],
    ...rooms.map((r) => [r.code, r.name, r.unit.code, r.unit.name, r.location ?? '', r.active ? 'có' : 'không']),
  ]);
}

export async function planRoomImport(db: Db | Tx, text: string): Promise<RoomImportPlan> {
  const plan = emptyPlan<RoomValues>();
  const records = readRecords(plan, text, ROOM_COLUMNS);
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
  const { fields, row, fail } = startRow(record, ROOM_COLUMNS);
  const [code = '', name = '', unitCode = '', , location = '', active = ''] = fields;
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
  if (row.errors.length > 0 || !unit?.active || isActive === null) return { row, values: null };
  return { row, values: { code, name, unitId: unit.id, location: location || null, active: isActive } };
}

function same(room: RoomValues, values: RoomValues): boolean {
  return (
    room.name === values.name &&
    room.unitId === values.unitId &&
    (room.location ?? null) === values.location &&
    room.active === values.active
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
