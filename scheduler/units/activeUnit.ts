// An inactive unit (deactivated, or merged into another) keeps its history but
// takes nothing new: no room, meeting or account may be placed in it.
import type { Tx } from '../db.ts';
import { badRequest, notFound } from '../errors.ts';

type UnitRow = NonNullable<Awaited<ReturnType<Tx['unit']['findUnique']>>>;

/** The unit, when it exists and is active; otherwise a clear refusal. */
export async function activeUnit(tx: Tx, unitId: string): Promise<UnitRow> {
  const unit = await tx.unit.findUnique({ where: { id: unitId } });
  if (!unit) throw notFound('đơn vị', 'Unit');
  refuseInactive(unit);
  return unit;
}

export function refuseInactive(unit: { name: string; active: boolean }): void {
  if (unit.active) return;
  throw badRequest(
    `Đơn vị “${unit.name}” đã ngừng hoạt động: không thể thêm điểm cầu, cuộc họp hay tài khoản vào đơn vị này.`,
    `The unit "${unit.name}" is inactive: no room, meeting or account can be added to it.`,
  );
}
