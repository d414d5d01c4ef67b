// The sites connected to a meeting, and who of them is told what.
//
// Traffic is broadcast-shaped, so events are routed by audience: the chair
// hears about every site; a site hears about the chair, the site on stage,
// everyone's audio, and the meeting's state. That keeps a 300-site join from
// becoming 300 × 300 notifications.
import type { types } from 'mediasoup';
import type { LinkStats, MeetingState, PeerInfo, ProducerInfo, ServerEvents } from '../contract/signaling.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { Peer, ProducerAppData } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';
import { SpeakerDetector, type SpeakerLevel } from './SpeakerDetector.ts';

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

  /** Whether a site (not the chair) needs to hear about `subject`. */
  private siteCares(subject: Peer | undefined, kind?: types.MediaKind): boolean {
    if (kind === 'audio') return true;
    return subject !== undefined && (subject.isChair || this.decisions.isOnStage(subject.id));
  }

  toAll<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>, except?: Peer): void {
    for (const site of this.sites.values()) if (site !== except) site.connection.notify(event, payload);
  }

  toChair<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>): void {
    for (const site of this.sites.values()) if (site.isChair) site.connection.notify(event, payload);
  }

  /** The chair always; sites only when the subject concerns them. */
  aboutSite<E extends keyof ServerEvents>(
    subject: Peer | undefined,
    event: E,
    payload: EventPayload<E>,
    options: { except?: Peer; kind?: types.MediaKind } = {},
  ): void {
    const sitesToo = this.siteCares(subject, options.kind);
    for (const site of this.sites.values()) {
      if (site === options.except) continue;
      if (site.isChair || sitesToo) site.connection.notify(event, payload);
    }
  }

  /** The sites and producers a newly joined site should know about. */
  snapshotFor(viewer: Peer): { peers: PeerInfo[]; producers: ProducerInfo[] } {
    const peers: PeerInfo[] = [];
    const producers: ProducerInfo[] = [];
    for (const site of this.sites.values()) {
      if (site === viewer) continue;
      if (viewer.isChair || this.siteCares(site)) peers.push(this.info(site));
      for (const producer of site.producers.values()) {
        if (viewer.isChair || this.siteCares(site, producer.kind)) producers.push(producerInfo(producer));
      }
    }
    return { peers, producers };
  }

  /** Sites (the chair knows already) learn about `site` and its video so they can consume it. */
  introduce(site: Peer): void {
    for (const viewer of this.sites.values()) {
      if (viewer.isChair || viewer === site) continue;
      viewer.connection.notify('peerJoined', { peer: this.info(site) });
      for (const producer of site.producers.values()) {
        if (producer.kind === 'video') viewer.connection.notify('newProducer', producerInfo(producer));
      }
    }
  }

  announceSite(site: Peer): void {
    const info = this.info(site);
    this.aboutSite(site, 'peerUpdated', { peer: info }, { except: site });
    site.connection.notify('selfUpdated', { peer: info });
  }

  announceMeeting(): void {
    this.toAll('meetingUpdated', { meeting: this.meetingState() });
  }

  raiseHand(site: Peer, raised: boolean): void {
    site.handRaised = raised;
    this.announceSite(site);
  }

  reportLink(site: Peer, link: LinkStats): void {
    site.link = link;
    // Link figures change every few seconds for every site: the chair only.
    this.toChair('peerUpdated', { peer: this.info(site) });
  }

  /** One router's audible microphones: levels to the chair, the active speaker to all. */
  hearLevels(plane: number, levels: SpeakerLevel[]): void {
    const { levels: merged, dominant } = this.speakers.report(plane, levels);
    this.toChair('audioLevels', { levels: merged });
    if (dominant) this.toAll('activeSpeaker', { peerId: dominant });
  }

  /** A router is gone with its worker: its levels no longer count. */
  forgetPlane(plane: number): void {
    this.speakers.forgetPlane(plane);
  }
}
