// Merging units (communes A and B become C, as provinces and communes have been
// merged since 2025): the sources' rooms, child units, accounts and meetings
// still to come move to C; the sources become inactive and record that they
// were merged into C. Meetings already held keep the names of their day
// (scheduler/nameHistory.ts) and stay chaired by the old unit.
import type { Tx } from '../db.ts';
import { badRequest } from '../errors.ts';
import { keepNamesOfHeldMeetings } from '../nameHistory.ts';
import { activeUnit } from './activeUnit.ts';
import { createUnit, moveUnit, type NewUnit } from './changes.ts';

export type MergeTarget = { unitId: string } | { create: NewUnit };

export interface MergeResult {
  into: { id: string; name: string; code: string };
  from: { id: string; name: string; code: string }[];
  moved: { rooms: number; users: number; units: number; meetings: number };
}

export async function mergeUnits(tx: Tx, sourceIds: readonly string[], target: MergeTarget): Promise<MergeResult> {
  const ids = [...new Set(sourceIds)];
  if (ids.length !== sourceIds.length) {
    throw badRequest('Một đơn vị được chọn hai lần.', 'A unit was chosen twice.');
  }
  const sources = [];
  for (const id of ids) sources.push(await activeUnit(tx, id));
  const into = 'unitId' in target ? await activeUnit(tx, target.unitId) : await createUnit(tx, target.create);
  for (const s of sources) {
    if (into.path.startsWith(s.path)) {
      throw badRequest(
        `Không thể sáp nhập “${s.name}” vào “${into.name}”: “${into.name}” là chính nó hoặc nằm trong nó.`,
        `"${s.name}" cannot be merged into "${into.name}": "${into.name}" is that unit or inside it.`,
      );
    }
  }
  await keepNamesOfHeldMeetings(tx, { unitIds: ids });
  const now = new Date();
  const rooms = await tx.endpointRoom.updateMany({ where: { unitId: { in: ids } }, data: { unitId: into.id } });
  const users = await tx.user.updateMany({ where: { unitId: { in: ids } }, data: { unitId: into.id } });
  const meetings = await tx.meeting.updateMany({
    where: { chairUnitId: { in: ids }, startAt: { gt: now }, status: { notIn: ['live', 'ended'] } },
    data: { chairUnitId: into.id },
  });
  const children = await tx.unit.findMany({ where: { parentId: { in: ids } } });
  for (const child of children) await moveUnit(tx, child, into.id);
  await tx.unit.updateMany({
    where: { id: { in: ids } },
    data: { active: false, mergedIntoId: into.id, mergedAt: now },
  });
  const brief = (u: { id: string; name: string; code: string }) => ({ id: u.id, name: u.name, code: u.code });
  return {
    into: brief(into),
    from: sources.map(brief),
    moved: { rooms: rooms.count, users: users.count, units: children.length, meetings: meetings.count },
  };
}
