// One site's connection to a meeting: socket.io signaling (contract/signaling.ts),
// the mediasoup-client Device, a send and a recv transport, our mic and camera
// producers, and the consumers of what this page shows. No React here: screens
// drive it through its methods and read it through events and the store.
//
// Media choices (see docs/client.md):
// - the camera is sent as 3 simulcast layers from a 1280×720 capture; a site
//   that is not on the main stage keeps only the two lower layers active, so
//   a commune link is not spent on a picture nobody views in full;
// - thumbnails ask for spatial layer 0, the main stage for the highest;
// - a video consumer exists only while a tile on screen wants it, and is
//   paused when no tile shows it; audio is consumed for every open mic;
// - lost signaling or a failed ICE path are repaired automatically, with a
//   visible state: socket.io reconnects, a fresh join token names the kept
//   transports so the hub hands the media back (ICE restart, nothing rebuilt)
//   or, past its grace period, admits the site afresh and media is rebuilt.
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpEncodingParameters, Transport } from 'mediasoup-client/types';
import { io, type Socket } from 'socket.io-client';
import type { ErrorBody } from '../../contract/errors.ts';
import {
  type Ack,
  type ClientEvents,
  type JoinResult,
  type LinkStats,
  type MeetingState,
  type PeerInfo,
  type ProducerInfo,
  type RequestName,
  type RequestPayload,
  type ResponseMap,
  type ServerEvents,
  SIGNALING_PATH,
  type TransportOptions,
} from '../../contract/signaling.ts';
import { MeetingStore } from '../meeting/MeetingStore.ts';
import { Emitter } from './Emitter.ts';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'left' | 'failed';
export type VideoLayer = 'thumb' | 'stage';
export type KickReason = 'removed' | 'replaced' | 'ended';

export class SignalingFailure extends Error {
  readonly code: ErrorBody['code'];
  readonly messageEn: string;
  constructor(body: ErrorBody) {
    super(body.message);
    this.code = body.code;
    this.messageEn = body.messageEn;
  }
}

export interface MeetingConnectionEvents {
  state: (state: ConnectionState) => void;
  self: (self: PeerInfo) => void;
  meeting: (meeting: MeetingState) => void;
  /** A remote video track appeared or went for a peer. */
  tracks: () => void;
  kicked: (e: { reason: KickReason; message: string; messageEn: string }) => void;
  error: (e: ErrorBody) => void;
  link: (link: LinkStats) => void;
  activeSpeaker: (peerId: string | null) => void;
}

/** Simulcast for the camera: 320×180, 640×360, 1280×720 from a 1280×720 capture. */
export const CAMERA_ENCODINGS: RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];
export const TOP_LAYER = CAMERA_ENCODINGS.length - 1;
/** Spatial layer the consumer of a tile asks for. */
export const LAYER_FOR: Record<VideoLayer, number> = { thumb: 0, stage: TOP_LAYER };

export const CAPTURE_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25, max: 30 } },
};

export type SignalingSocket = Socket<ServerEvents, ClientEvents>;

export interface MeetingConnectionOptions {
  /** Fetches a fresh join token (the first join and every rejoin after a lost connection). */
  getToken: () => Promise<string>;
  /** Hub origin; defaults to the page's. */
  url?: string;
  store?: MeetingStore;
  /** For tests: build the socket and the device. */
  socketFactory?: (url: string) => SignalingSocket;
  deviceFactory?: () => Device;
  /** Where remote audio elements go; defaults to a hidden div on document.body. */
  audioContainer?: HTMLElement;
  requestTimeoutMs?: number;
  statsIntervalMs?: number;
  /**
   * 'relay' sends media only through the TURN server (sites behind strict
   * NAT, and the TURN test); defaults to localStorage 'diemcau.iceTransportPolicy', else 'all'.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** localStorage key an operator (or a test) sets to 'relay' to force media through TURN. */
export const ICE_POLICY_KEY = 'diemcau.iceTransportPolicy';

function storedIcePolicy(): RTCIceTransportPolicy {
  try {
    return globalThis.localStorage?.getItem(ICE_POLICY_KEY) === 'relay' ? 'relay' : 'all';
  } catch {
    return 'all';
  }
}

interface RemoteMedia {
  producer: ProducerInfo;
  consumer: Consumer | null;
  consuming: Promise<void> | null;
  serverPaused: boolean;
  layer: number | null;
  audioEl?: HTMLAudioElement;
}

export class MeetingConnection extends Emitter<MeetingConnectionEvents> {
  readonly store: MeetingStore;
  state: ConnectionState = 'idle';
  self: PeerInfo | null = null;
  meeting: MeetingState | null = null;
  lastError: ErrorBody | null = null;
  kickedBy: KickReason | null = null;
  link: LinkStats | null = null;

