// A live meeting on the SFU: its routers, the sites connected to it, who may
// speak, what is on the main stage, and the chair's controls.
//
// A meeting spans every worker of the host: each site's transports go to the
// least-loaded worker, and a producer is piped (pipeToRouter) to another
// worker's router the first time a site there consumes it. The chair's stream
// thus crosses once per worker, not once per site. See docs/scaling.md.
//
// Traffic is broadcast-shaped, so events are routed by audience: the chair
// (control) hears about every site; a site hears about the chair, the site on
// stage, everyone's audio, and the meeting's state. That keeps a 300-site join
// from becoming 300 × 300 notifications.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { MeetingMode } from '../contract/enums.ts';
import type { JoinClaims } from '../contract/joinToken.ts';
import type { LiveState } from '../contract/liveState.ts';
import type {
  ConsumerOptions,
  MediaSource,
  MeetingState,
  PeerInfo,
  ProducerInfo,
  ServerEvents,
  TransportDirection,
  TransportOptions,
} from '../contract/signaling.ts';
import type { LinkDecision, LinkGuardOptions } from './LinkGuard.ts';
import { mediaCodecs } from './mediaCodecs.ts';
import {
  type ConsumerAppData,
  Peer,
  type PeerConnection,
  type ProducerAppData,
  type TransportAppData,
} from './Peer.ts';
import { SignalingError } from './SignalingError.ts';
import { SpeakerDetector, type SpeakerLevel } from './SpeakerDetector.ts';
import type { PoolWorker, WorkerPool } from './WorkerPool.ts';

export interface MeetingRoomHooks {
  /** `at` when the event happened earlier than now (a site that never came back left when its link dropped). */
  onPresence(meetingId: string, siteId: string, event: 'joined' | 'left', at?: Date): void;
  /** The chair changed something that must survive reconnections and restarts. */
  onLiveState(meetingId: string, state: LiveState): void;
  onEnded(meetingId: string): void;
  onClosed(room: MeetingRoom): void;
}

export interface MeetingRoomOptions {
  meetingId: string;
  mode: MeetingMode;
  maxSites: number;
  /** What the chair decided before the hub restarted (null for a fresh meeting). */
  restored?: LiveState | null;
  /** How long a site whose connection dropped keeps its media, waiting for it to resume. */
  resumeGraceMs: number;
  pool: WorkerPool;
  log: Logger;
  hooks: MeetingRoomHooks;
  /** Bitrate a site's WebRTC transport starts at before estimation settles. */
  initialOutgoingBitrate: number;
  /** Weak-link thresholds and timings (sfu/LinkGuard.ts defaults when absent). */
  linkGuard?: LinkGuardOptions;
}

/** Simulcast layers the clients send (0 = thumbnail … 2 = main stage). */
const MAX_SPATIAL_LAYER = 2;
/** How often audio-only sites are checked for a video retry. */
const LINK_PROBE_MS = 2000;
/** How often each router reports its audible microphones (levels to the chair, speaker detection). */
const AUDIO_LEVEL_INTERVAL_MS = 400;
/** Microphones quieter than this (dBov) are not reported. */
const AUDIO_LEVEL_THRESHOLD_DB = -70;
/** How long a site must stay the loudest to become the active speaker. */
const SPEAKER_HOLD_MS = 800;

interface OwnedProducer {
  peer: Peer;
  producer: types.Producer<ProducerAppData>;
}

type EventPayload<E extends keyof ServerEvents> = Parameters<ServerEvents[E]>[0];

interface MediaPlane {
  worker: PoolWorker;
  router: types.Router;
  audioLevels: types.AudioLevelObserver;
}

export class MeetingRoom {
  readonly id: string;
  readonly peers = new Map<string, Peer>();
  private mode: MeetingMode;
  private readonly maxSites: number;
  private locked = false;
  private stageSiteId: string | null = null;
  private readonly floor = new Set<string>();
  private readonly muted = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly admitted = new Set<string>();
  private ended = false;
  /** One router (with its observers) per worker the meeting uses, by worker index. */
  private readonly planes = new Map<number, Promise<MediaPlane>>();
  /** Every producer of the meeting with its owner, by id (consume and demand look them up). */
  private readonly producers = new Map<string, OwnedProducer>();
  /** Consumers of each producer, by producer id (who watches a video source). */
  private readonly viewers = new Map<string, Set<types.Consumer<ConsumerAppData>>>();
  /** Workers each producer has been piped to: producerId → worker indexes. */
  private readonly pipes = new Map<string, Map<number, Promise<void>>>();
  private homeIndex = 0;
  private readonly speakers = new SpeakerDetector(SPEAKER_HOLD_MS);

