// What the scheduler reads of the hub's configuration. hub/config.ts loads and
// validates the whole of it; hub/Hub.ts hands these fields in.
import type { IceServer } from '../contract/signaling.ts';

export interface SchedulerConfig {
  DATABASE_URL: string;
  /** Load the demo province into an empty database. */
  DEMO_DATA: boolean;
  /** Minutes before the start that join tokens are issued when a meeting has no technical-check time. */
  JOIN_LEAD_MINUTES: number;
  JOIN_TOKEN_TTL_SECONDS: number;
  /** Hard ceiling of a meeting's site cap. */
  MAX_SITES_PER_MEETING: number;
  /** TURN servers handed to a site with its join token (as signaling does at join; credentials per site). */
  iceServers(roomId: string): IceServer[];
}
