// What every site shows, as the chair chooses it (a stored decision,
// contract/liveState.ts): the speaker alone; the chair and the stage side by
// side; the shared content with the speaker inset; a grid of the chair and up
// to seven sites the chair picked, with the site's own picture (nine tiles).
// A site may pin another arrangement on its own screen (client only); what it
// may receive in each is bounded (contract/receivePlan.ts).
import { z } from 'zod';

export const LAYOUT_KINDS = ['speaker', 'sideBySide', 'content', 'grid'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];

/** Sites the chair picks for the grid besides itself: with the chair and the viewing site's own picture, nine tiles. */
export const MAX_GRID_SITES = 7;

export const layoutSchema = z.object({
  kind: z.enum(LAYOUT_KINDS),
  /** The sites in the grid (the chair is always there). */
  grid: z.array(z.string().min(1).max(200)).max(MAX_GRID_SITES),
});

export type Layout = z.infer<typeof layoutSchema>;

export const DEFAULT_LAYOUT: Layout = { kind: 'speaker', grid: [] };
