// The meeting's presentation (contract/presentation.ts): who may present, who
// asks to, and the content producers of the presenter. One presentation at a
// time: the chair always may present (taking over from a site that does); a
// site presents once the chair allows it; the chair ends anyone's. The grant is
// a stored decision (ChairDecisions), so a presenter whose link drops, or who
// comes back after a hub restart, shares again without asking; it ends when the
// presenter stops, the chair stops it, or the presenter leaves for good. On
// an edge hub of a meeting that spans hubs the home decides: a site's request
// and its stop go there (`atHome`, sfu/span/PresentingAcrossHubs.ts) and the
// home's answer comes back with its decisions (`followHome`).
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { PresentationEvent, PresentationState } from '../contract/presentation.ts';
import { isContentSource, type MediaSource } from '../contract/signaling.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { Peer, ProducerAppData } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';

type Reason = NonNullable<PresentationEvent['reason']>;
export type PresentationNote = Omit<PresentationEvent, 'meetingId' | 'at'>;

/** An edge hub's sites ask the home hub, which holds the meeting's presentation. */
export interface PresentationAtHome {
  request(site: Peer, requested: boolean): Promise<void>;
  stop(site: Peer): Promise<void>;
}

export class Presentation {
  /** On an edge hub: the home decides who asks and who presents. */
  atHome: PresentationAtHome | null = null;

  constructor(
    private readonly meetingId: string,
    private readonly decisions: ChairDecisions,
    private readonly audience: Audience,
    /** For the meeting's audit trail. */
    private readonly onEvent: (event: PresentationNote) => void,
    private readonly log: Logger,
  ) {}

  state(): PresentationState {
    const { presenterSiteId } = this.decisions;
    const presenter = presenterSiteId === null ? undefined : this.audience.sites.get(presenterSiteId);
    return {
      presenterSiteId,
      live: presenter !== undefined && presenter.producersOf('screen').length > 0,
      requests: [...this.decisions.presentRequests],
    };
  }

  /** A site asks to present, or withdraws its request. */
  request(site: Peer, requested: boolean): Promise<void> | undefined {
    if (this.atHome) return this.atHome.request(site, requested);
    if (site.isChair) {
      throw new SignalingError(
        'BAD_REQUEST',
        'Chủ trì trình chiếu trực tiếp, không cần xin phép.',
        'The chair presents directly; it does not ask.',
      );
    }
    const { presentRequests } = this.decisions;
    if (requested === presentRequests.has(site.id) || (requested && this.decisions.presenterSiteId === site.id)) return;
    if (requested) presentRequests.add(site.id);
    else presentRequests.delete(site.id);
    this.note(requested ? 'requested' : 'withdrawn', site, site.id);
    this.audience.announceMeeting();
  }

  /** The chair allows a site to present (ending the current presentation) or turns its request down. */
  answer(chair: Peer, siteId: string, allowed: boolean): void {
    const site = this.audience.site(siteId);
    this.decisions.presentRequests.delete(siteId);
    if (allowed && this.decisions.presenterSiteId !== siteId) {
      this.end('replaced', chair);
      this.grant(site);
    }
    this.audience.announceMeeting();
  }

  /** The presenter ends its presentation, or the chair ends anyone's. */
  stop(site: Peer): Promise<void> | undefined {
    if (this.atHome) return this.atHome.stop(site);
    const { presenterSiteId } = this.decisions;
    if (presenterSiteId === null) return;
    if (!site.isChair && presenterSiteId !== site.id) {
      throw new SignalingError(
        'FORBIDDEN',
        'Chỉ điểm cầu đang trình chiếu hoặc chủ trì được dừng trình chiếu.',
        'Only the presenting site or the chair can stop the presentation.',
      );
    }
    this.end(site.isChair && presenterSiteId !== site.id ? 'chair' : 'presenter', site);
    this.audience.announceMeeting();
  }

  /**
   * A site is about to send a content source: the presenter may, the chair
   * may (taking the presentation over); any other site is refused.
   */
  admit(site: Peer, source: MediaSource): void {
    if (!isContentSource(source) || this.decisions.presenterSiteId === site.id) return;
    if (!site.isChair) {
      throw new SignalingError(
        'FORBIDDEN',
        'Chủ trì chưa cho phép điểm cầu trình chiếu. Hãy xin trình chiếu.',
        'The chair has not allowed this site to present. Ask to present.',
      );
    }
    this.end('replaced', site);
    this.grant(site);
  }

