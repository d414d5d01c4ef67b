// A join sent to another hub of the deployment (docs/scaling.md, "Placement"):
// the MOVE_TO_HUB refusal's details, read by the browser client.
import { z } from 'zod';

/**
 * Why a hub of several sends a joiner elsewhere (docs/scaling.md): it carries
 * MAX_SITES_PER_HUB sites already (`hub_full`), or the joiner is the chair and
 * another hub is the meeting's home, where the chair's streams belong
 * (`meeting_home`).
 */
export const HUB_REDIRECT_REASONS = ['hub_full', 'meeting_home'] as const;

/**
 * The `details` of a join refused with MOVE_TO_HUB: join at `url` instead, with
 * the same token (every hub of a deployment shares HUB_SECRET).
 */
export const hubRedirectSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  hubId: z.string().min(1).max(64),
  reason: z.enum(HUB_REDIRECT_REASONS),
});
export type HubRedirect = z.infer<typeof hubRedirectSchema>;