  private readonly linkProbe: NodeJS.Timeout;

  private constructor(private readonly options: MeetingRoomOptions) {
    this.id = options.meetingId;
    this.mode = options.restored?.mode ?? options.mode;
    this.maxSites = options.maxSites;
    this.restore(options.restored);
    this.linkProbe = setInterval(() => this.probeWeakLinks(), LINK_PROBE_MS);
    this.linkProbe.unref();
  }

  static async create(options: MeetingRoomOptions): Promise<MeetingRoom> {
    const room = new MeetingRoom(options);
    const home = await options.pool.leastLoaded();
    room.homeIndex = home.index;
    await room.planeAt(home.index);
    return room;
  }

  private restore(state: LiveState | null | undefined): void {
    if (!state) return;
    this.locked = state.locked;
    this.ended = state.ended;
    for (const [target, ids] of [
      [this.floor, state.floor],
      [this.muted, state.muted],
      [this.removed, state.removed],
      [this.admitted, state.admitted],
    ] as const) {
      for (const id of ids) target.add(id);
    }
  }

  private liveState(): LiveState {
    return {
      mode: this.mode,
      locked: this.locked,
      ended: this.ended,
      floor: [...this.floor],
      muted: [...this.muted],
      removed: [...this.removed],
      admitted: [...this.admitted],
    };
  }

  private saveLiveState(): void {
    this.options.hooks.onLiveState(this.id, this.liveState());
  }

  get log(): Logger {
    return this.options.log;
  }

  /** The worker the meeting opened on. */
  get workerIndex(): number {
    return this.homeIndex;
  }

  /** The meeting's router on its home worker (every router has the same capabilities). */
  async homeRouter(): Promise<types.Router> {
    return (await this.planeAt(this.homeIndex)).router;
  }

  /** Worker indexes this meeting has routers on. */
  get workerIndexes(): number[] {
    return [...this.planes.keys()].sort();
  }

  get routerRtpCapabilities(): types.RtpCapabilities {
    return this.rtpCapabilities;
  }

  private rtpCapabilities!: types.RtpCapabilities;

  // -------------------------------------------------------------------------
  // Media plane

  /** The meeting's router on worker `index`, created on first use. */
  private planeAt(index: number): Promise<MediaPlane> {
    let plane = this.planes.get(index);
    if (!plane) {
      plane = this.buildPlane(index);
      this.planes.set(index, plane);
      plane.catch(() => this.planes.delete(index));
    }
    return plane;
  }

  private async buildPlane(index: number): Promise<MediaPlane> {
    const worker = await this.options.pool.at(index);
    const router = await worker.worker.createRouter({ mediaCodecs, appData: { meetingId: this.id } });
    this.rtpCapabilities ??= router.rtpCapabilities;
    const audioLevels = await router.createAudioLevelObserver({
      maxEntries: 16,
      threshold: AUDIO_LEVEL_THRESHOLD_DB,
      interval: AUDIO_LEVEL_INTERVAL_MS,
    });
    audioLevels.on('volumes', (volumes) =>
      this.onAudioLevels(
        index,
        volumes.map((v) => ({ peerId: (v.producer.appData as ProducerAppData).peerId, volume: v.volume })),
      ),
    );
    audioLevels.on('silence', () => this.onAudioLevels(index, []));
    router.on('workerclose', () => this.onWorkerDied(index));
    return { worker, router, audioLevels };
  }

  private onAudioLevels(plane: number, levels: SpeakerLevel[]): void {
    const { levels: merged, dominant } = this.speakers.report(plane, levels);
    this.toControl('audioLevels', { levels: merged });
    if (dominant) this.toAll('activeSpeaker', { peerId: dominant });
  }

