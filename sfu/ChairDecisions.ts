// What the chair has decided for a meeting: its mode, the lock, who holds the
// floor, who is muted or removed, which sites were ever let in, whether it has
// ended, which site is on the main stage, who may present, what every site
// shows and whether sites may chat. All but the stage and the requests to
// present are stored with the meeting (contract/liveState.ts) so they survive
// reconnections and hub restarts.
import type { MeetingMode } from '../contract/enums.ts';
import { DEFAULT_LAYOUT, type Layout } from '../contract/layout.ts';
import type { LiveState } from '../contract/liveState.ts';
import type { Peer } from './Peer.ts';

export class ChairDecisions {
  mode: MeetingMode;
  locked = false;
  ended = false;
  /** "Mute all" as a rule: a site joining for the first time arrives muted. */
  muteNewSites = false;
  /** Sites may not write to the whole meeting (sfu/Chat.ts). */
  chatOff = false;
  stageSiteId: string | null = null;
  readonly floor = new Set<string>();
  /** When each floor holder got the floor; not stored: a restart starts the clock again. */
  readonly floorSince = new Map<string, Date>();
  readonly muted = new Set<string>();
  readonly removed = new Set<string>();
  /** Sites let in at least once: a lock keeps new sites out, not these. */
  readonly admitted = new Set<string>();
  /** The site allowed to present (contract/presentation.ts). */
  presenterSiteId: string | null = null;
  /** Sites asking to present, in order; not stored (a site asks again after a restart). */
  readonly presentRequests = new Set<string>();
  layout: Layout = DEFAULT_LAYOUT;

  constructor(
    mode: MeetingMode,
    restored: LiveState | null | undefined,
    /** Stores the decisions with the meeting. */
    private readonly onSave: (state: LiveState) => void,
  ) {
    this.mode = restored?.mode ?? mode;
    if (restored) this.restore(restored);
  }

  private restore(state: LiveState): void {
    this.locked = state.locked;
    this.ended = state.ended;
    this.presenterSiteId = state.presenter;
    this.layout = state.layout;
    this.muteNewSites = state.muteNewSites;
    for (const id of state.floor) this.floorSince.set(id, new Date());
    this.chatOff = state.chatOff;
    for (const [target, ids] of [
      [this.floor, state.floor],
      [this.muted, state.muted],
      [this.removed, state.removed],
      [this.admitted, state.admitted],
    ] as const) {
      for (const id of ids) target.add(id);
    }
  }

  /** The decisions changed in a way that must survive reconnections and restarts. */
  save(): void {
    this.onSave(this.snapshot());
  }

  /** The decisions as stored (contract/liveState.ts). */
  snapshot(): LiveState {
    return {
      mode: this.mode,
      locked: this.locked,
      ended: this.ended,
      muteNewSites: this.muteNewSites,
      floor: [...this.floor],
      muted: [...this.muted],
      removed: [...this.removed],
      admitted: [...this.admitted],
      presenter: this.presenterSiteId,
      layout: this.layout,
      chatOff: this.chatOff,
    };
  }

  /** An edge hub's copy takes the home hub's decisions (sfu/span/), with the stage and the floor's times. */
  replicate(state: LiveState, stageSiteId: string | null, floorSince: Record<string, string>): void {
    for (const set of [this.floor, this.muted, this.removed, this.admitted]) set.clear();
    this.floorSince.clear();
    this.mode = state.mode;
    this.restore(state);
    for (const [id, at] of Object.entries(floorSince)) this.floorSince.set(id, new Date(at));
    this.stageSiteId = stageSiteId;
  }

  canSpeak(site: Peer): boolean {
    if (site.isChair) return true;
    if (site.mutedByChair) return false;
    return site.cascade === 'upstream' || this.mode === 'discussion' || this.floor.has(site.id);
  }

  /**
   * Whether the chair's mutes hold `siteId` as it joins: muted by name, or new
   * to the meeting under the "mute all" rule (a site that was in before the
   * rule was muted by name then, or unmuted by name since).
   */
  mutesOnJoin(siteId: string): boolean {
    if (this.muted.has(siteId)) return true;
    return this.muteNewSites && !this.admitted.has(siteId) && !this.floor.has(siteId);
  }

  /** The floor holders with the time each got the floor. */
  floorTimes(): Record<string, string> {
    const times: Record<string, string> = {};
    for (const id of this.floor) times[id] = (this.floorSince.get(id) ?? new Date()).toISOString();
    return times;
  }

  isOnStage(siteId: string): boolean {
    return this.stageSiteId === siteId;
  }
}
