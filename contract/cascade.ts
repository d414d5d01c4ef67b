// What the signaling contract says of cascade links between deployments
// (docs/cascade.md): a link's state as the chair's console shows it, and the
// deployments a meeting may be linked to.

/** How a link to another deployment's meeting stands (docs/cascade.md): opening, carrying media, or gone. */
export const UPSTREAM_STATES = ['connecting', 'live', 'lost'] as const;
export type UpstreamState = (typeof UPSTREAM_STATES)[number];

/** A deployment's name in CASCADE_NAME and CASCADE_LINKS (hub/settings/cascade.ts). */
export const DEPLOYMENT_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Another deployment's meeting relayed into this one (a national meeting into
 * a province's): it appears here as the site `siteId`, and `sendSiteId` of
 * this meeting is sent back to it.
 */
export interface UpstreamLink {
  /** The other deployment's name, and how it is shown. */
  deployment: string;
  displayName: string;
  /** The meeting's id in the other deployment. */
  meetingId: string;
  state: UpstreamState;
  /** The site it is in this meeting while live; null otherwise. */
  siteId: string | null;
  /** The site of this meeting sent back to it. */
  sendSiteId: string;
  /** Why it was lost, [vi, en]; null while connecting or live. */
  message: string | null;
  messageEn: string | null;
}

export interface LinkableDeployment {
  name: string;
  displayName: string;
}

/**
 * What a meeting's audit trail records of its cascade links: its upstream
 * link live, lost (with why) or closed by its chair, and (upstream side) a
 * linked deployment relaying it or no longer.
 */
export const CASCADE_EVENT_KINDS = [
  'upstream.live',
  'upstream.lost',
  'upstream.closed',
  'downstream.opened',
  'downstream.closed',
] as const;
export type CascadeEventKind = (typeof CASCADE_EVENT_KINDS)[number];

export interface CascadeEvent {
  meetingId: string;
  kind: CascadeEventKind;
  /** The other deployment's name, and how it is shown. */
  deployment: string;
  displayName: string;
  /** The upstream meeting's id in the other deployment (upstream events only). */
  upstreamMeetingId: string | null;
  /** Why the link was lost, [vi, en]; null otherwise. */
  reason: [string, string] | null;
  at: Date;
}
