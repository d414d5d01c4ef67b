// Endpoint rooms as a spreadsheet: the export, and an import planned row by
// row (importPlan.ts) before anything is written; the apply writes every row or none.
import type { Db, Tx } from '../db.ts';
import { formatCsv } from './csvText.ts';
import { activeColumn, addRow, checkRow, dataRecords, emptyPlan, finishPlan, type ImportPlan } from './importPlan.ts';

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
  const records = dataRecords(plan, text, ROOM_COLUMNS);
  if (!records) return plan;
  const [units, rooms] = await Promise.all([
    db.unit.findMany({ select: { id: true, code: true } }),
    db.endpointRoom.findMany(),
  ]);
  const unitByCode = new Map(units.map((u) => [u.code, u.id]));
  const roomByCode = new Map(rooms.map((r) => [r.code, r]));
  const firstLineOf = new Map<string, number>();
  for (const record of records) {
    const { row, fail, fields } = checkRow(record, ROOM_COLUMNS, firstLineOf);
    const [code = '', name = '', unitCode = '', , location = '', activeWord = ''] = fields;
    if (!code) fail('Thiếu mã điểm cầu.', 'The room code is missing.');
    else if (code.length > 64) fail('Mã điểm cầu dài quá 64 ký tự.', 'The room code is longer than 64 characters.');
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
    const active = activeColumn(activeWord, fail);
    const values = unitId && active !== null ? { code, name, unitId, location: location || null, active } : null;
    addRow(plan, row, values, () => {
      const existing = roomByCode.get(code);
      return !existing ? 'create' : values && same(existing, values) ? 'unchanged' : 'update';
    });
  }
  return finishPlan(plan);
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
  for (const row of plan.rows) {
    const values = plan.values.get(row.line);
    if (!values || row.outcome === 'unchanged') continue;
    const saved = await tx.endpointRoom.upsert({ where: { code: values.code }, create: values, update: values });
    if (!saved.active) deactivated.push(saved.id);
  }
  return deactivated;
}
