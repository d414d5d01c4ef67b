// The Redis keys the hubs of one deployment share, in one place so every
// reader and writer agrees on them (docs/scaling.md).
const PREFIX = 'diemcau';

/** A hub's registration: a hash (url, pipe address, workers, load…) with a TTL its hub refreshes. */
export function hubKey(hubId: string): string {
  return `${PREFIX}:hub:${hubId}`;
}

/**
 * Where registrations are found without scanning: a sorted set of hub ids scored by each hub's last
 * refresh (ms since the epoch). An id whose registration expired stays here until one surviving hub
 * claims it (hub/cluster/HubDirectory.ts) and cleans up after it, at that last refresh.
 */
export const HUBS_KEY = `${PREFIX}:hubs`;

/** The hub a meeting is homed on (the chair's streams and the audio slots live there): a string hub id. */
export function meetingHomeKey(meetingId: string): string {
  return `${PREFIX}:meeting:${meetingId}:home`;
}
