// Units as a spreadsheet: the export, and an import planned row by row before
// anything is written (each row's line and, when wrong, why). A row's parent
// may be a unit of the hub or one created by another row; the tree the file
// would leave is checked whole (no loop, no active unit under an inactive one,
// nothing active left in a unit it deactivates). The apply writes every row or
// none, keeping the old names on meetings already held.
import { UNIT_KINDS, type UnitKind } from '../../contract/enums.ts';
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
import { formatCsv } from './csvText.ts';

export const UNIT_COLUMNS = ['Mã đơn vị', 'Tên đơn vị', 'Loại', 'Mã đơn vị cha', 'Hoạt động'] as const;

/** The kind as written in the file (Vietnamese); the English word is accepted too. */
const KIND_WORDS: Record<UnitKind, string> = {
  province: 'tỉnh',
  department: 'sở ngành',
  district: 'huyện',
  commune: 'xã',
  other: 'khác',
};
const KIND_OF = new Map<string, UnitKind>(
  UNIT_KINDS.flatMap((k) => [
    [KIND_WORDS[k], k],
    [k, k],
  ]),
);

interface UnitValues {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  active: boolean;
}

export type UnitImportPlan = ImportPlan<UnitValues>;

interface Existing {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  active: boolean;
}

export async function exportUnits(db: Db): Promise<string> {
  const units = await db.unit.findMany({ orderBy: [{ path: 'asc' }] });
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  return formatCsv([
    [...UNIT_COLUMNS],
    ...units.map((u) => [
      u.code,
      u.name,
      KIND_WORDS[u.kind as UnitKind] ?? u.kind,
      u.parentId ? (codeOf.get(u.parentId) ?? '') : '',
      u.active ? 'có' : 'không',
    ]),
  ]);
}

export async function planUnitImport(db: Db | Tx, text: string): Promise<UnitImportPlan> {
  const plan = emptyPlan<UnitValues>();
  const records = readRecords(plan, text, UNIT_COLUMNS);
  if (!records) return plan;
  const units: Existing[] = await db.unit.findMany({
    select: { id: true, code: true, name: true, kind: true, parentId: true, active: true },
  });
  const byCode = new Map(units.map((u) => [u.code, u]));
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const firstLineOf = new Map<string, number>();
  const planned: { line: number; values: UnitValues }[] = [];
  for (const record of records) {
    const { fields, row, fail } = startRow(record, UNIT_COLUMNS);
    const [code = '', name = '', kindWord = '', parentCode = '', activeWord = ''] = fields;
    if (!code) fail('Thiếu mã đơn vị.', 'The unit code is missing.');
    else if (code.length > 64) fail('Mã đơn vị dài quá 64 ký tự.', 'The unit code is longer than 64 characters.');
    checkDuplicate(code, record.line, firstLineOf, fail);
    if (!name) fail('Thiếu tên đơn vị.', 'The unit name is missing.');
    else if (name.length > 200) fail('Tên đơn vị dài quá 200 ký tự.', 'The unit name is longer than 200 characters.');
    const kind = KIND_OF.get(kindWord.toLowerCase());
    if (!kind) {
      const words = Object.values(KIND_WORDS).join(', ');
      fail(
        `"Loại" phải là một trong: ${words}; không phải "${kindWord}".`,
        `"Loại" must be one of: ${words}; not "${kindWord}".`,
      );
    }
    if (parentCode && parentCode === code)
      fail('Đơn vị không thể là cha của chính nó.', 'A unit cannot be its own parent.');
    const active = yesNo(activeWord, 'Hoạt động', fail);
    const values = kind && active !== null ? { code, name, kind, parentCode: parentCode || null, active } : null;
    if (values && row.errors.length === 0) planned.push({ line: record.line, values });
    const existing = byCode.get(code);
    const unchanged =
      existing &&
      values &&
      existing.name === values.name &&
      existing.kind === values.kind &&
      (existing.parentId ? codeOf.get(existing.parentId) : null) === values.parentCode &&
      existing.active === values.active;
    addRow(plan, row, values, !existing ? 'create' : unchanged ? 'unchanged' : 'update');
  }
  await checkTree(db, plan, units, planned);
  return finishPlan(plan);
}