  private socket: SignalingSocket | null = null;
  private device: Device | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  private micProducer: Producer | null = null;
  private cameraProducer: Producer | null = null;
  private remote = new Map<string, RemoteMedia>();
  private wants = new Map<string, { peerId: string; layer: VideoLayer }>();
  private local: MediaStream | null = null;
  private wantMic = true;
  private wantCamera = true;
  /** The hub tells us whether anyone views our camera (mediaDemand); no viewer, no sending. */
  private cameraDemanded = true;
  private joined = false;
  private closed = false;
  private rejoining: Promise<void> | null = null;
  private reconcileQueued = false;
  private reconcileChain: Promise<void> = Promise.resolve();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private iceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastBytes: { at: number; sent: number; recv: number; lost: number; received: number } | null = null;
  private audioBox: HTMLElement | null = null;
  /** TURN servers from the last join, kept for transports re-created after a worker loss. */
  private iceServers: RTCIceServer[] = [];

  constructor(private readonly opts: MeetingConnectionOptions) {
    super();
    this.store = opts.store ?? new MeetingStore();
  }

  // ---------------------------------------------------------------------------
  // Lifecycle

  /** Joins with the given local camera+mic stream (from the pre-join check). */
  async start(local: MediaStream | null): Promise<void> {
    this.local = local;
    this.setState('connecting');
    const url = this.opts.url ?? globalThis.location?.origin ?? '';
    const socket =
      this.opts.socketFactory?.(url) ??
      (io(url, {
        path: SIGNALING_PATH,
        transports: ['websocket'],
        reconnectionDelay: 500,
        reconnectionDelayMax: 4000,
        autoConnect: true,
      }) as SignalingSocket);
    this.socket = socket;
    this.bindSocket(socket);
    await new Promise<void>((resolve, reject) => {
      if (socket.connected) return resolve();
      const onConnect = () => {
        socket.off('connect_error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        // socket.io keeps retrying; report the first failure so the screen can name it.
        socket.off('connect', onConnect);
        reject(err);
      };
      socket.once('connect', onConnect);
      socket.once('connect_error', onError);
    }).catch((err: Error) => {
      this.fail({
        code: 'INTERNAL',
        message: `Không có đường tới máy chủ (${err.message}). Kiểm tra mạng rồi thử lại.`,
        messageEn: `No route to the server (${err.message}). Check the network and retry.`,
      });
      throw err;
    });
    await this.joinAndSetUp();
  }

  async leave(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.socket?.connected && this.joined) {
      await this.request('leave', {}).catch(() => undefined);
    }
    this.teardown();
    this.setState('left');
  }

  // ---------------------------------------------------------------------------
  // Local media controls

  get micOn(): boolean {
    return Boolean(this.micProducer && !this.micProducer.paused);
  }

  get cameraOn(): boolean {
    return Boolean(this.cameraProducer && this.wantCamera);
  }

  get localStream(): MediaStream | null {
    return this.local;
  }

  async setMicEnabled(on: boolean): Promise<void> {
    this.wantMic = on;
    const p = this.micProducer;
    if (!p) return;
    if (on) {
      await this.request('resumeProducer', { producerId: p.id }); // refused while muted by the chair
      p.resume();
    } else {
      p.pause();
      await this.request('pauseProducer', { producerId: p.id });
    }
    this.emit('self', this.self as PeerInfo);
  }

