// The board's rows: the invited sites grouped by the unit tree (any depth),
// each group with its counts, filtered by name and raised hands, collapsed
// groups closed. A leaf unit with a single site (a commune and its one room)
// shows as that site's row.
import type { Unit } from '../api.ts';
import { fold } from '../lib/tree.ts';
import { countSites, type SiteCounts, type SiteStatus } from '../meeting/MeetingStore.ts';

export type BoardRow =
  | { kind: 'group'; key: string; unit: Unit; depth: number; counts: SiteCounts }
  | { kind: 'site'; key: string; site: SiteStatus; depth: number };

/** q: the folded filter text, or ''. */
export function boardRows(
  units: Unit[],
  sites: SiteStatus[],
  collapsed: Set<string>,
  q: string,
  onlyHands: boolean,
): BoardRow[] {
  const unitMap = new Map(units.map((u) => [u.id, u]));
  const shown = sites.filter((s) => !s.isChair && (!onlyHands || s.handRaised) && (!q || fold(s.name).includes(q)));
  // Sites per unit, and which units are on a path to a site.
  const direct = new Map<string, SiteStatus[]>();
  const orphans: SiteStatus[] = [];
  const used = new Set<string>();
  for (const s of shown) {
    if (!unitMap.has(s.unitId)) {
      orphans.push(s);
      continue;
    }
    const list = direct.get(s.unitId) ?? [];
    list.push(s);
    direct.set(s.unitId, list);
    let cur = unitMap.get(s.unitId);
    while (cur && !used.has(cur.id)) {
      used.add(cur.id);
      cur = cur.parentId ? unitMap.get(cur.parentId) : undefined;
    }
  }
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    if (!used.has(u.id)) continue;
    const parent = u.parentId && unitMap.has(u.parentId) ? u.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(u);
    children.set(parent, list);
  }
  for (const list of children.values())
    list.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name, 'vi'));

  // Subtree site lists for the group counts.
  const subtree = new Map<string, SiteStatus[]>();
  const collect = (u: Unit): SiteStatus[] => {
    const cached = subtree.get(u.id);
    if (cached) return cached;
    const all = [...(direct.get(u.id) ?? [])];
    for (const k of children.get(u.id) ?? []) all.push(...collect(k));
    subtree.set(u.id, all);
    return all;
  };

  const rows: BoardRow[] = [];
  const walk = (u: Unit, depth: number) => {
    rows.push({ kind: 'group', key: `g:${u.id}`, unit: u, depth, counts: countSites(collect(u)) });
    if (collapsed.has(u.id)) return;
    for (const s of direct.get(u.id) ?? []) rows.push({ kind: 'site', key: `s:${s.id}`, site: s, depth: depth + 1 });
    for (const k of children.get(u.id) ?? []) {
      // A leaf unit with a single site (a commune and its one room) shows as that site's row.
      const own = direct.get(k.id) ?? [];
      if (!children.has(k.id) && own.length === 1) {
        const s = own[0] as SiteStatus;
        rows.push({ kind: 'site', key: `s:${s.id}`, site: s, depth: depth + 1 });
      } else walk(k, depth + 1);
    }
  };
  for (const r of children.get(null) ?? []) walk(r, 0);
  for (const s of orphans) rows.push({ kind: 'site', key: `s:${s.id}`, site: s, depth: 0 });
  return rows;
}
