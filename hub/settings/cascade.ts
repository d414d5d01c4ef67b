// Settings of the cascade between deployments (docs/cascade.md): the other
// deployments this one links meetings with, the secret each pair shares, and
// the address this hub's cascade pipe transports announce. Read by
// hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';
import { DEPLOYMENT_NAME } from '../../contract/cascade.ts';

/** The shared secret: long enough that guessing it is out of the question. */
export const MIN_CASCADE_SECRET = 32;

const link = z.strictObject({
  /** The peer deployment's name, as it names itself in CASCADE_NAME. */
  name: z.string().regex(DEPLOYMENT_NAME, 'name: lowercase letters, digits and "-", at most 32'),
  /** How its site appears on this deployment's boards, e.g. "UBND tỉnh Hà Nam"; default: its name. */
  displayName: z.string().min(1).max(80).optional(),
  /** Its hub's public address, e.g. https://hop.tinh.gov.vn:8443. */
  url: z.url({ protocol: /^https?$/ }),
  /** The secret both deployments configure for this link (HMAC-SHA256 over every request). */
  secret: z.string().min(MIN_CASCADE_SECRET, `secret: at least ${MIN_CASCADE_SECRET} characters`),
});

export type CascadeLinkSetting = z.infer<typeof link>;

/** CASCADE_LINKS: a JSON array of links, names unique. */
const links = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'CASCADE_LINKS must be a JSON array (see .env.example)' });
      return z.NEVER;
    }
  })
  .pipe(z.array(link).max(64))
  .refine((list) => new Set(list.map((l) => l.name)).size === list.length, 'CASCADE_LINKS: each name once');

export const cascadeSettings = {
  /** This deployment's name in its peers' CASCADE_LINKS; unset: it links with nobody. */
  CASCADE_NAME: z
    .string()
    .regex(DEPLOYMENT_NAME, 'CASCADE_NAME: lowercase letters, digits and "-", at most 32')
    .optional(),
  /** The deployments this one links with: [{"name","displayName","url","secret"}]. */
  CASCADE_LINKS: links.default([]),
  /** The address the other deployment sends this hub's cascade pipes their media to; unset: HUB_PIPE_ADDRESS. */
  CASCADE_PIPE_ADDRESS: z.ipv4().or(z.ipv6()).optional(),
  /** A cascade pipe silent (no RTP nor RTCP) this long counts as lost. */
  CASCADE_LOST_AFTER_MS: z.coerce.number().int().min(1000).max(120_000).default(6000),
};
