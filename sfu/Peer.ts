// One connected site (điểm cầu) in a meeting: its transports, producers and
// consumers, and the state the chair sees on the status board.
import type { types } from 'mediasoup';
import type { SiteRole } from '../contract/enums.ts';
import {
  KICK_REASONS,
  type KickReason,
  type LinkStats,
  type MediaSource,
  type PeerInfo,
  type ServerEvents,
  type SiteAlarm,
} from '../contract/signaling.ts';
import { LinkGuard, type LinkGuardOptions } from './LinkGuard.ts';
import { SerialQueue } from './SerialQueue.ts';
import { SignalingError } from './SignalingError.ts';

/** How a meeting talks back to the site's connection (socket.io in production). */
export interface PeerConnection {
  notify<E extends keyof ServerEvents>(event: E, payload: Parameters<ServerEvents[E]>[0]): void;
  /** Ends the connection after a kick; the site's page shows why. */
  disconnect(): void;
  /**
   * A site that mixes what it hears outside its consumers (a SIP leg, sfu/sip/MeetingMixes.ts) is told
   * here that it now feeds audio slot `slot` (or no longer does); resolves once it cannot hear the slot.
   */
  excludeSelf?(slot: number, excluded: boolean): Promise<void>;
  /**
   * A site of another hub (sfu/span/) is told the highest simulcast layer its
   * watched camera is wanted at here, so that only that layer crosses the pipe.
   */
  layerDemand?(producerId: string, spatialLayer: number): void;
}

/** Where events for a site whose connection dropped go: nowhere (it gets a snapshot when it resumes). */
const OFFLINE: PeerConnection = { notify: () => {}, disconnect: () => {} };

export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
  /** Whether any site watches this (video) producer; its owner is told on change. */
  wanted: boolean;
  /** The highest spatial layer its viewers here want, last told to an owner on another hub. */
  layer?: number;
}

export interface ConsumerAppData extends types.AppData {
  /** The site that owns the consumed producer; null for an audio slot. */
  peerId: string | null;
  /** The audio slot consumed, or null for a site's own producer. */
  slot: number | null;
  /** The viewing site paused it (tile off screen); the link guard may pause it too. */
  clientPaused: boolean;
  /** The viewing site feeds this audio slot: it must not hear itself. */
  selfExcluded: boolean;
  /** The state last asked of the worker (consumer.paused lags until the worker answers). */
  serverPaused: boolean;
  /** The spatial layer the viewing site asked for; the link guard may cap it. */
  requestedSpatial: number;
  /** That layer within the link guard's cap: what the site can show now (a camera from another hub crosses at the highest). */
  shownSpatial?: number;
  /** Shared content: a weak link loses its frames, never its resolution (sfu/Consumers.ts). */
  content: boolean;
}

export interface TransportAppData extends types.AppData {
  direction: 'send' | 'recv';
}

export class Peer {
  readonly joinedAt = new Date();
  /** WebRTC transports for a browser; plain and direct ones for a SIP room system (sfu/sip/SipLeg.ts). */
  readonly transports = new Map<string, types.Transport<TransportAppData>>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  /** The site's signaling requests, one at a time (sfu/signaling.ts), whichever connection sends them. */
  readonly requests = new SerialQueue();
  /** The user who asked for the join token the site came in (or last resumed) with; null when it named none. */
  userId: string | null = null;
  /** Out of the meeting, its media closed: what an in-flight request creates for it must be closed at once. */
  released = false;
  rtpCapabilities: types.RtpCapabilities | undefined;
  /** When the site raised its hand; null while it is down. */
  handRaisedAt: Date | null = null;
  mutedByChair = false;
  /** The alarms on now (sfu/SiteAlarms.ts). */
  alarms: SiteAlarm[] = [];
  /**
   * A site of another deployment whose media arrives over a cascade pipe
   * (sfu/cascade/): 'upstream' is the meeting relayed into this one (heard,
   * like the chair, whatever the mode and floor, unless the chair mutes it);
   * 'downstream' the site a linked deployment sends back. Null: a site here.
   */
  cascade: 'upstream' | 'downstream' | null = null;
  /** When the hub last heard the site's microphone above the audio-level threshold (ms since epoch). */
  heardAt = 0;
  link: LinkStats | null = null;
  /** Set while the site's connection is down and its media is kept for it (see Admission.suspend). */
  private awayTimer: NodeJS.Timeout | null = null;
  /** When the connection dropped, while away: attendance ends there if the site never comes back. */
  awaySince: Date | null = null;

