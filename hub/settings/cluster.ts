// Settings of several hubs in one deployment (docs/scaling.md): the Redis they
// coordinate through and how this hub names and announces itself to the others.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';

export const clusterSettings = {
  /**
   * The Redis every hub of the deployment shares, e.g. redis://10.0.0.5:6379/0.
   * Unset: this hub works alone. Set: DATABASE_URL must be PostgreSQL (one schedule for every hub).
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** This hub's name in the deployment; unset: the host name and PORT. Keep it stable across restarts. */
  HUB_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'HUB_ID: letters, digits, ".", "_" or "-", at most 64')
    .optional(),
  /** The address sites reach this hub at directly (not the load balancer's): join answers may point here. */
  HUB_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The address other hubs send this hub's pipe transports their media to; unset: RTC_ANNOUNCED_ADDRESS. */
  HUB_PIPE_ADDRESS: z.ipv4().or(z.ipv6()).optional(),
  /** Seconds a hub's registration lives without a refresh: a hub silent this long counts as gone. */
  HUB_TTL_SECONDS: z.coerce.number().int().min(2).max(300).default(10),
  /**
   * Sites this hub carries before it sends joiners to a less loaded hub of the deployment (their join
   * answer names it); 0: no limit. Only with REDIS_URL: a hub alone has nowhere to send them.
   */
  MAX_SITES_PER_HUB: z.coerce.number().int().min(0).max(100_000).default(0),
};