  async setCameraEnabled(on: boolean): Promise<void> {
    this.wantCamera = on;
    const p = this.cameraProducer;
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = on;
    if (!p) return;
    this.applyCameraSending();
    await this.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: p.id });
    this.emit('self', this.self as PeerInfo);
  }

  /** Sends camera RTP only when the room wants its camera on and somebody watches it. */
  private applyCameraSending(): void {
    const p = this.cameraProducer;
    if (!p || p.closed) return;
    const send = this.wantCamera && this.cameraDemanded;
    if (send && p.paused) p.resume();
    else if (!send && !p.paused) p.pause();
  }

  async raiseHand(raised: boolean): Promise<void> {
    await this.request('raiseHand', { raised });
  }

  /** Swaps the camera or microphone track (device change) without renegotiating. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const p = track.kind === 'audio' ? this.micProducer : this.cameraProducer;
    if (this.local) {
      for (const old of this.local.getTracks().filter((t) => t.kind === track.kind)) {
        this.local.removeTrack(old);
        old.stop();
      }
      this.local.addTrack(track);
    }
    await p?.replaceTrack({ track });
  }

  // ---------------------------------------------------------------------------
  // Chair controls (the hub refuses them from a site)

  chair<
    N extends
      | 'setSiteMuted'
      | 'muteAll'
      | 'setFloor'
      | 'setStage'
      | 'removeSite'
      | 'setLocked'
      | 'setMode'
      | 'endMeeting',
  >(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    return this.request(name, payload);
  }

  // ---------------------------------------------------------------------------
  // Remote video: tiles say what they show; the connection consumes to match.

  /** A tile on screen shows this peer's camera at this size. Returns the release function. */
  want(tileId: string, peerId: string, layer: VideoLayer): () => void {
    this.wants.set(tileId, { peerId, layer });
    this.scheduleReconcile();
    return () => {
      if (this.wants.get(tileId)?.peerId === peerId) this.wants.delete(tileId);
      this.scheduleReconcile();
    };
  }

  videoTrack(peerId: string): MediaStreamTrack | null {
    for (const r of this.remote.values()) {
      if (r.producer.peerId === peerId && r.producer.kind === 'video' && r.consumer && !r.consumer.closed) {
        return r.consumer.track;
      }
    }
    return null;
  }

  /** Has a camera producer (known to this page) for the peer. */
  hasVideo(peerId: string): boolean {
    for (const r of this.remote.values()) if (r.producer.peerId === peerId && r.producer.kind === 'video') return true;
    return false;
  }

  /** Debug/test view of what this page consumes. */
  describeConsumers(): { peerId: string; kind: string; paused: boolean; layer: number | null }[] {
    return [...this.remote.values()]
      .filter((r) => r.consumer && !r.consumer.closed)
      .map((r) => ({
        peerId: r.producer.peerId,
        kind: r.producer.kind,
        paused: (r.consumer as Consumer).paused,
        layer: r.layer,
      }));
  }

  // ---------------------------------------------------------------------------
  // Signaling

  async request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    const withTimeout = socket.timeout(this.opts.requestTimeoutMs ?? 15_000) as unknown as {
      emitWithAck(ev: string, p: unknown): Promise<Ack<ResponseMap[N]>>;
    };
    const res = await withTimeout.emitWithAck(name, payload);
    if (!res.ok) throw new SignalingFailure(res.error);
    return res.data;
  }

  private bindSocket(socket: SignalingSocket): void {
    const store = this.store;
    socket.on('disconnect', (reason) => {
      this.joined = false;
      if (this.closed || this.kickedBy) return;
      this.setState('reconnecting');
      // The server closed the socket on purpose: socket.io will not reconnect by itself.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect', () => {
      if (this.state === 'reconnecting' && !this.closed && !this.kickedBy) void this.rejoin();
    });
    socket.on('peerJoined', ({ peer }) => store.peerJoined(peer));
    socket.on('peerUpdated', ({ peer }) => store.peerUpdated(peer));
    socket.on('peerLeft', ({ peerId, reason }) => {
      store.peerLeft(peerId, reason);
      if (reason !== 'replaced') this.dropPeer(peerId);
    });
    socket.on('newProducer', (p) => this.addProducer(p));
    socket.on('producerPaused', ({ producerId }) => this.onProducerPaused(producerId, true));
    socket.on('producerResumed', ({ producerId }) => this.onProducerPaused(producerId, false));
    socket.on('producerClosed', ({ producerId }) => this.removeProducer(producerId));
    socket.on('consumerClosed', ({ producerId }) => this.removeProducer(producerId));
    socket.on('consumerLayersChanged', () => {});
    socket.on('activeSpeaker', ({ peerId }) => {
      store.setActiveSpeaker(peerId);
      this.emit('activeSpeaker', peerId);
    });
    socket.on('audioLevels', ({ levels }) => store.setLevels(levels));
    socket.on('meetingUpdated', ({ meeting }) => this.onMeeting(meeting));
    socket.on('selfUpdated', ({ peer }) => this.onSelf(peer));
    socket.on('kicked', (e) => {
      this.kickedBy = e.reason;
      this.emit('kicked', e);
      this.teardown();
      this.setState('left');
    });
    socket.on('mediaDemand', ({ producerId, wanted }) => {
      if (this.cameraProducer?.id !== producerId) return;
      this.cameraDemanded = wanted;
      this.applyCameraSending();
    });
    socket.on('mediaReset', () => {
      void this.rebuildMedia();
    });
  }

  private async joinAndSetUp(): Promise<void> {
    let token: string;
    try {
      token = await this.opts.getToken();
    } catch (err) {
      const e = err as { message?: string; messageEn?: string };
      this.fail({ code: 'TOKEN_INVALID', message: e.message ?? String(err), messageEn: e.messageEn ?? String(err) });
      throw err;
    }
    // Transports kept from before a dropped connection: the hub may still hold
    // their media for us (its resume grace period), so ask to take it back.
    const kept = [this.sendTransport, this.recvTransport].filter((t) => t && !t.closed).map((t) => (t as Transport).id);
    let result: JoinResult;
    try {
      result = await this.request('join', kept.length > 0 ? { token, resume: { transportIds: kept } } : { token });
    } catch (err) {
      this.closeMedia();
      if (err instanceof SignalingFailure) {
        this.fail({ code: err.code, message: err.message, messageEn: err.messageEn });
        if (['MEETING_LOCKED', 'MEETING_ENDED', 'REMOVED', 'MEETING_FULL', 'TOKEN_INVALID'].includes(err.code)) {
          this.closed = true;
          this.socket?.disconnect();
        }
      }
      throw err;
    }
    this.joined = true;
    this.self = result.self;
    this.meeting = result.meeting;
    this.store.reset(result.meeting, result.peers, result.producers, result.self);
    this.emit('meeting', result.meeting);
    if (result.resumed) await this.resumeMedia(result);
    else await this.startMediaAfresh(result);
    this.onSelf(this.self);
    this.setState('online');
    this.startStats();
    this.scheduleReconcile();
  }

  /** A fresh admission: whatever media we had is gone on the hub; build it all. */
  private async startMediaAfresh(result: JoinResult): Promise<void> {
    this.closeMedia();
    for (const r of this.remote.values()) this.closeRemote(r);
    this.remote.clear();
    for (const p of result.producers) this.addProducer(p, false);
    await this.setUpMedia(result);
  }

  /**
   * The hub kept our media while the connection was down: keep transports,
   * producers and consumers, drop what closed meanwhile, learn what is new,
   * and restart ICE since the network path may have changed.
   */
  private async resumeMedia(result: JoinResult): Promise<void> {
    const live = new Set(result.producers.map((p) => p.producerId));
    for (const r of [...this.remote.values()]) {
      if (!live.has(r.producer.producerId)) this.removeProducer(r.producer.producerId);
    }
    for (const p of result.producers) this.addProducer(p, false);
    for (const t of [this.sendTransport, this.recvTransport]) if (t && !t.closed) await this.restartIce(t);
  }

  private async setUpMedia(result: JoinResult): Promise<void> {
    if (!this.device) {
      this.device = this.opts.deviceFactory?.() ?? new Device();
    }
    const device = this.device;
    if (!device.loaded) await device.load({ routerRtpCapabilities: result.routerRtpCapabilities });
    await this.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities });
    const iceServers = result.iceServers as RTCIceServer[];
    this.iceServers = iceServers;
    const sendOpts = await this.request('createTransport', { direction: 'send' });
    this.sendTransport = this.makeTransport(device, sendOpts, iceServers);
    const recvOpts = await this.request('createTransport', { direction: 'recv' });
    this.recvTransport = this.makeTransport(device, recvOpts, iceServers);
    await this.produceLocal();
  }

  private makeTransport(device: Device, o: TransportOptions, iceServers: RTCIceServer[]): Transport {
    const args = {
      id: o.id,
      iceParameters: o.iceParameters,
      iceCandidates: o.iceCandidates,
      dtlsParameters: o.dtlsParameters,
      iceServers,
      iceTransportPolicy: this.opts.iceTransportPolicy ?? storedIcePolicy(),
    };
    const t = o.direction === 'send' ? device.createSendTransport(args) : device.createRecvTransport(args);
    t.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.request('connectTransport', { transportId: t.id, dtlsParameters }).then(() => callback(), errback);
    });
    if (o.direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = (appData as { source: 'mic' | 'camera' }).source;
        this.request('produce', { transportId: t.id, kind, source, rtpParameters })
          .then(({ producerId, paused }) => {
            (appData as { heldByHub?: boolean }).heldByHub = paused;
            callback({ id: producerId });
          })
          .catch(errback);
      });
    }
    t.on('connectionstatechange', (state) => this.onTransportState(t, state));
    return t;
  }

  private async produceLocal(): Promise<void> {
    const send = this.sendTransport;
    if (!send || !this.local) return;
    const audio = this.local.getAudioTracks()[0];
    const video = this.local.getVideoTracks()[0];
    if (audio) {
      const appData: { source: 'mic'; heldByHub?: boolean } = { source: 'mic' };
      this.micProducer = await send.produce({
        track: audio,
        stopTracks: false,
        codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
        appData,
      });
      if (appData.heldByHub || !this.wantMic) this.micProducer.pause();
      if (!this.wantMic && !appData.heldByHub) await this.request('pauseProducer', { producerId: this.micProducer.id });
    }
    if (video) {
      this.cameraProducer = await send.produce({
        track: video,
        stopTracks: false,
        // Pausing stops the RTP but keeps the track, so the room's own preview stays live.
        disableTrackOnPause: false,
        zeroRtpOnPause: true,
        encodings: CAMERA_ENCODINGS.map((e) => ({ ...e })),
        codecOptions: { videoGoogleStartBitrate: 1000 },
        appData: { source: 'camera' },
      });
      this.cameraDemanded = true;
      if (!this.wantCamera) {
        video.enabled = false;
        await this.request('pauseProducer', { producerId: this.cameraProducer.id });
      }
      this.applyCameraSending();
      await this.applySendLayers();
    }
  }

  /** The chair and the staged site send every layer; other sites hold back the top one. */
  private async applySendLayers(): Promise<void> {
    const p = this.cameraProducer;
    if (!p || p.closed || !this.self) return;
    const full = this.self.role === 'chair' || this.meeting?.stageSiteId === this.self.id;
    try {
      await p.setMaxSpatialLayer(full ? TOP_LAYER : TOP_LAYER - 1);
    } catch {
      // Some browsers refuse while the track is ended; the next stage change retries.
    }
  }

  private onSelf(peer: PeerInfo): void {
    this.self = peer;
    // Mirror the hub: it pauses our mic when the chair mutes us and resumes it when lifted.
    const mic = this.micProducer;
    if (mic && !mic.closed) {
      if (peer.micOn && mic.paused) mic.resume();
      else if (!peer.micOn && !mic.paused) mic.pause();
    }
    this.store.peerUpdated(peer);
    this.emit('self', peer);
  }

  private onMeeting(meeting: MeetingState): void {
    const stageChanged = meeting.stageSiteId !== this.meeting?.stageSiteId;
    this.meeting = meeting;
    this.store.setMeeting(meeting);
    if (stageChanged) void this.applySendLayers();
    this.emit('meeting', meeting);
    this.scheduleReconcile();
  }

  // ---------------------------------------------------------------------------
  // Remote producers and consumers

  private addProducer(p: ProducerInfo, reconcile = true): void {
    if (p.peerId === this.self?.id) return;
    const existing = this.remote.get(p.producerId);
    if (existing) {
      existing.serverPaused = p.paused;
    } else {
      // One camera and one mic per peer: a new one replaces the old.
      for (const r of [...this.remote.values()]) {
        if (r.producer.peerId === p.peerId && r.producer.source === p.source)
          this.removeProducer(r.producer.producerId);
      }
      this.remote.set(p.producerId, {
        producer: p,
        consumer: null,
        consuming: null,
        serverPaused: p.paused,
        layer: null,
      });
    }
    this.store.producerAdded(p);
    if (reconcile) this.scheduleReconcile();
  }

  private onProducerPaused(producerId: string, paused: boolean): void {
    const r = this.remote.get(producerId);
    if (r) r.serverPaused = paused;
    this.store.producerPaused(producerId, paused);
    this.scheduleReconcile();
  }

  private removeProducer(producerId: string): void {
    const r = this.remote.get(producerId);
    if (r) {
      this.closeRemote(r);
      this.remote.delete(producerId);
      this.emit('tracks');
    }
    this.store.producerClosed(producerId);
  }

  private dropPeer(peerId: string): void {
    for (const r of [...this.remote.values()])
      if (r.producer.peerId === peerId) this.removeProducer(r.producer.producerId);
  }

  private closeRemote(r: RemoteMedia): void {
    r.consumer?.close();
    r.consumer = null;
    if (r.audioEl) {
      r.audioEl.srcObject = null;
      r.audioEl.remove();
      r.audioEl = undefined;
    }
  }

  private scheduleReconcile(): void {
    if (this.reconcileQueued) return;
    this.reconcileQueued = true;
    queueMicrotask(() => {
      this.reconcileQueued = false;
      this.reconcileChain = this.reconcileChain.then(() => this.reconcile()).catch(() => undefined);
    });
  }

  /** Which spatial layer each peer's camera is wanted at, or absent when no tile shows it. */
  private wantedLayers(): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.wants.values()) out.set(w.peerId, Math.max(out.get(w.peerId) ?? -1, LAYER_FOR[w.layer]));
    return out;
  }

  private async reconcile(): Promise<void> {
    if (!this.joined || !this.recvTransport || !this.device) return;
    const wanted = this.wantedLayers();
    const jobs: Promise<void>[] = [];
    for (const r of this.remote.values()) {
      if (r.producer.kind === 'audio') {
        if (!r.consumer && !r.consuming) jobs.push(this.consume(r, null));
        continue;
      }
      const layer = wanted.get(r.producer.peerId);
      if (layer === undefined) {
        if (r.consumer && !r.consumer.paused) {
          r.consumer.pause();
          jobs.push(
            this.request('pauseConsumer', { consumerId: r.consumer.id }).then(
              () => undefined,
              () => undefined,
            ),
          );
        }
        continue;
      }
      if (!r.consumer && !r.consuming) {
        jobs.push(this.consume(r, layer));
      } else if (r.consumer) {
        const c = r.consumer;
        const changes: Promise<unknown>[] = [];
        if (r.layer !== layer) {
          r.layer = layer;
          changes.push(this.request('setPreferredLayers', { consumerId: c.id, spatialLayer: layer }));
        }
        if (c.paused) {
          c.resume();
          changes.push(this.request('resumeConsumer', { consumerId: c.id }));
        }
        if (changes.length)
          jobs.push(
            Promise.all(changes).then(
              () => undefined,
              () => undefined,
            ),
          );
      }
    }
    await Promise.all(jobs);
  }

  private consume(r: RemoteMedia, layer: number | null): Promise<void> {
    const job = (async () => {
      const transport = this.recvTransport;
      if (!transport) return;
      const o = await this.request('consume', { producerId: r.producer.producerId });
      if (this.remote.get(r.producer.producerId) !== r || transport !== this.recvTransport) {
        await this.request('pauseConsumer', { consumerId: o.id }).catch(() => undefined);
        return;
      }
      const consumer = await transport.consume({
        id: o.id,
        producerId: o.producerId,
        kind: o.kind,
        rtpParameters: o.rtpParameters,
        appData: { peerId: o.peerId, source: o.source },
      });
      r.consumer = consumer;
      if (o.kind === 'audio') {
        this.attachAudio(r, consumer.track);
      } else if (layer !== null && o.type === 'simulcast') {
        r.layer = layer;
        await this.request('setPreferredLayers', { consumerId: o.id, spatialLayer: layer });
      }
      await this.request('resumeConsumer', { consumerId: o.id });
      this.emit('tracks');
    })()
      .catch(() => {
        // The producer may have gone meanwhile; the next reconcile retries if it is still wanted.
      })
      .finally(() => {
        r.consuming = null;
      });
    r.consuming = job;
    return job;
  }

  private attachAudio(r: RemoteMedia, track: MediaStreamTrack): void {
    if (typeof document === 'undefined') return;
    if (!this.audioBox) {
      this.audioBox = this.opts.audioContainer ?? document.createElement('div');
      if (!this.opts.audioContainer) {
        this.audioBox.hidden = true;
        this.audioBox.dataset.role = 'remote-audio';
        document.body.appendChild(this.audioBox);
      }
    }
    const el = document.createElement('audio');
    el.autoplay = true;
    el.srcObject = new MediaStream([track]);
    el.dataset.peerId = r.producer.peerId;
    this.audioBox.appendChild(el);
    r.audioEl = el;
    void el.play?.().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------
  // Recovery

  private onTransportState(t: Transport, state: RTCPeerConnectionState): void {
    const timer = this.iceTimers.get(t.id);
    if (timer) clearTimeout(timer);
    this.iceTimers.delete(t.id);
    if (state === 'connected') {
      if (this.state === 'reconnecting' && this.joined) this.setState('online');
      return;
    }
    if (this.closed || !this.joined) return;
    if (state === 'disconnected') {
      this.setState('reconnecting');
      // Give the path a moment to come back on its own, then restart ICE.
      this.iceTimers.set(
        t.id,
        setTimeout(() => void this.restartIce(t), 2000),
      );
    } else if (state === 'failed') {
      this.setState('reconnecting');
      void this.restartIce(t);
    }
  }

  private async restartIce(t: Transport): Promise<void> {
    if (t.closed || !this.joined) return;
    try {
      const { iceParameters } = await this.request('restartIce', { transportId: t.id });
      await t.restartIce({ iceParameters });
    } catch {
      // Signaling is down too: the socket reconnection path rebuilds everything.
    }
  }

  private rejoin(): Promise<void> {
    if (this.rejoining) return this.rejoining;
    this.rejoining = (async () => {
      let delay = 500;
      while (!this.closed && !this.kickedBy && this.socket?.connected) {
        try {
          await this.joinAndSetUp();
          return;
        } catch (err) {
          if (this.closed || (err instanceof SignalingFailure && err.code === 'ALREADY_JOINED')) return;
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 8000);
        }
      }
    })().finally(() => {
      this.rejoining = null;
    });
    return this.rejoining;
  }

  private async rebuildMedia(): Promise<void> {
    this.closeMedia();
    for (const r of this.remote.values()) r.layer = null;
    if (!this.joined) return;
    this.setState('reconnecting');
    try {
      const rtp = await this.request('getRouterRtpCapabilities', {});
      this.device = this.opts.deviceFactory?.() ?? new Device();
      await this.setUpMedia({
        routerRtpCapabilities: rtp.rtpCapabilities,
        iceServers: this.iceServers,
      } as unknown as JoinResult);
      this.setState('online');
      this.scheduleReconcile();
    } catch {
      this.setState('reconnecting');
    }
  }

  // ---------------------------------------------------------------------------
  // Link statistics (own indicator + reported to the chair's board)

  private startStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(() => void this.sampleStats(), this.opts.statsIntervalMs ?? 3000);
  }

  private async sampleStats(): Promise<void> {
    if (!this.joined || !this.sendTransport || !this.recvTransport) return;
    try {
      const [send, recv] = await Promise.all([this.sendTransport.getStats(), this.recvTransport.getStats()]);
      let rtt = 0;
      let rttN = 0;
      let sent = 0;
      let received = 0;
      let lost = 0;
      let packets = 0;
      const scan = (report: RTCStatsReport) => {
        report.forEach((s: Record<string, unknown>) => {
          if (
            s.type === 'candidate-pair' &&
            (s.nominated || s.selected) &&
            typeof s.currentRoundTripTime === 'number'
          ) {
            rtt += s.currentRoundTripTime * 1000;
            rttN++;
          }
          if (s.type === 'transport') {
            sent += Number(s.bytesSent ?? 0);
            received += Number(s.bytesReceived ?? 0);
          }
          if (s.type === 'inbound-rtp') {
            lost += Number(s.packetsLost ?? 0);
            packets += Number(s.packetsReceived ?? 0);
          }
        });
      };
      scan(send);
      scan(recv);
      const now = Date.now();
      const prev = this.lastBytes;
      this.lastBytes = { at: now, sent, recv: received, lost, received: packets };
      if (!prev) return;
      const secs = Math.max(0.001, (now - prev.at) / 1000);
      const dLost = Math.max(0, lost - prev.lost);
      const dRecv = Math.max(0, packets - prev.received);
      const link: LinkStats = {
        rttMs: rttN ? Math.round(rtt / rttN) : 0,
        lossPct: dLost + dRecv > 0 ? Math.round((1000 * dLost) / (dLost + dRecv)) / 10 : 0,
        sendKbps: Math.round(((sent - prev.sent) * 8) / 1000 / secs),
        recvKbps: Math.round(((received - prev.recv) * 8) / 1000 / secs),
      };
      link.sendKbps = Math.max(0, link.sendKbps);
      link.recvKbps = Math.max(0, link.recvKbps);
      this.link = link;
      this.emit('link', link);
      await this.request('reportLinkStats', link).catch(() => undefined);
    } catch {
      // stats are best effort
    }
  }

  // ---------------------------------------------------------------------------
  // Internals

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private fail(error: ErrorBody): void {
    this.lastError = error;
    this.emit('error', error);
    this.setState('failed');
  }

  private closeMedia(): void {
    for (const t of this.iceTimers.values()) clearTimeout(t);
    this.iceTimers.clear();
    this.micProducer?.close();
    this.cameraProducer?.close();
    this.micProducer = null;
    this.cameraProducer = null;
    for (const r of this.remote.values()) this.closeRemote(r);
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.lastBytes = null;
    this.emit('tracks');
  }

  private teardown(): void {
    this.joined = false;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.closeMedia();
    this.remote.clear();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.audioBox?.remove();
    this.audioBox = null;
  }

  /** Stops the local capture too (when the page leaves the meeting for good). */
  stopLocal(): void {
    for (const t of this.local?.getTracks() ?? []) t.stop();
    this.local = null;
  }
}
