// Changes to the unit tree: add, rename, move and (de)activate a unit. Each
// runs inside the caller's transaction, so its checks and its writes are one
// step (the database's transactions run one at a time). Renames keep the old
// name on meetings already held (scheduler/nameHistory.ts).
import type { UnitKind } from '../../contract/enums.ts';
import type { Tx } from '../db.ts';
import { uniqueViolation } from '../db.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { keepNamesOfHeldMeetings } from '../nameHistory.ts';
import { activeUnit, refuseInactive } from './activeUnit.ts';

type UnitRow = NonNullable<Awaited<ReturnType<Tx['unit']['findUnique']>>>;

export interface NewUnit {
  name: string;
  kind: UnitKind;
  code: string;
  parentId: string | null;
  sortOrder?: number;
}

export interface UnitChanges {
  name?: string;
  kind?: UnitKind;
  code?: string;
  parentId?: string | null;
  sortOrder?: number;
}

function duplicateCode(err: unknown): never {
  if (uniqueViolation(err)) throw conflict('DUPLICATE', 'Mã đơn vị đã tồn tại.', 'Unit code already exists.');
  throw err;
}

export async function loadUnit(tx: Tx, unitId: string): Promise<UnitRow> {
  const unit = await tx.unit.findUnique({ where: { id: unitId } });
  if (!unit) throw notFound('đơn vị', 'Unit');
  return unit;
}

export async function createUnit(tx: Tx, values: NewUnit): Promise<UnitRow> {
  const parent = values.parentId ? await activeUnit(tx, values.parentId) : null;
  const id = `u-${crypto.randomUUID().slice(0, 12)}`;
  return tx.unit
    .create({
      data: {
        id,
        name: values.name,
        kind: values.kind,
        code: values.code,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
        depth: parent ? parent.depth + 1 : 0,
        sortOrder: values.sortOrder ?? 0,
      },
    })
    .catch(duplicateCode);
}

/** Puts `unit` (and its whole subtree) under `parentId`; refuses a move into its own subtree. */
export async function moveUnit(tx: Tx, unit: UnitRow, parentId: string | null): Promise<void> {
  const parent = parentId ? await loadUnit(tx, parentId) : null;
  if (parent?.path.startsWith(unit.path)) {
    throw badRequest(
      parent.id === unit.id
        ? `Không thể đặt “${unit.name}” làm đơn vị cha của chính nó.`
        : `Không thể chuyển “${unit.name}” vào “${parent.name}”: “${parent.name}” nằm trong “${unit.name}”, cây đơn vị sẽ thành vòng.`,
      parent.id === unit.id
        ? `"${unit.name}" cannot be its own parent.`
        : `"${unit.name}" cannot be moved under "${parent.name}": "${parent.name}" is inside "${unit.name}", the tree would loop.`,
    );
  }
  if (parent && unit.active) refuseInactive(parent);
  const newPath = `${parent?.path ?? '/'}${unit.id}/`;
  const delta = (parent ? parent.depth + 1 : 0) - unit.depth;
  const subtree = await tx.unit.findMany({ where: { path: { startsWith: unit.path } } });
  for (const d of subtree) {
    await tx.unit.update({
      where: { id: d.id },
      data: { path: newPath + d.path.slice(unit.path.length), depth: d.depth + delta },
    });
  }
  await tx.unit.update({ where: { id: unit.id }, data: { parentId: parent?.id ?? null } });
}

export async function updateUnit(tx: Tx, unitId: string, changes: UnitChanges): Promise<UnitRow> {
  const unit = await loadUnit(tx, unitId);
  if (changes.name !== undefined && changes.name !== unit.name) {
    await keepNamesOfHeldMeetings(tx, { unitIds: [unit.id] });
  }
  if (changes.parentId !== undefined && changes.parentId !== unit.parentId) {
    await moveUnit(tx, unit, changes.parentId);
  }
  return tx.unit
    .update({
      where: { id: unit.id },
      data: { name: changes.name, kind: changes.kind, code: changes.code, sortOrder: changes.sortOrder },
    })
    .catch(duplicateCode);
}

/**
 * Deactivates a unit that no longer holds anything active (rooms, child units,
 * accounts: move or deactivate them first), or reactivates one under an active
 * parent (it is then no longer counted as merged).
 */
export async function setUnitActive(tx: Tx, unitId: string, active: boolean): Promise<UnitRow> {
  const unit = await loadUnit(tx, unitId);
  if (active) {
    if (unit.parentId) await activeUnit(tx, unit.parentId);
    return tx.unit.update({ where: { id: unit.id }, data: { active: true, mergedIntoId: null, mergedAt: null } });
  }
  const [rooms, children, users] = await Promise.all([
    tx.endpointRoom.count({ where: { unitId: unit.id, active: true } }),
    tx.unit.count({ where: { parentId: unit.id, active: true } }),
    tx.user.count({ where: { unitId: unit.id, active: true } }),
  ]);
  if (rooms || children || users) {
    throw conflict(
      'NOT_EMPTY',
      `“${unit.name}” còn ${rooms} điểm cầu, ${children} đơn vị con và ${users} tài khoản đang hoạt động: hãy chuyển hoặc ngừng chúng trước, hoặc sáp nhập đơn vị.`,
      `"${unit.name}" still has ${rooms} active rooms, ${children} active child units and ${users} active accounts: move or deactivate them first, or merge the unit.`,
      { rooms, children, users },
    );
  }
  return tx.unit.update({ where: { id: unit.id }, data: { active: false } });
}
