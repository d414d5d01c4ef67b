// The chair's decisions about a live meeting that must outlive a site's
// connection and the hub process: a site muted by the chair stays muted when it
// reconnects, a site that was in a locked meeting may come back after its link
// drops, a removed site stays out, an ended meeting stays ended. The hub stores
// it with the meeting (scheduler/liveMeetings.ts) and hands it back when the
// meeting's room opens again after a restart.
import { z } from 'zod';
import { MEETING_MODES } from './enums.ts';
import { DEFAULT_LAYOUT, layoutSchema } from './layout.ts';

const siteIds = z.array(z.string().max(200)).max(10_000);

export const liveStateSchema = z.object({
  mode: z.enum(MEETING_MODES),
  locked: z.boolean(),
  ended: z.boolean(),
  /** Sites the chair gave the floor. */
  floor: siteIds,
  /** Sites the chair muted. */
  muted: siteIds,
  /** The "mute all" rule: sites joining for the first time arrive muted (absent from states stored before it). */
  muteNewSites: z.boolean().default(false),
  /** Sites the chair removed: refused until the meeting ends. */
  removed: siteIds,
  /** Sites that have been in the meeting: they may rejoin it while it is locked. */
  admitted: siteIds,
  /** The site allowed to present (contract/presentation.ts); it may share again after a restart. Absent before issue 13. */
  presenter: z.string().max(200).nullable().default(null),
  /** What every site shows (contract/layout.ts). */
  layout: layoutSchema.default(DEFAULT_LAYOUT),
  /** The chair stopped sites writing to the whole meeting (absent in states stored before chat existed). */
  chatOff: z.boolean().default(false),
});

export type LiveState = z.output<typeof liveStateSchema>;

/** The stored state, or null when there is none or it cannot be read (the meeting then starts fresh). */
export function parseLiveState(stored: string | null | undefined): LiveState | null {
  if (!stored) return null;
  try {
    const parsed = liveStateSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
