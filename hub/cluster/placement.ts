// Where a joiner belongs when this hub is one of several (docs/scaling.md):
// the chair on its meeting's home hub (the chair's streams start there and
// cross to the others), and nobody on a hub past MAX_SITES_PER_HUB while a
// live hub has room. The answer only points: the joiner comes back with the
// same token at the URL given (hubs share HUB_SECRET).
import type { Redis } from 'ioredis';
import type { HubRedirect } from '../../contract/hubRedirect.ts';
import type { JoinClaims } from '../../contract/joinToken.ts';
import type { HubDirectory, HubRecord } from './HubDirectory.ts';
import { meetingHomeKey } from './keys.ts';

export interface PlacementOptions {
  redis: Redis;
  directory: HubDirectory;
  /** MAX_SITES_PER_HUB; 0: no limit. */
  maxSites: number;
  /** Sites this hub carries now (the directory's figure for it is up to a refresh old). */
  sitesHere(): number;
  /**
   * Whether a hub answers now (sfu/span/HubBus.ts): a home that died holds its
   * claim and its registration for up to a TTL, and the chair is not sent there.
   */
  answers(hubId: string): Promise<boolean>;
}

function redirect(hub: HubRecord, reason: HubRedirect['reason']): HubRedirect {
  return { url: hub.url, hubId: hub.id, reason };
}

/** A hub with room, least loaded first; null when every other hub is full too. */
function roomier(hubs: HubRecord[], selfId: string): HubRecord | null {
  return hubs.find((h) => h.id !== selfId && (h.maxSites === 0 || h.sites < h.maxSites)) ?? null;
}

export function placement(opts: PlacementOptions): (claims: JoinClaims) => Promise<HubRedirect | null> {
  const { redis, directory, maxSites } = opts;
  return async (claims) => {
    const full = maxSites > 0 && opts.sitesHere() >= maxSites;
    if (claims.role !== 'chair' && !full) return null;
    const hubs = await directory.liveHubs();
    if (claims.role === 'chair') {
      const home = await redis.get(meetingHomeKey(claims.meetingId));
      const homeHub = home && home !== directory.id ? hubs.find((h) => h.id === home) : undefined;
      // A home that is gone is not pointed at: a surviving hub becomes home when the chair arrives.
      if (homeHub && (await opts.answers(homeHub.id))) return redirect(homeHub, 'meeting_home');
      // The chair is not turned away for load: its meeting's home is (or becomes) this hub.
      return null;
    }
    const elsewhere = roomier(hubs, directory.id);
    // Every hub full: admitted here all the same, a meeting matters more than a soft limit.
    return elsewhere ? redirect(elsewhere, 'hub_full') : null;
  };
}
