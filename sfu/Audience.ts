// The sites connected to a meeting, and who of them is told what.
//
// Traffic is broadcast-shaped, so events are routed by audience
// (contract/receivePlan.ts decides): the chair hears about every site; a site
// hears about the chair, the site on stage and the meeting's state. Every
// other voice reaches a site through the audio slots, announced once at its
// join. A site joining a 300-site meeting thus costs the other sites nothing.
import type { types } from 'mediasoup';
import { hearsOf, type PlanMeeting } from '../contract/receivePlan.ts';
import type { LinkStats, MeetingState, PeerInfo, ProducerInfo, ServerEvents } from '../contract/signaling.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import { AUDIO_LEVEL_INTERVAL_MS } from './MediaPlanes.ts';
import type { Peer, ProducerAppData } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';
import { SpeakerDetector, type SpeakerLevel } from './SpeakerDetector.ts';
import type { SpanSide } from './span/SpanSide.ts';

type EventPayload<E extends keyof ServerEvents> = Parameters<ServerEvents[E]>[0];

/** How long a site must stay the loudest to become the active speaker. */
const SPEAKER_HOLD_MS = 800;

export function producerInfo(producer: types.Producer<ProducerAppData>): ProducerInfo {
  return {
    producerId: producer.id,
    peerId: producer.appData.peerId,
    kind: producer.kind,
    source: producer.appData.source,
    paused: producer.paused,
  };
}

export class Audience {
  /** The connected sites by id (a site whose link dropped stays until it resumes or gives up). */
  readonly sites = new Map<string, Peer>();
  private readonly speakers = new SpeakerDetector(SPEAKER_HOLD_MS);
  /** The chair's audio levels: the latest merged list, when it was last sent, the send waiting. */
  private levels: SpeakerLevel[] = [];
  private levelsSentAt = 0;
  private levelsTimer: NodeJS.Timeout | null = null;
  /** The meeting's side across hubs, when it spans several (sfu/span/); told of every change of a site. */
  span: SpanSide | null = null;

  constructor(
    private readonly decisions: ChairDecisions,
    /** The meeting's state as every site sees it. */
    private readonly meetingState: () => MeetingState,
  ) {}

  /** The connected site `siteId`; NOT_FOUND when it is not in the meeting. */
  site(siteId: string): Peer {
    const site = this.sites.get(siteId);
    if (!site)
      throw new SignalingError('NOT_FOUND', 'Điểm cầu không có trong cuộc họp.', 'That site is not in the meeting.');
    return site;
  }

  /** Whether `site` is still this meeting's connection for its id (not gone, not replaced). */
  isPresent(site: Peer): boolean {
    return this.sites.get(site.id) === site;
  }

  add(site: Peer): void {
    this.sites.set(site.id, site);
  }

  remove(site: Peer): void {
    this.sites.delete(site.id);
    this.speakers.forgetPeer(site.id);
  }

  info(site: Peer): PeerInfo {
    return site.info(this.decisions.canSpeak(site));
  }

  /** The meeting as receive plans see it: who chairs, who is on stage, who presents, the layout. */
  planMeeting(): PlanMeeting {
    let chairSiteId: string | null = null;
    for (const site of this.sites.values()) if (site.isChair) chairSiteId = site.id;
    const { stageSiteId, presenterSiteId, layout } = this.decisions;
    return { chairSiteId, stageSiteId, presenterSiteId, layout };
  }

  toAll<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>, except?: Peer): void {
    for (const site of this.sites.values()) if (site !== except) site.connection.notify(event, payload);
  }

  toChair<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>): void {
    for (const site of this.sites.values()) if (site.isChair) site.connection.notify(event, payload);
  }

  /** The sites that hear of `subject` (the chair always; the others when it chairs or is on stage). */
  aboutSite<E extends keyof ServerEvents>(subject: Peer, event: E, payload: EventPayload<E>, except?: Peer): void {
    // The chair is still the chair while its own departure is announced.
    const meeting = subject.isChair ? { ...this.planMeeting(), chairSiteId: subject.id } : this.planMeeting();
    for (const site of this.sites.values()) {
      if (site !== except && hearsOf(site, meeting, subject.id)) site.connection.notify(event, payload);
    }
  }

  /** The sites and producers a newly joined site should know about. */
  snapshotFor(viewer: Peer): { peers: PeerInfo[]; producers: ProducerInfo[] } {
    const meeting = this.planMeeting();
    const peers: PeerInfo[] = [];
    const producers: ProducerInfo[] = [];
    for (const site of this.sites.values()) {
      if (!hearsOf(viewer, meeting, site.id)) continue;
      peers.push(this.info(site));
      for (const producer of site.producers.values()) producers.push(producerInfo(producer));
    }
    return { peers, producers };
  }

  /** Sites (the chair knows already) learn about `site`, now on stage, and its producers. */
  introduce(site: Peer): void {
    for (const viewer of this.sites.values()) {
      if (viewer.isChair || viewer === site) continue;
      viewer.connection.notify('peerJoined', { peer: this.info(site) });
      for (const producer of site.producers.values()) viewer.connection.notify('newProducer', producerInfo(producer));
    }
  }

  announceSite(site: Peer): void {
    const info = this.info(site);
    this.aboutSite(site, 'peerUpdated', { peer: info }, site);
    site.connection.notify('selfUpdated', { peer: info });
    this.span?.siteChanged(site);
  }

  /** Whether no site is left: none connected here (an edge: the home's sites are not its own), or none at all. */
  empty(localOnly: boolean): boolean {
    // A site linked from another deployment (sfu/cascade/) never keeps the meeting open on its own.
    return ![...this.sites.values()].some((site) => site.cascade === null && !(localOnly && site.remote));
  }

  announceMeeting(): void {
    this.toAll('meetingUpdated', { meeting: this.meetingState() });
    this.span?.meetingChanged();
  }

  raiseHand(site: Peer, raised: boolean): void {
    // Raising again keeps the place in the queue.
    if (!raised) site.handRaisedAt = null;
    else site.handRaisedAt ??= new Date();
    this.announceSite(site);
  }

  reportLink(site: Peer, link: LinkStats): void {
    site.link = link;
    // Link figures change every few seconds for every site: the chair only.
    this.toChair('peerUpdated', { peer: this.info(site) });
    this.span?.siteChanged(site);
  }

  /** One router's audible microphones: levels to the chair, the active speaker to all. */
  hearLevels(plane: number, levels: SpeakerLevel[]): void {
    const now = Date.now();
    for (const level of levels) {
      const site = this.sites.get(level.peerId);
      if (site) site.heardAt = now;
    }
    const { levels: merged, dominant } = this.speakers.report(plane, levels);
    this.levels = merged;
    this.levelsToChair(now);
    if (dominant) this.toAll('activeSpeaker', { peerId: dominant });
  }

  /**
   * Every router reports every 0.4 s, each on its own clock: the chair gets the
   * merged list at that pace (the latest when it goes), not once per router.
   */
  private levelsToChair(now: number): void {
    if (this.levelsTimer) return;
    const send = () => {
      this.levelsTimer = null;
      this.levelsSentAt = Date.now();
      this.toChair('audioLevels', { levels: this.levels });
    };
    const wait = this.levelsSentAt + AUDIO_LEVEL_INTERVAL_MS - now;
    if (wait > 0) {
      this.levelsTimer = setTimeout(send, wait);
      this.levelsTimer.unref();
    } else {
      send();
    }
  }

  /** A router is gone with its worker: its levels no longer count. */
  forgetPlane(plane: number): void {
    this.speakers.forgetPlane(plane);
  }
}
