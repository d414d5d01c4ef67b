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

  async setSiteMuted(siteId: string, muted: boolean): Promise<void> {
    const site = this.audience.site(siteId);
    if (site.isChair)
      throw new SignalingError('FORBIDDEN', 'Không thể tắt micro của chủ trì.', 'The chair cannot be muted.');
    await this.mute(site, muted);
    this.decisions.save();
  }

  /** Mutes every site but the chair; answers how many. */
  async muteAll(): Promise<number> {
    let count = 0;
    for (const site of [...this.audience.sites.values()]) {
      if (site.isChair) continue;
      await this.mute(site, true);
      count++;
    }
    this.decisions.save();
    return count;
  }

  private async mute(site: Peer, muted: boolean): Promise<void> {
    site.mutedByChair = muted;
    if (muted) this.decisions.muted.add(site.id);
    else this.decisions.muted.delete(site.id);
    await this.enforceSpeaking(site, !muted);
  }

  /** Gives or takes the floor; in a briefing only one site holds it. */
  async setFloor(siteId: string, granted: boolean): Promise<void> {
    const site = this.audience.site(siteId);
    const { floor } = this.decisions;
    if (granted) {
      if (this.decisions.mode === 'briefing') {
        for (const other of [...floor]) {
          floor.delete(other);
          const holder = this.audience.sites.get(other);
          if (holder) await this.enforceSpeaking(holder, false);
        }
      }
      floor.add(siteId);
      site.mutedByChair = false;
      this.decisions.muted.delete(siteId);
      site.handRaised = false;
    } else {
      floor.delete(siteId);
    }
    await this.enforceSpeaking(site, granted);
    this.decisions.save();
    this.audience.announceMeeting();
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
    site.kick('removed', 'Chủ trì đã mời điểm cầu rời cuộc họp.', 'The chair removed this site from the meeting.');
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
    for (const site of [...this.audience.sites.values()]) if (!site.isChair) await this.enforceSpeaking(site, false);
    this.decisions.save();
    this.audience.announceMeeting();
  }

  /** Pauses or resumes a site's microphone to match what it may do now. */
  private async enforceSpeaking(site: Peer, resumeIfAllowed: boolean): Promise<void> {
    const mic = site.producerFor('mic');
    const allowed = this.decisions.canSpeak(site);
    if (mic && !allowed) await this.producers.setPaused(site, mic, true);
    else if (mic && allowed && resumeIfAllowed) await this.producers.setPaused(site, mic, false);
    this.audience.announceSite(site);
  }
}
