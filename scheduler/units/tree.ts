// The unit tree as the API shows it: every unit (inactive ones flagged, with
// what they were merged into) with its own and its subtree's active rooms.
import type { Db } from '../db.ts';

export interface TreeNode {
  id: string;
  name: string;
  kind: string;
  code: string;
  parentId: string | null;
  depth: number;
  active: boolean;
  mergedIntoId: string | null;
  mergedAt: string | null;
  rooms: number;
  subtreeRooms: number;
  subtreeUnits: number;
  children: TreeNode[];
}

export async function unitTree(db: Db): Promise<{ roots: TreeNode[]; nodes: Map<string, TreeNode>; rooms: number }> {
  const [units, counts] = await Promise.all([
    db.unit.findMany({ orderBy: [{ depth: 'asc' }, { sortOrder: 'asc' }, { name: 'asc' }] }),
    db.endpointRoom.groupBy({ by: ['unitId'], where: { active: true }, _count: { _all: true } }),
  ]);
  const own = new Map(counts.map((c) => [c.unitId, c._count._all]));
  const nodes = new Map<string, TreeNode>();
  for (const u of units) {
    nodes.set(u.id, {
      id: u.id,
      name: u.name,
      kind: u.kind,
      code: u.code,
      parentId: u.parentId,
      depth: u.depth,
      active: u.active,
      mergedIntoId: u.mergedIntoId,
      mergedAt: u.mergedAt?.toISOString() ?? null,
      rooms: own.get(u.id) ?? 0,
      subtreeRooms: 0,
      subtreeUnits: 1,
      children: [],
    });
  }
  const roots: TreeNode[] = [];
  for (const u of units) {
    const n = nodes.get(u.id) as TreeNode;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const total = (n: TreeNode): void => {
    n.subtreeRooms = n.rooms;
    for (const c of n.children) {
      total(c);
      n.subtreeRooms += c.subtreeRooms;
      n.subtreeUnits += c.subtreeUnits;
    }
  };
  for (const root of roots) total(root);
  return { roots, nodes, rooms: [...own.values()].reduce((a, b) => a + b, 0) };
}