  constructor(
    readonly id: string,
    readonly displayName: string,
    readonly role: SiteRole,
    /** Replaced when the site resumes over a new connection. */
    public connection: PeerConnection,
    /** The worker this site's transports live on (kept across a worker restart). */
    readonly workerIndex: number,
    linkGuardOptions?: LinkGuardOptions,
  ) {
    this.linkGuard = new LinkGuard(linkGuardOptions);
  }

  /** Turns this site's receive quality into a cap on its video layers (weak links). */
  readonly linkGuard: LinkGuard;

  get away(): boolean {
    return this.awayTimer !== null;
  }

  /** The connection dropped: events go nowhere until it is back; `onGiveUp` runs if it is not back in `graceMs`. */
  goAway(graceMs: number, onGiveUp: () => void): void {
    this.connection = OFFLINE;
    this.awaySince = new Date();
    this.awayTimer = setTimeout(() => {
      this.awayTimer = null;
      onGiveUp();
    }, graceMs);
    this.awayTimer.unref();
  }

  /** Back over a new connection; the old one may not know yet that it is dead, so it is closed quietly. */
  comeBack(connection: PeerConnection): void {
    this.stopWaiting();
    this.awaySince = null;
    this.connection.disconnect();
    this.connection = connection;
  }

  /** Stops waiting for a dropped connection (the site is back, or leaves for good). */
  stopWaiting(): void {
    if (this.awayTimer) clearTimeout(this.awayTimer);
    this.awayTimer = null;
  }

  /** Whether the site's connection and media live on another hub of the deployment (sfu/span/RemoteSite.ts). */
  get remote(): boolean {
    return false;
  }

  get isChair(): boolean {
    return this.role === 'chair';
  }

  transport(transportId: string): types.Transport<TransportAppData> {
    const transport = this.transports.get(transportId);
    if (!transport) throw new SignalingError('NOT_FOUND', 'Không tìm thấy kết nối truyền tải.', 'No such transport.');
    return transport;
  }

  /** The site's WebRTC transport `transportId` (what a browser connects and restarts). */
  webRtcTransport(transportId: string): types.WebRtcTransport<TransportAppData> {
    const transport = this.transport(transportId);
    if (!('iceParameters' in transport)) {
      throw new SignalingError('BAD_REQUEST', 'Kết nối này không phải WebRTC.', 'That transport is not a WebRTC one.');
    }
    return transport as types.WebRtcTransport<TransportAppData>;
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    const producer = this.producers.get(producerId);
    if (!producer) throw new SignalingError('NOT_FOUND', 'Không tìm thấy luồng phát.', 'No such producer.');
    return producer;
  }

  consumer(consumerId: string): types.Consumer<ConsumerAppData> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new SignalingError('NOT_FOUND', 'Không tìm thấy luồng nhận.', 'No such consumer.');
    return consumer;
  }

  producerFor(source: MediaSource): types.Producer<ProducerAppData> | undefined {
    return this.producersOf(source)[0];
  }

  /** Every open producer of `source` (one, as produce replaces; enforcement pauses them all regardless). */
  producersOf(source: MediaSource): types.Producer<ProducerAppData>[] {
    return [...this.producers.values()].filter((producer) => producer.appData.source === source && !producer.closed);
  }

  isSending(source: MediaSource): boolean {
    const producer = this.producerFor(source);
    return producer !== undefined && !producer.paused;
  }

  recvTransport(): types.Transport<TransportAppData> | undefined {
    for (const transport of this.transports.values()) if (transport.appData.direction === 'recv') return transport;
    return undefined;
  }

  info(canSpeak: boolean): PeerInfo {
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      joinedAt: this.joinedAt.toISOString(),
      micOn: this.isSending('mic'),
      cameraOn: this.isSending('camera'),
      handRaised: this.handRaisedAt !== null,
      handRaisedAt: this.handRaisedAt?.toISOString() ?? null,
      mutedByChair: this.mutedByChair,
      canSpeak,
      link: this.link,
      linkState: this.linkGuard.decision.state,
      connection: this.away ? 'reconnecting' : 'online',
      alarms: this.alarms,
    };
  }

  /** Tells the site why it is out of the meeting, then ends its connection. */
  kick(reason: KickReason): void {
    const [message, messageEn] = KICK_REASONS[reason];
    this.connection.notify('kicked', { reason, message, messageEn });
    this.connection.disconnect();
  }

  /** Closes every transport (and with them producers and consumers), for good. */
  closeMedia(): void {
    this.released = true;
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