  /**
   * A worker carrying part of this meeting died: the sites placed on it lost
   * their transports, producers and consumers (consumers elsewhere of their
   * producers are closed by mediasoup). Tell those sites to re-create their
   * media; the router is rebuilt on the replacement worker when they do.
   */
  private onWorkerDied(index: number): void {
    this.planes.delete(index);
    this.speakers.forgetPlane(index);
    for (const workers of this.pipes.values()) workers.delete(index);
    if (this.ended) return;
    this.log.warn({ meetingId: this.id, worker: index }, 'meeting lost a worker; its sites re-create media');
    for (const peer of this.peers.values()) {
      if (peer.workerIndex !== index) continue;
      peer.transports.clear();
      peer.producers.clear();
      peer.consumers.clear();
      peer.connection.notify('mediaReset', { reason: 'worker-died' });
    }
  }

  /** The plane a site's media lives on. */
  private async planeOf(peer: Peer): Promise<MediaPlane> {
    try {
      return await this.planeAt(peer.workerIndex);
    } catch {
      throw new SignalingError('MEDIA_UNAVAILABLE');
    }
  }

  /** Makes `producerId` (living on `from`) consumable on worker `to`. */
  private pipe(producerId: string, from: number, to: number): Promise<void> {
    if (from === to) return Promise.resolve();
    let workers = this.pipes.get(producerId);
    if (!workers) {
      workers = new Map();
      this.pipes.set(producerId, workers);
    }
    let piping = workers.get(to);
    if (!piping) {
      const target = workers;
      piping = (async () => {
        const [source, destination] = await Promise.all([this.planeAt(from), this.planeAt(to)]);
        const { pipeProducer } = await source.router.pipeToRouter({ producerId, router: destination.router });
        pipeProducer?.observer.once('close', () => target.delete(to));
      })();
      piping.catch(() => target.delete(to));
      workers.set(to, piping);
    }
    return piping;
  }

  // -------------------------------------------------------------------------
  // Audiences

  private isOnStage(peerId: string): boolean {
    return this.stageSiteId === peerId;
  }

  /** Whether a site (not the chair) needs to hear about `subject`. */
  private siteCares(subject: Peer | undefined, kind?: types.MediaKind): boolean {
    if (kind === 'audio') return true;
    return subject !== undefined && (subject.isChair || this.isOnStage(subject.id));
  }