/** The tree the file would leave: parents that exist, no loop, nothing active under or inside an inactive unit. */
async function checkTree(
  db: Db | Tx,
  plan: UnitImportPlan,
  units: Existing[],
  planned: { line: number; values: UnitValues }[],
): Promise<void> {
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const parentOf = new Map(units.map((u) => [u.code, u.parentId ? (codeOf.get(u.parentId) ?? null) : null]));
  const activeOf = new Map(units.map((u) => [u.code, u.active]));
  for (const { values } of planned) {
    parentOf.set(values.code, values.parentCode);
    activeOf.set(values.code, values.active);
  }
  const fail = (line: number, vi: string, en: string) => {
    const row = plan.rows.find((r) => r.line === line);
    if (!row) return;
    row.errors.push({ vi, en });
    if (row.outcome === 'error') return;
    plan.counts[row.outcome]--;
    row.outcome = 'error';
    plan.counts.error++;
  };
  const existingIds = new Map(units.map((u) => [u.code, u.id]));
  const deactivated = planned.filter((p) => !p.values.active && existingIds.has(p.values.code));
  const [rooms, users] = await Promise.all([
    db.endpointRoom.groupBy({ by: ['unitId'], where: { active: true }, _count: { _all: true } }),
    db.user.groupBy({ by: ['unitId'], where: { active: true }, _count: { _all: true } }),
  ]);
  const roomsIn = new Map(rooms.map((r) => [r.unitId, r._count._all]));
  const usersIn = new Map(users.map((u) => [u.unitId, u._count._all]));
  for (const { line, values } of planned) {
    const parent = values.parentCode;
    if (parent && !parentOf.has(parent)) {
      fail(line, `Không có đơn vị cha mã "${parent}".`, `No parent unit has the code "${parent}".`);
      continue;
    }
    // Only the rows on a loop report it; units merely under one are reported by those rows.
    const seen = new Set<string>();
    for (let up = parent; up && !seen.has(up); up = parentOf.get(up) ?? null) {
      if (up === values.code) {
        fail(line, `Cây đơn vị thành vòng qua "${values.code}".`, `The unit tree would loop through "${values.code}".`);
        break;
      }
      seen.add(up);
    }
    // A deactivated parent's row reports its active children (below).
    if (
      values.active &&
      parent &&
      activeOf.get(parent) === false &&
      !deactivated.some((d) => d.values.code === parent)
    ) {
      fail(line, `Đơn vị cha "${parent}" ngừng hoạt động.`, `The parent unit "${parent}" is inactive.`);
    }
  }
  for (const { line, values } of deactivated) {
    const id = existingIds.get(values.code) as string;
    const [roomCount, userCount] = [roomsIn.get(id) ?? 0, usersIn.get(id) ?? 0];
    const children = [...parentOf].filter(([code, p]) => p === values.code && activeOf.get(code)).length;
    if (roomCount + userCount + children > 0) {
      fail(
        line,
        `Đơn vị còn ${roomCount} điểm cầu, ${userCount} tài khoản và ${children} đơn vị con đang hoạt động.`,
        `The unit still has ${roomCount} active rooms, ${userCount} active accounts and ${children} active child units.`,
      );
    }
  }
}

/** Writes a plan without errors in `tx`: fields first, then every path from the new parents. */
export async function applyUnitImport(tx: Tx, plan: UnitImportPlan): Promise<void> {
  const rows = plan.rows.filter((r) => r.outcome === 'create' || r.outcome === 'update');
  const values = rows.map((r) => plan.values.get(r.line) as UnitValues);
  const before = await tx.unit.findMany({ where: { code: { in: values.map((v) => v.code) } } });
  const renamed = before.filter((u) => values.some((v) => v.code === u.code && v.name !== u.name));
  await keepNamesOfHeldMeetings(tx, { unitIds: renamed.map((u) => u.id) });
  for (const v of values) {
    const data = {
      name: v.name,
      kind: v.kind,
      active: v.active,
      ...(v.active && { mergedIntoId: null, mergedAt: null }),
    };
    const id = `u-${crypto.randomUUID().slice(0, 12)}`;
    await tx.unit.upsert({
      where: { code: v.code },
      create: { id, code: v.code, path: `/${id}/`, ...data },
      update: data,
    });
  }
  const all = await tx.unit.findMany({ select: { id: true, code: true, parentId: true, path: true, depth: true } });
  const idOf = new Map(all.map((u) => [u.code, u.id]));
  const parentIdOf = new Map(all.map((u) => [u.id, u.parentId]));
  for (const v of values)
    parentIdOf.set(idOf.get(v.code) as string, v.parentCode ? (idOf.get(v.parentCode) ?? null) : null);
  const pathOf = (id: string): string => {
    const parent = parentIdOf.get(id);
    return `${parent ? pathOf(parent) : '/'}${id}/`;
  };
  for (const u of all) {
    const path = pathOf(u.id);
    const parentId = parentIdOf.get(u.id) ?? null;
    const depth = path.split('/').length - 3;
    if (path === u.path && parentId === u.parentId && depth === u.depth) continue;
    await tx.unit.update({ where: { id: u.id }, data: { path, parentId, depth } });
  }
}
