// What a chair acts on, site by site: the states the summary strip counts
// (each one a filter of the board), the "problems first" order, and the filter
// text, which matches a site's name or the names of the units above it
// ("tân phong" alone finds every Tân Phong; "ba vì tân phong" the one in Ba Vì).
import type { Unit } from '../api.ts';
import { fold } from '../lib/tree.ts';
import { gradeLink, type SiteStatus } from './MeetingStore.ts';

export const SITE_FILTERS = [
  'online',
  'reconnecting',
  'not_joined',
  'left',
  'muted',
  'hands',
  'poor_link',
  'no_video',
  'no_sound',
] as const;
export type SiteFilter = (typeof SITE_FILTERS)[number];

const isHere = (s: SiteStatus) => s.state === 'online' || s.state === 'connecting';

/** A site in the meeting whose link figures are poor, or that the hub moved to lower layers or audio only. */
export function hasPoorLink(s: SiteStatus): boolean {
  if (!isHere(s)) return false;
  if (s.linkState === 'degraded' || s.linkState === 'audio-only') return true;
  return s.link !== null && gradeLink(s.link) === 'poor';
}

const TESTS: Record<SiteFilter, (s: SiteStatus) => boolean> = {
  online: isHere,
  reconnecting: (s) => s.state === 'reconnecting',
  not_joined: (s) => s.state === 'not_joined',
  left: (s) => s.state === 'left',
  muted: (s) => isHere(s) && s.mutedByChair,
  hands: (s) => isHere(s) && s.handRaised,
  poor_link: hasPoorLink,
  no_video: (s) => isHere(s) && !s.cameraOn,
  // A site allowed to speak whose microphone sends nothing: the chair hears nothing from it.
  no_sound: (s) => isHere(s) && s.canSpeak && !s.micOn,
};

export function matchesFilter(site: SiteStatus, filter: SiteFilter): boolean {
  return TESTS[filter](site);
}

export type FilterCounts = Record<SiteFilter, number>;

export function countFilters(sites: Iterable<SiteStatus>): FilterCounts {
  const counts = Object.fromEntries(SITE_FILTERS.map((f) => [f, 0])) as FilterCounts;
  for (const s of sites) {
    if (s.isChair) continue;
    for (const f of SITE_FILTERS) if (TESTS[f](s)) counts[f]++;
  }
  return counts;
}

/**
 * How urgently a site needs the chair, lowest first: its link dropped, an
 * alarm, a poor link, no picture, no sound, not in the meeting; then the rest.
 */
export function problemRank(s: SiteStatus): number {
  if (s.state === 'reconnecting') return 0;
  if (s.alarms.length > 0 && isHere(s)) return 1;
  if (hasPoorLink(s)) return 2;
  if (TESTS.no_video(s)) return 3;
  if (TESTS.no_sound(s)) return 4;
  if (TESTS.not_joined(s) || TESTS.left(s)) return 5;
  return 6;
}

/** Each unit's line of ancestors, the root first and the unit itself last. */
export function unitTrails(units: Unit[]): Map<string, Unit[]> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const trails = new Map<string, Unit[]>();
  const trailOf = (u: Unit): Unit[] => {
    const known = trails.get(u.id);
    if (known) return known;
    const parent = u.parentId ? byId.get(u.parentId) : undefined;
    // A cycle in bad data stops at the unit already on the way.
    trails.set(u.id, [u]);
    const trail = parent ? [...trailOf(parent), u] : [u];
    trails.set(u.id, trail);
    return trail;
  };
  for (const u of units) trailOf(u);
  return trails;
}

/**
 * The board's text filter: every word of `text` must start a word of the
 * site's name or of its units' names (accents and case aside): "2-5" does not
 * find "12-5". Null for no filter.
 */
export function textMatcher(trails: Map<string, Unit[]>, text: string): ((s: SiteStatus) => boolean) | null {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const haystacks = new Map<string, string>();
  for (const [id, trail] of trails) haystacks.set(id, fold(trail.map((u) => u.name).join(' ')));
  return (s) => {
    const hay = ` ${fold(s.name)} ${haystacks.get(s.unitId) ?? ''}`.replace(/\s+/g, ' ');
    return words.every((w) => hay.includes(` ${w}`));
  };
}
