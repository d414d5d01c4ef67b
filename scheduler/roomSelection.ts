// Rooms chosen by id or by unit-subtree selector, resolved to active rooms
// inside the user's scope.
import type { RoomSelection } from '../contract/rest/meetings.ts';
import type { Principal } from './auth.ts';
import type { Db, Tx } from './db.ts';
import { ApiError, badRequest, notFound } from './errors.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { inScope } from './meetings.ts';

export interface SelectedRoom {
  id: string;
  name: string;
  unitId: string;
  unitPath: string;
}

/** Resolves room ids and subtree selectors to active rooms, checking scope. */
export async function resolveRooms(tx: Tx | Db, p: Principal, sel: RoomSelection): Promise<SelectedRoom[]> {
  const found = new Map<string, SelectedRoom>();
  const ids = [...new Set(sel.roomIds ?? [])];
  if (ids.length) {
    const rooms = await tx.endpointRoom.findMany({ where: { id: { in: ids } }, include: { unit: true } });
    const byId = new Map(rooms.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new ApiError(
        404,
        'NOT_FOUND',
        `Không tìm thấy điểm cầu: ${missing.join(', ')}.`,
        `Unknown rooms: ${missing.join(', ')}.`,
        { missingRoomIds: missing },
      );
    }
    const inactive = rooms.filter((r) => !r.active).map((r) => r.id);
    if (inactive.length) {
      throw badRequest(
        `Điểm cầu đã ngừng hoạt động: ${inactive.join(', ')}.`,
        `Rooms are inactive: ${inactive.join(', ')}.`,
        { inactiveRoomIds: inactive },
      );
    }
    for (const r of rooms) found.set(r.id, { id: r.id, name: r.name, unitId: r.unitId, unitPath: r.unit.path });
  }
  for (const s of sel.selectors ?? []) {
    const unit = await tx.unit.findUnique({ where: { id: s.unitId } });
    if (!unit) throw notFound(`đơn vị ${s.unitId}`, `Unit ${s.unitId}`);
    const kinds = s.kind === undefined ? undefined : Array.isArray(s.kind) ? s.kind : [s.kind];
    const unitWhere: Prisma.UnitWhereInput =
      s.includeDescendants === false ? { id: unit.id } : { path: { startsWith: unit.path } };
    if (kinds) unitWhere.kind = { in: kinds };
    const rooms = await tx.endpointRoom.findMany({
      where: { active: true, unit: unitWhere },
      include: { unit: { select: { path: true } } },
      orderBy: [{ unit: { path: 'asc' } }, { name: 'asc' }],
    });
    for (const r of rooms) found.set(r.id, { id: r.id, name: r.name, unitId: r.unitId, unitPath: r.unit.path });
  }
  const outside = [...found.values()].filter((r) => !inScope(p, r.unitPath));
  if (outside.length) {
    throw new ApiError(
      403,
      'OUT_OF_SCOPE',
      `Bạn chỉ được mời điểm cầu thuộc đơn vị mình quản lý; ngoài phạm vi: ${outside
        .slice(0, 10)
        .map((r) => r.name)
        .join(', ')}${outside.length > 10 ? '…' : ''}.`,
      `You may only invite rooms inside your unit; ${outside.length} room(s) are outside it.`,
      { outOfScopeRoomIds: outside.map((r) => r.id) },
    );
  }
  return [...found.values()];
}