  /** After the worker's answer: content produced by a site no longer allowed is closed at once. */
  confirm(site: Peer, producer: types.Producer<ProducerAppData>): void {
    if (!isContentSource(producer.appData.source) || this.decisions.presenterSiteId === site.id) return;
    producer.close();
    throw new SignalingError(
      'FORBIDDEN',
      'Chủ trì đã dừng trình chiếu của điểm cầu.',
      "The chair stopped this site's presentation.",
    );
  }

  /** The presenter's content went on the air (or off it): every site shows it as the main picture. */
  contentChanged(site: Peer, source: MediaSource, opened: boolean): void {
    if (source !== 'screen' || this.decisions.presenterSiteId !== site.id) return;
    if (opened) {
      // Edges leave the audit trail to the home (MeetingRoom), which sees an edge presenter's content arrive.
      this.note('started', site, site.id);
      if (this.decisions.layout.kind !== 'content') this.setLayoutKind('content');
    }
    this.audience.announceMeeting();
  }

  /** A site left the meeting for good: its request goes, and its presentation ends. */
  siteLeft(siteId: string): void {
    const asked = this.decisions.presentRequests.delete(siteId);
    if (this.decisions.presenterSiteId !== siteId) {
      if (asked) this.audience.announceMeeting();
      return;
    }
    this.end('left', null);
    this.audience.announceMeeting();
  }

  /**
   * On an edge hub, the home's decisions arrived (`formerPresenter` held the
   * grant before them): its requests, and a site of this hub allowed to present
   * made known to the others, or no longer allowed, its content closed here
   * (the home closed its copy; the site is told, producerClosed).
   */
  followHome(formerPresenter: string | null, requests: string[]): void {
    this.decisions.presentRequests.clear();
    for (const id of requests) this.decisions.presentRequests.add(id);
    const { presenterSiteId } = this.decisions;
    if (presenterSiteId === formerPresenter) return;
    const granted = presenterSiteId === null ? undefined : this.audience.sites.get(presenterSiteId);
    if (granted && !granted.remote && !granted.isChair) this.audience.introduce(granted);
    const former = formerPresenter === null ? undefined : this.audience.sites.get(formerPresenter);
    if (!former || former.remote) return;
    for (const producer of [...former.producers.values()]) {
      if (isContentSource(producer.appData.source)) producer.close();
    }
  }

  private grant(site: Peer): void {
    this.decisions.presenterSiteId = site.id;
    this.decisions.save();
    // The sites hear of the presenter from now on (contract/receivePlan.ts): its producers, then its content.
    if (!site.isChair) this.audience.introduce(site);
    this.log.info({ meetingId: this.meetingId, siteId: site.id }, 'site may present');
  }

  /** Ends the current presentation, if any: its content producers close (the sites drop them). */
  private end(reason: Reason, by: Peer | null): void {
    const { presenterSiteId } = this.decisions;
    if (presenterSiteId === null) return;
    const presenter = this.audience.sites.get(presenterSiteId);
    // Closed while the sites still hear of the presenter, so they are told (producerClosed).
    for (const producer of [...(presenter?.producers.values() ?? [])]) {
      if (isContentSource(producer.appData.source)) producer.close();
    }
    this.decisions.presenterSiteId = null;
    if (this.decisions.layout.kind === 'content') this.decisions.layout = { ...this.decisions.layout, kind: 'speaker' };
    this.decisions.save();
    const actor = by ?? presenter;
    this.onEvent({
      kind: 'stopped',
      by: { roomId: actor?.id ?? presenterSiteId, userId: actor?.userId ?? null },
      siteId: presenterSiteId,
      reason,
    });
    this.log.info({ meetingId: this.meetingId, siteId: presenterSiteId, reason }, 'presentation ended');
  }

  private setLayoutKind(kind: 'content'): void {
    this.decisions.layout = { ...this.decisions.layout, kind };
    this.decisions.save();
  }

  private note(kind: PresentationNote['kind'], by: Peer, siteId: string): void {
    this.onEvent({ kind, by: { roomId: by.id, userId: by.userId }, siteId });
  }
}