  private toAll<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>, except?: Peer): void {
    for (const peer of this.peers.values()) if (peer !== except) peer.connection.notify(event, payload);
  }

  private toControl<E extends keyof ServerEvents>(event: E, payload: EventPayload<E>): void {
    for (const peer of this.peers.values()) if (peer.isChair) peer.connection.notify(event, payload);
  }

  /** Control always; sites only when the subject concerns them. */
  private aboutPeer<E extends keyof ServerEvents>(
    subject: Peer | undefined,
    event: E,
    payload: EventPayload<E>,
    options: { except?: Peer; kind?: types.MediaKind } = {},
  ): void {
    const sitesToo = this.siteCares(subject, options.kind);
    for (const peer of this.peers.values()) {
      if (peer === options.except) continue;
      if (peer.isChair || sitesToo) peer.connection.notify(event, payload);
    }
  }

  // -------------------------------------------------------------------------
  // State

  canSpeak(peer: Peer): boolean {
    if (peer.isChair) return true;
    if (peer.mutedByChair) return false;
    return this.mode === 'discussion' || this.floor.has(peer.id);
  }

  peerInfo(peer: Peer): PeerInfo {
    return peer.info(this.canSpeak(peer));
  }

  state(): MeetingState {
    const chair = [...this.peers.values()].find((p) => p.isChair);
    return {
      meetingId: this.id,
      mode: this.mode,
      locked: this.locked,
      stageSiteId: this.stageSiteId,
      floor: [...this.floor],
      chairSiteId: chair?.id ?? null,
      maxSites: this.maxSites,
      connectedSites: this.peers.size,
    };
  }

  private producerInfo(producer: types.Producer<ProducerAppData>): ProducerInfo {
    return {
      producerId: producer.id,
      peerId: producer.appData.peerId,
      kind: producer.kind,
      source: producer.appData.source,
      paused: producer.paused,
    };
  }

  /** The peers and producers a newly joined peer should know about. */
  snapshotFor(viewer: Peer): { peers: PeerInfo[]; producers: ProducerInfo[] } {
    const peers: PeerInfo[] = [];
    const producers: ProducerInfo[] = [];
    for (const peer of this.peers.values()) {
      if (peer === viewer) continue;
      if (viewer.isChair || this.siteCares(peer)) peers.push(this.peerInfo(peer));
      for (const producer of peer.producers.values()) {
        if (viewer.isChair || this.siteCares(peer, producer.kind)) producers.push(this.producerInfo(producer));
      }
    }
    return { peers, producers };
  }

  private announcePeer(peer: Peer): void {
    const info = this.peerInfo(peer);
    this.aboutPeer(peer, 'peerUpdated', { peer: info }, { except: peer });
    peer.connection.notify('selfUpdated', { peer: info });
  }

  private announceMeeting(): void {
    this.toAll('meetingUpdated', { meeting: this.state() });
  }

  // -------------------------------------------------------------------------
  // Joining and leaving

  /** Admits a site with a verified token; a second connection of the same room replaces the first. */
  async admit(claims: JoinClaims, connection: PeerConnection): Promise<Peer> {
    // Place first (it may wait for a restarting worker), then check and insert
    // without yielding, so concurrent joins cannot overshoot the cap.
    const worker = await this.options.pool.placeSite();
    try {
      this.checkAdmission(claims);
    } catch (err) {
      this.options.pool.releaseSite(worker.index);
      throw err;
    }
    const previous = this.peers.get(claims.roomId);
    if (previous) {
      previous.kick('replaced', 'Điểm cầu đã kết nối từ một cửa sổ khác.', 'This site connected from another window.');
      this.detach(previous, 'replaced');
    }
    const peer = new Peer(
      claims.roomId,
      claims.displayName,
      claims.role,
      connection,
      worker.index,
      this.options.linkGuard,
    );
    peer.mutedByChair = this.muted.has(peer.id);
    this.peers.set(peer.id, peer);
    if (!this.admitted.has(peer.id)) {
      this.admitted.add(peer.id);
      if (this.locked) this.saveLiveState();
    }
    this.aboutPeer(peer, 'peerJoined', { peer: this.peerInfo(peer) }, { except: peer });
    if (peer.isChair) this.announceMeeting();
    this.options.hooks.onPresence(this.id, peer.id, 'joined');
    return peer;
  }

  /** The chair always gets in; a reconnecting site takes its own place back. */
  private checkAdmission(claims: JoinClaims): void {
    if (this.ended) throw new SignalingError('MEETING_ENDED');
    if (this.removed.has(claims.roomId)) throw new SignalingError('REMOVED');
    if (claims.role === 'chair' || this.peers.has(claims.roomId)) return;
    // A lock keeps new sites out, not a site whose link dropped for a moment.
    if (this.locked && !this.admitted.has(claims.roomId)) throw new SignalingError('MEETING_LOCKED');
    if (this.peers.size >= this.maxSites) {
      throw new SignalingError(
        'MEETING_FULL',
        `Cuộc họp đã đủ ${this.maxSites} điểm cầu tối đa. Liên hệ phòng điều khiển.`,
        `The meeting already has its maximum of ${this.maxSites} sites. Contact the control room.`,
      );
    }
  }

  /**
   * The site's connection dropped without a goodbye: keep its transports,
   * producers and consumers for the grace period so it can resume with an ICE
   * restart instead of rebuilding everything; the chair sees it reconnecting.
   * Events meanwhile are not sent; the resume answer carries a fresh snapshot.
   */
  suspend(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer || peer.away) return;
    peer.goAway(this.options.resumeGraceMs, () => this.leave(peer, 'disconnected'));
    this.announcePeer(peer);
  }

  /**
   * The same site is back over a new connection and names its kept transports:
   * it takes its media back. Null when there is nothing to resume (the grace
   * period ran out, a worker restart took the transports): the caller admits it afresh.
   */
  resume(claims: JoinClaims, connection: PeerConnection, transportIds: string[]): Peer | null {
    const peer = this.peers.get(claims.roomId);
    if (!peer || peer.role !== claims.role || this.ended) return null;
    if (!transportIds.every((id) => peer.transports.has(id))) return null;
    peer.comeBack(connection);
    this.announcePeer(peer);
    return peer;
  }

  /** Removes a peer and its media; closes the room when the last one leaves. */
  leave(peer: Peer, reason: 'left' | 'disconnected' | 'removed'): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.detach(peer, reason);
    if (this.peers.size === 0 && !this.ended) this.close();
  }

  private detach(peer: Peer, reason: 'left' | 'disconnected' | 'removed' | 'replaced'): void {
    peer.stopWaiting();
    peer.closeMedia();
    this.options.pool.releaseSite(peer.workerIndex);
    this.peers.delete(peer.id);
    // The floor survives a dropped link; leaving or being removed gives it up.
    if ((reason === 'left' || reason === 'removed') && this.floor.delete(peer.id)) this.saveLiveState();
    this.speakers.forgetPeer(peer.id);
    const stageChanged = this.isOnStage(peer.id);
    if (stageChanged) this.stageSiteId = null;
    this.aboutPeer(peer, 'peerLeft', { peerId: peer.id, reason });
    if (stageChanged || peer.isChair) this.announceMeeting();
    if (reason !== 'replaced') this.options.hooks.onPresence(this.id, peer.id, 'left', peer.awaySince ?? undefined);
  }

  close(): void {
    clearInterval(this.linkProbe);
    for (const peer of [...this.peers.values()]) {
      peer.stopWaiting();
      peer.closeMedia();
      this.options.pool.releaseSite(peer.workerIndex);
    }
    this.peers.clear();
    for (const plane of this.planes.values()) plane.then((p) => p.router.close()).catch(() => {});
    this.planes.clear();
    this.options.hooks.onClosed(this);
  }

  // -------------------------------------------------------------------------
  // Transports

  async createTransport(peer: Peer, direction: TransportDirection): Promise<TransportOptions> {
    const { router, worker } = await this.planeOf(peer);
    for (const existing of peer.transports.values()) {
      if (existing.appData.direction === direction) existing.close();
    }
    const transport = await router.createWebRtcTransport<TransportAppData>({
      webRtcServer: worker.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: this.options.initialOutgoingBitrate,
      appData: { direction },
    });
    peer.transports.set(transport.id, transport);
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    return {
      id: transport.id,
      direction,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates as TransportOptions['iceCandidates'],
      dtlsParameters: transport.dtlsParameters as TransportOptions['dtlsParameters'],
    };
  }

  transportOf(peer: Peer, transportId: string): types.WebRtcTransport<TransportAppData> {
    const transport = peer.transports.get(transportId);
    if (!transport) throw new SignalingError('NOT_FOUND', 'Không tìm thấy kết nối truyền tải.', 'No such transport.');
    return transport;
  }

  // -------------------------------------------------------------------------
  // Producers

  async produce(
    peer: Peer,
    request: {
      transportId: string;
      kind: types.MediaKind;
      source: MediaSource;
      rtpParameters: types.RtpParameters;
      paused?: boolean;
    },
  ): Promise<{ producerId: string; paused: boolean }> {
    const { audioLevels } = await this.planeOf(peer);
    const transport = this.transportOf(peer, request.transportId);
    if (transport.appData.direction !== 'send') {
      throw new SignalingError('BAD_REQUEST', 'Kết nối này chỉ dùng để nhận.', 'That transport is for receiving.');
    }
    const expectedKind = request.source === 'mic' ? 'audio' : 'video';
    if (request.kind !== expectedKind) {
      throw new SignalingError(
        'BAD_REQUEST',
        `Nguồn ${request.source} phải là ${expectedKind}.`,
        `Source ${request.source} must be ${expectedKind}.`,
      );
    }
    peer.producerFor(request.source)?.close();
    const held = request.source === 'mic' && !this.canSpeak(peer);
    const producer = await transport.produce<ProducerAppData>({
      kind: request.kind,
      rtpParameters: request.rtpParameters,
      paused: request.paused === true || held,
      appData: { peerId: peer.id, source: request.source, wanted: true },
    });
    peer.producers.set(producer.id, producer);
    this.producers.set(producer.id, { peer, producer });
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      this.producers.delete(producer.id);
      this.viewers.delete(producer.id);
      this.pipes.delete(producer.id);
      if (this.peers.get(peer.id) === peer) {
        this.aboutPeer(peer, 'producerClosed', { producerId: producer.id, peerId: peer.id }, { kind: producer.kind });
      }
    });
    if (producer.kind === 'audio') {
      await audioLevels.addProducer({ producerId: producer.id });
    }
    this.aboutPeer(peer, 'newProducer', this.producerInfo(producer), { except: peer, kind: producer.kind });
    this.announcePeer(peer);
    // Nobody consumes it yet: let the owner hold a video source until someone does.
    queueMicrotask(() => this.updateDemand(producer.id));
    return { producerId: producer.id, paused: producer.paused };
  }

  producerOf(peer: Peer, producerId: string): types.Producer<ProducerAppData> {
    const producer = peer.producers.get(producerId);
    if (!producer) throw new SignalingError('NOT_FOUND', 'Không tìm thấy luồng phát.', 'No such producer.');
    return producer;
  }

  async setProducerPaused(peer: Peer, producer: types.Producer<ProducerAppData>, paused: boolean): Promise<void> {
    if (producer.paused === paused) return;
    if (paused) await producer.pause();
    else await producer.resume();
    const event = paused ? 'producerPaused' : 'producerResumed';
    this.aboutPeer(peer, event, { producerId: producer.id, peerId: peer.id }, { kind: producer.kind });
    this.announcePeer(peer);
  }

  /** A site asks to open or close its own microphone or camera. */
  async requestProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const producer = this.producerOf(peer, producerId);
    if (!paused && producer.appData.source === 'mic' && !this.canSpeak(peer)) {
      throw new SignalingError(
        'FORBIDDEN',
        peer.mutedByChair
          ? 'Chủ trì đã tắt micro của điểm cầu. Hãy giơ tay xin phát biểu.'
          : 'Chủ trì chưa cho điểm cầu phát biểu. Hãy giơ tay xin phát biểu.',
        peer.mutedByChair
          ? 'The chair muted this site. Raise your hand to ask for the floor.'
          : 'The chair has not given this site the floor. Raise your hand to ask for it.',
      );
    }
    await this.setProducerPaused(peer, producer, paused);
  }

  // -------------------------------------------------------------------------
  // Consumers

  async consume(peer: Peer, producerId: string): Promise<ConsumerOptions> {
    if (!peer.rtpCapabilities) {
      throw new SignalingError(
        'CANNOT_CONSUME',
        'Hãy gửi khả năng thu phát (setRtpCapabilities) trước.',
        'Send setRtpCapabilities first.',
      );
    }
    const owner = this.findProducer(producerId);
    if (!owner)
      throw new SignalingError('NOT_FOUND', 'Luồng phát không còn tồn tại.', 'That producer no longer exists.');
    await this.pipe(producerId, owner.peer.workerIndex, peer.workerIndex);
    const { router } = await this.planeOf(peer);
    if (!router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new SignalingError('CANNOT_CONSUME');
    }
    const transport = peer.recvTransport();
    if (!transport) {
      throw new SignalingError('BAD_REQUEST', 'Hãy tạo kết nối nhận (recv) trước.', 'Create a recv transport first.');
    }
    const consumer = await transport.consume<ConsumerAppData>({
      producerId,
      rtpCapabilities: peer.rtpCapabilities,
      paused: true,
      appData: { peerId: owner.peer.id, clientPaused: true, requestedSpatial: MAX_SPATIAL_LAYER },
    });
    this.trackConsumer(peer, consumer);
    return {
      id: consumer.id,
      producerId,
      peerId: owner.peer.id,
      kind: consumer.kind,
      source: owner.producer.appData.source,
      rtpParameters: consumer.rtpParameters as ConsumerOptions['rtpParameters'],
      type: consumer.type,
      producerPaused: consumer.producerPaused,
    };
  }

  private trackConsumer(peer: Peer, consumer: types.Consumer<ConsumerAppData>): void {
    const { producerId } = consumer;
    peer.consumers.set(consumer.id, consumer);
    let viewers = this.viewers.get(producerId);
    if (!viewers) {
      viewers = new Set();
      this.viewers.set(producerId, viewers);
    }
    viewers.add(consumer);
    consumer.observer.once('close', () => {
      peer.consumers.delete(consumer.id);
      this.viewers.get(producerId)?.delete(consumer);
      this.updateDemand(producerId);
    });
    consumer.on('producerclose', () => {
      peer.connection.notify('consumerClosed', { consumerId: consumer.id, producerId });
      consumer.close();
    });
    consumer.on('layerschange', (layers) =>
      peer.connection.notify('consumerLayersChanged', {
        consumerId: consumer.id,
        spatialLayer: layers?.spatialLayer ?? null,
      }),
    );
    if (consumer.kind === 'video')
      consumer.on('score', ({ score }) => this.applyLink(peer, peer.linkGuard.sample(score)));
  }

  consumerOf(peer: Peer, consumerId: string): types.Consumer<ConsumerAppData> {
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SignalingError('NOT_FOUND', 'Không tìm thấy luồng nhận.', 'No such consumer.');
    return consumer;
  }

  /** The site shows or hides a tile: its wish, combined with what its link allows. */
  async setConsumerPaused(peer: Peer, consumerId: string, paused: boolean): Promise<void> {
    const consumer = this.consumerOf(peer, consumerId);
    consumer.appData.clientPaused = paused;
    await this.applyConsumer(peer, consumer);
  }

  async setPreferredLayer(peer: Peer, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = this.consumerOf(peer, consumerId);
    consumer.appData.requestedSpatial = spatialLayer;
    await this.applyConsumer(peer, consumer, temporalLayer);
  }

  /** Makes a consumer match the site's wishes within its link's current cap. */
  private async applyConsumer(
    peer: Peer,
    consumer: types.Consumer<ConsumerAppData>,
    temporalLayer?: number,
  ): Promise<void> {
    const { spatialCap } = peer.linkGuard.decision;
    const audioOnly = consumer.kind === 'video' && spatialCap === null;
    const paused = consumer.appData.clientPaused || audioOnly;
    if (consumer.closed) return;
    if (paused && !consumer.paused) await consumer.pause();
    if (!paused && consumer.paused) await consumer.resume();
    if (consumer.kind === 'video' && consumer.type === 'simulcast' && spatialCap !== null) {
      await consumer.setPreferredLayers({
        spatialLayer: Math.min(consumer.appData.requestedSpatial, spatialCap),
        temporalLayer,
      });
    }
    this.updateDemand(consumer.producerId);
  }

  /** Applies a weak-link decision to every video consumer of the site. */
  private applyLink(peer: Peer, decision: LinkDecision | null): void {
    if (!decision || this.peers.get(peer.id) !== peer) return;
    this.log.info({ meetingId: this.id, siteId: peer.id, ...decision }, 'site link changed');
    for (const consumer of peer.consumers.values()) {
      if (consumer.kind === 'video') this.applyConsumer(peer, consumer).catch(() => {});
    }
    this.announcePeer(peer);
  }

  /** Audio-only sites try video again after a while (LinkGuard decides when). */
  private probeWeakLinks(): void {
    for (const peer of this.peers.values()) this.applyLink(peer, peer.linkGuard.tick());
  }

  /**
   * A video producer nobody watches is paused at its source: the owner is told
   * to stop sending it (and to start again when a viewer appears), which
   * spares the uplink of a site whose tile is off every screen.
   */
  private updateDemand(producerId: string): void {
    const owner = this.findProducer(producerId);
    if (owner?.producer.kind !== 'video') return; // audio is never paused at its source
    const wanted = [...(this.viewers.get(producerId) ?? [])].some((consumer) => !consumer.paused);
    if (owner.producer.appData.wanted === wanted) return;
    owner.producer.appData.wanted = wanted;
    owner.peer.connection.notify('mediaDemand', { producerId, wanted });
  }

  private findProducer(producerId: string): OwnedProducer | undefined {
    return this.producers.get(producerId);
  }

  // -------------------------------------------------------------------------
  // Site state

  raiseHand(peer: Peer, raised: boolean): void {
    peer.handRaised = raised;
    this.announcePeer(peer);
  }

  reportLinkStats(peer: Peer, link: Peer['link']): void {
    peer.link = link;
    // Link figures change every few seconds for every site: control only.
    const info = this.peerInfo(peer);
    this.toControl('peerUpdated', { peer: info });
  }

  // -------------------------------------------------------------------------
  // Chair controls

  site(siteId: string): Peer {
    const peer = this.peers.get(siteId);
    if (!peer)
      throw new SignalingError('NOT_FOUND', 'Điểm cầu không có trong cuộc họp.', 'That site is not in the meeting.');
    return peer;
  }

  /** Pauses or resumes a site's microphone to match what it may do now. */
  private async enforceSpeaking(peer: Peer, resumeIfAllowed: boolean): Promise<void> {
    const mic = peer.producerFor('mic');
    const allowed = this.canSpeak(peer);
    if (mic && !allowed) await this.setProducerPaused(peer, mic, true);
    else if (mic && allowed && resumeIfAllowed) await this.setProducerPaused(peer, mic, false);
    this.announcePeer(peer);
  }

  async setSiteMuted(siteId: string, muted: boolean): Promise<void> {
    const peer = this.site(siteId);
    if (peer.isChair)
      throw new SignalingError('FORBIDDEN', 'Không thể tắt micro của chủ trì.', 'The chair cannot be muted.');
    await this.muteSite(peer, muted);
    this.saveLiveState();
  }

  async muteAll(): Promise<number> {
    let count = 0;
    for (const peer of [...this.peers.values()]) {
      if (peer.isChair) continue;
      await this.muteSite(peer, true);
      count++;
    }
    this.saveLiveState();
    return count;
  }

  private async muteSite(peer: Peer, muted: boolean): Promise<void> {
    peer.mutedByChair = muted;
    if (muted) this.muted.add(peer.id);
    else this.muted.delete(peer.id);
    await this.enforceSpeaking(peer, !muted);
  }

  async setFloor(siteId: string, granted: boolean): Promise<void> {
    const peer = this.site(siteId);
    if (granted) {
      if (this.mode === 'briefing') {
        for (const other of [...this.floor]) {
          this.floor.delete(other);
          const holder = this.peers.get(other);
          if (holder) await this.enforceSpeaking(holder, false);
        }
      }
      this.floor.add(siteId);
      peer.mutedByChair = false;
      this.muted.delete(siteId);
      peer.handRaised = false;
    } else {
      this.floor.delete(siteId);
    }
    await this.enforceSpeaking(peer, granted);
    this.saveLiveState();
    this.announceMeeting();
  }

  setStage(siteId: string | null): void {
    const previous = this.stageSiteId ? this.peers.get(this.stageSiteId) : undefined;
    const next = siteId === null ? undefined : this.site(siteId);
    this.stageSiteId = siteId;
    // Sites learn about the new stage peer and its video so they can consume it.
    if (next && !next.isChair) {
      for (const peer of this.peers.values()) {
        if (peer.isChair || peer === next) continue;
        peer.connection.notify('peerJoined', { peer: this.peerInfo(next) });
        for (const producer of next.producers.values()) {
          if (producer.kind === 'video') peer.connection.notify('newProducer', this.producerInfo(producer));
        }
      }
    }
    this.announceMeeting();
    this.log.info({ meetingId: this.id, stage: siteId, previous: previous?.id ?? null }, 'stage changed');
  }

  removeSite(siteId: string): void {
    const peer = this.site(siteId);
    if (peer.isChair)
      throw new SignalingError('FORBIDDEN', 'Không thể mời chủ trì rời cuộc họp.', 'The chair cannot be removed.');
    this.removed.add(siteId);
    this.saveLiveState();
    peer.kick('removed', 'Chủ trì đã mời điểm cầu rời cuộc họp.', 'The chair removed this site from the meeting.');
    this.leave(peer, 'removed');
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.saveLiveState();
    this.announceMeeting();
  }

  async setMode(mode: MeetingMode): Promise<void> {
    this.mode = mode;
    if (mode === 'briefing' && this.floor.size > 1) this.floor.clear();
    for (const peer of [...this.peers.values()]) if (!peer.isChair) await this.enforceSpeaking(peer, false);
    this.saveLiveState();
    this.announceMeeting();
  }

  end(): void {
    this.ended = true;
    this.saveLiveState();
    for (const peer of [...this.peers.values()]) {
      peer.kick('ended', 'Cuộc họp đã kết thúc.', 'The meeting has ended.');
      this.detach(peer, 'left');
    }
    this.options.hooks.onEnded(this.id);
    this.close();
  }
}
