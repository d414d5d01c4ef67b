// The board's rows. By unit: the invited sites grouped by the unit tree (any
// depth), departments apart from districts, each group with its counts,
// collapsed groups closed; a leaf unit with a single site (a commune and its
// one room) shows as that site's row. Problems first: one flat list, the sites
// that need the chair on top. Either way only the sites `match` lets through,
// and every row knows the line of units above it (the sticky header).
import type { Unit } from '../api.ts';
import { countSites, type SiteCounts, type SiteStatus } from '../meeting/MeetingStore.ts';

export type BoardRow =
  | { kind: 'group'; key: string; unit: Unit; depth: number; counts: SiteCounts; trail: Unit[] }
  | { kind: 'site'; key: string; site: SiteStatus; depth: number; trail: Unit[] };

/** Units of one level in this order: the province's own room first, its departments apart from its districts. */
const KIND_ORDER = ['province', 'department', 'district', 'commune'];
const kindIndex = (u: Unit) => {
  const i = KIND_ORDER.indexOf(u.kind);
  return i < 0 ? KIND_ORDER.length : i;
};
const byKindThenOrder = (a: Unit, b: Unit) =>
  kindIndex(a) - kindIndex(b) || (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name, 'vi');

export function boardRows(
  units: Unit[],
  sites: SiteStatus[],
  collapsed: ReadonlySet<string>,
  match: (s: SiteStatus) => boolean,
): BoardRow[] {
  const unitMap = new Map(units.map((u) => [u.id, u]));
  const shown = sites.filter((s) => !s.isChair && match(s));
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
  for (const list of children.values()) list.sort(byKindThenOrder);

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
  const site = (s: SiteStatus, depth: number, trail: Unit[]): BoardRow => ({
    kind: 'site',
    key: `s:${s.id}`,
    site: s,
    depth,
    trail,
  });
  const walk = (u: Unit, depth: number, above: Unit[]) => {
    const trail = [...above, u];
    rows.push({ kind: 'group', key: `g:${u.id}`, unit: u, depth, counts: countSites(collect(u)), trail: above });
    if (collapsed.has(u.id)) return;
    for (const s of direct.get(u.id) ?? []) rows.push(site(s, depth + 1, trail));
    for (const k of children.get(u.id) ?? []) {
      // A leaf unit with a single site (a commune and its one room) shows as that site's row.
      const own = direct.get(k.id) ?? [];
      if (!children.has(k.id) && own.length === 1) rows.push(site(own[0] as SiteStatus, depth + 1, trail));
      else walk(k, depth + 1, trail);
    }
  };
  for (const r of children.get(null) ?? []) walk(r, 0, []);
  for (const s of orphans) rows.push(site(s, 0, []));
  return rows;
}

/**
 * One flat list, most urgent first (`rank`, then name); each row carries the
 * units above its site, shown beside the name since no group row precedes it.
 */
export function problemRows(
  sites: SiteStatus[],
  match: (s: SiteStatus) => boolean,
  rank: (s: SiteStatus) => number,
  trails: Map<string, Unit[]>,
): BoardRow[] {
  const shown = sites.filter((s) => !s.isChair && match(s));
  const ranks = new Map(shown.map((s) => [s.id, rank(s)]));
  shown.sort((a, b) => (ranks.get(a.id) ?? 0) - (ranks.get(b.id) ?? 0) || a.name.localeCompare(b.name, 'vi'));
  return shown.map((s) => ({ kind: 'site', key: `s:${s.id}`, site: s, depth: 0, trail: trails.get(s.unitId) ?? [] }));
}
