// An index over the unit tree (any depth) and its rooms: children, subtree
// room lists, ancestors. Built once per tree; used by the picker and the board.
import type { Room, Unit } from '../api.ts';

export interface TreeIndex {
  units: Map<string, Unit>;
  roots: Unit[];
  children: Map<string, Unit[]>;
  /** Rooms directly attached to a unit. */
  roomsOf: Map<string, Room[]>;
  /** Every room in the unit's subtree, in tree order. */
  subtreeRooms: Map<string, string[]>;
  rooms: Map<string, Room>;
  /** Rooms whose unit is not in the tree. */
  orphanRooms: Room[];
}

const byOrder = (a: Unit, b: Unit) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name, 'vi');

export function buildTree(units: Unit[], rooms: Room[]): TreeIndex {
  const unitMap = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    if (u.parentId && unitMap.has(u.parentId)) {
      const list = children.get(u.parentId) ?? [];
      list.push(u);
      children.set(u.parentId, list);
    } else {
      roots.push(u);
    }
  }
  for (const list of children.values()) list.sort(byOrder);
  roots.sort(byOrder);
  const roomsOf = new Map<string, Room[]>();
  const orphanRooms: Room[] = [];
  for (const r of rooms) {
    if (!unitMap.has(r.unitId)) {
      orphanRooms.push(r);
      continue;
    }
    const list = roomsOf.get(r.unitId) ?? [];
    list.push(r);
    roomsOf.set(r.unitId, list);
  }
  for (const list of roomsOf.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const subtreeRooms = new Map<string, string[]>();
  // Iterative post-order so deep trees do not overflow the stack.
  const visit = (root: Unit) => {
    const stack: { u: Unit; done: boolean }[] = [{ u: root, done: false }];
    while (stack.length) {
      const top = stack.pop() as { u: Unit; done: boolean };
      const kids = children.get(top.u.id) ?? [];
      if (!top.done) {
        stack.push({ u: top.u, done: true });
        for (let i = kids.length - 1; i >= 0; i--) stack.push({ u: kids[i] as Unit, done: false });
      } else {
        const ids = (roomsOf.get(top.u.id) ?? []).map((r) => r.id);
        for (const k of kids) ids.push(...(subtreeRooms.get(k.id) ?? []));
        subtreeRooms.set(top.u.id, ids);
      }
    }
  };
  for (const r of roots) visit(r);
  return {
    units: unitMap,
    roots,
    children,
    roomsOf,
    subtreeRooms,
    rooms: new Map(rooms.map((r) => [r.id, r])),
    orphanRooms,
  };
}

/** Ids of the unit and all its ancestors, root first. */
export function ancestors(tree: TreeIndex, unitId: string): string[] {
  const out: string[] = [];
  let cur = tree.units.get(unitId);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    out.unshift(cur.id);
    cur = cur.parentId ? tree.units.get(cur.parentId) : undefined;
  }
  return out;
}

/** Case- and accent-insensitive match, so "tan phu" finds "Tân Phú". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
