// Settings of the schedule's timing: when join tokens are issued, how long a meeting may overrun.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';

export const scheduleSettings = {
  /** Minutes before a meeting's start that join tokens are issued when it has no technical-check time. */
  JOIN_LEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
  /**
   * A meeting still in session at its booked end runs on (it ends when its last
   * site leaves); after running over this long, the schedule ends it and closes its media.
   */
  MEETING_OVERRUN_LIMIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(240),
};
