// The chair's controls: muting, the floor, the main stage, removing a site,
// the lock and the meeting's mode. Each decision is recorded (ChairDecisions),
// enforced on the sites' microphones, and announced.
import type { Logger } from 'pino';
import type { MeetingMode } from '../contract/enums.ts';
import type { Admission } from './Admission.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { Peer } from './Peer.ts';
import type { Producers } from './Producers.ts';
import { SignalingError } from './SignalingError.ts';

export class Moderation {
  constructor(
    private readonly meetingId: string,
    private readonly decisions: ChairDecisions,
    private readonly audience: Audience,
    private readonly producers: Producers,
    private readonly admission: Admission,
    private readonly log: Logger,
  ) {}

  // Each control decides first, without yielding (the decisions, stored and
  // announced), then enforces on the microphones. A site's own request that is
  // in flight meanwhile checks the decisions again once it lands (Producers).

  async setSiteMuted(siteId: string, muted: boolean): Promise<void> {
    const site = this.audience.site(siteId);
    if (site.isChair)
      throw new SignalingError('FORBIDDEN', 'Không thể tắt micro của chủ trì.', 'The chair cannot be muted.');
    this.decideMuted(site, muted);
    this.decisions.save();
    await this.enforceSpeaking(site, !muted);
  }

  /**
   * Mutes every site but the chair, and makes it the meeting's rule: a site
   * joining later arrives muted (ChairDecisions.mutesOnJoin). Sites that were
   * in and are away now are muted by name, so they come back muted. Answers how
   * many connected sites it muted.
   */
  async muteAll(): Promise<number> {
    const sites = [...this.audience.sites.values()].filter((site) => !site.isChair);
    const chairs = new Set([...this.audience.sites.values()].filter((site) => site.isChair).map((site) => site.id));
    this.decisions.muteNewSites = true;
    for (const id of this.decisions.admitted) if (!chairs.has(id)) this.decisions.muted.add(id);
    for (const site of sites) this.decideMuted(site, true);
    this.decisions.save();
    this.audience.announceMeeting();
    await Promise.all(sites.map((site) => this.enforceSpeaking(site, false)));
    return sites.length;
  }

  /** Lifts every chair mute and the "mute all" rule; answers how many connected sites it unmuted. */
  async unmuteAll(): Promise<number> {
    const sites = [...this.audience.sites.values()].filter((site) => site.mutedByChair);
    this.decisions.muteNewSites = false;
    this.decisions.muted.clear();
    for (const site of sites) site.mutedByChair = false;
    this.decisions.save();
    this.audience.announceMeeting();
    await Promise.all(sites.map((site) => this.enforceSpeaking(site, true)));
    return sites.length;
  }

  private decideMuted(site: Peer, muted: boolean): void {
    site.mutedByChair = muted;
    if (muted) this.decisions.muted.add(site.id);
    else this.decisions.muted.delete(site.id);
  }

  /** Gives or takes the floor; in a briefing only one site holds it. */
  async setFloor(siteId: string, granted: boolean): Promise<void> {
    const site = this.audience.site(siteId);
    const displaced = granted && this.decisions.mode === 'briefing' ? this.holdersBut(siteId) : [];
    await this.moveFloor(site, granted, displaced);
  }

  /**
   * The speaking queue's next: the connected site whose hand went up first
   * gets the floor, and every other holder gives it up. Answers that site, or
   * null when no hand is up.
   */
  async giveFloorToNext(): Promise<string | null> {
    let next: Peer | undefined;
    for (const site of this.audience.sites.values()) {
      if (site.isChair || !site.handRaisedAt) continue;
      if (!next?.handRaisedAt || site.handRaisedAt < next.handRaisedAt) next = site;
    }
    if (!next) return null;
    await this.moveFloor(next, true, this.holdersBut(next.id));
    return next.id;
  }

  private holdersBut(siteId: string): string[] {
    return [...this.decisions.floor].filter((id) => id !== siteId);
  }

  private async moveFloor(site: Peer, granted: boolean, displaced: string[]): Promise<void> {
    const { floor, floorSince } = this.decisions;
    for (const other of displaced) floor.delete(other);
    if (granted) {
      if (!floor.has(site.id)) floorSince.set(site.id, new Date());
      floor.add(site.id);
      this.decideMuted(site, false);
      site.handRaisedAt = null;
    } else {
      floor.delete(site.id);
    }
    this.decisions.save();
    this.audience.announceMeeting();
    const holders = displaced.flatMap((id) => this.audience.sites.get(id) ?? []);
    await Promise.all([
      ...holders.map((holder) => this.enforceSpeaking(holder, false)),
      this.enforceSpeaking(site, granted),
    ]);
  }

  setStage(siteId: string | null): void {
    const previous = this.decisions.stageSiteId;
    const next = siteId === null ? undefined : this.audience.site(siteId);
    this.decisions.stageSiteId = siteId;
    if (next && !next.isChair) this.audience.introduce(next);
    this.audience.announceMeeting();
    this.log.info({ meetingId: this.meetingId, stage: siteId, previous }, 'stage changed');
  }

  removeSite(siteId: string): void {
    const site = this.audience.site(siteId);
    if (site.isChair)
      throw new SignalingError('FORBIDDEN', 'Không thể mời chủ trì rời cuộc họp.', 'The chair cannot be removed.');
    this.decisions.removed.add(siteId);
    this.decisions.save();
    site.kick('removed');
    this.admission.leave(site, 'removed');
  }

  setLocked(locked: boolean): void {
    this.decisions.locked = locked;
    this.decisions.save();
    this.audience.announceMeeting();
  }

  async setMode(mode: MeetingMode): Promise<void> {
    this.decisions.mode = mode;
    if (mode === 'briefing' && this.decisions.floor.size > 1) this.decisions.floor.clear();
    this.decisions.save();
    this.audience.announceMeeting();
    const sites = [...this.audience.sites.values()].filter((site) => !site.isChair);
    await Promise.all(sites.map((site) => this.enforceSpeaking(site, false)));
  }

  /**
   * Pauses every microphone producer of the site that may not speak now (or
   * resumes them when it may and `resumeIfAllowed`). A site that left
   * meanwhile has nothing left to enforce on.
   */
  async enforceSpeaking(site: Peer, resumeIfAllowed: boolean): Promise<void> {
    if (!this.audience.isPresent(site)) return;
    const allowed = this.decisions.canSpeak(site);
    if (allowed && !resumeIfAllowed) {
      this.audience.announceSite(site);
      return;
    }
    await Promise.all(site.producersOf('mic').map((mic) => this.producers.setPaused(site, mic, !allowed)));
    this.audience.announceSite(site);
  }
}
