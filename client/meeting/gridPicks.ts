// Which sites the chair's grid layout shows (contract/layout.ts: the chair plus
// up to MAX_GRID_SITES picked sites). Turning the grid on keeps the chair's
// earlier picks that are still online and fills the free places with online
// sites in the board's order; the chair then adds or takes out sites one by one.
import { MAX_GRID_SITES } from '../../contract/layout.ts';

/** The grid when the chair turns it on: earlier picks still online first, then other online sites. */
export function gridOnTurningOn(earlier: readonly string[], online: readonly string[]): string[] {
  const here = new Set(online);
  const kept = earlier.filter((id) => here.has(id));
  const others = online.filter((id) => !kept.includes(id));
  return [...kept, ...others].slice(0, MAX_GRID_SITES);
}

/** The grid with `siteId` added or taken out; null when it is full and the site is not in it. */
export function gridToggled(grid: readonly string[], siteId: string): string[] | null {
  if (grid.includes(siteId)) return grid.filter((id) => id !== siteId);
  if (grid.length >= MAX_GRID_SITES) return null;
  return [...grid, siteId];
}
