// One simulated site whose media runs in the Go engine: a real WebRTC peer
// (ICE, DTLS, SRTP by Pion) of the hub's mediasoup transports, joining through
// the public socket.io signaling with a join token exactly like the browser
// client. The signaling is here; the engine connects each transport with the
// parameters the hub gave, sends paced opus and VP8 simulcast and counts what
// it receives. What it receives follows the meeting's receive plan as the
// browser does (PlanFollower.ts); a chair bot also runs the chair's console
// (ChairConsole.ts): pages of its mosaic, the stage moved from site to site.
import { planOf } from '../../contract/receivePlan.ts';
import type {
  MeetingState,
  RequestName,
  RequestPayload,
  ResponseMap,
  TransportDirection,
  TransportOptions,
} from '../../contract/signaling.ts';
import { ChairConsole, type ConsoleRun } from './ChairConsole.ts';
import type { Engine, EngineStats } from './engine.ts';
import { type HeldConsumer, PlanFollower, type PlannedStream } from './PlanFollower.ts';
import { audioParameters, botCapabilities, receiveCommand, videoParameters } from './rtp.ts';
import { Sending } from './sending.ts';
import { connectSocket, type HubSocket, request, SignalingError, whenConnected } from './signaling.ts';
import { Tally } from './tally.ts';
import { type BotCounters, emptyResult, type PionBotConfig, type PionBotResult } from './types.ts';

/** How a bot reaches the engine of its process, and gets the engine's events about its transports and receivers. */
export interface EngineLink {
  readonly engine: Engine;
  own(id: string, bot: PionBot): void;
  disown(id: string): void;
}

interface Leg {
  transportId: string | null;
  attempts: number;
  connected: boolean;
  watchdog?: NodeJS.Timeout;
}

export class PionBot {
  private socket?: HubSocket;
  private selfId = '';
  private readonly send: Leg = { transportId: null, attempts: 0, connected: false };
  private readonly recv: Leg = { transportId: null, attempts: 0, connected: false };
  private readonly tally = new Tally();
  private readonly sending: Sending;
  private readonly follower: PlanFollower;
  private console?: ChairConsole;
  /** Receivers the engine has not opened yet, resolved with true once it has. */
  private readonly pendingReceivers = new Map<string, (ready: boolean) => void>();
  private closed = false;
  private joinRequestAt = 0;
  readonly result: PionBotResult;
  private settle!: { resolve: () => void; reject: (err: Error) => void };
  /** Resolves when joined: transports connected and, if it consumes anything, first media in. */
  readonly ready: Promise<void>;

  constructor(
    readonly config: PionBotConfig,
    private readonly link: EngineLink,
  ) {
    this.sending = new Sending(config, () => this.link.engine);
    this.follower = new PlanFollower({
      consume: (stream, layer) => this.consume(stream, layer),
      close: (held) => this.closeConsumer(held),
      pause: (held, paused) => this.pauseConsumer(held, paused),
      setLayer: (held, layer) => this.setLayer(held, layer),
    });
    this.result = emptyResult(config.label);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.ready.catch(() => {});
  }

  private get engine(): Engine {
    return this.link.engine;
  }

  private since(): number {
    return Math.round(performance.now() - this.joinRequestAt);
  }

  private get sends(): boolean {
    return this.config.sendAudio || this.config.sendVideo !== null;
  }

  async start(): Promise<void> {
    try {
      await this.join();
    } catch (err) {
      this.fail(err);
    }
    return this.ready;
  }

  private fail(err: unknown): void {
    if (this.result.error || this.closed) return;
    this.result.error = err instanceof Error ? err.message : String(err);
    this.settle.reject(err instanceof Error ? err : new Error(String(err)));
  }

  private checkJoined(): void {
    if (this.result.joined || this.result.error) return;
    const sendOk = !this.sends || this.send.connected;
    const recvOk =
      !this.config.receive ||
      (this.recv.connected && (!this.follower.expectsMedia || this.result.firstMediaMs !== null));
    if (sendOk && recvOk) {
      this.result.joined = true;
      this.settle.resolve();
    }
  }

  private request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    if (!this.socket) return Promise.reject(new SignalingError('no socket'));
    return request(this.socket, name, payload, this.config.requestTimeoutMs);
  }

  // -------------------------------------------------------------------------
  // Joining

  private async join(): Promise<void> {
    const socket = connectSocket(this.config.url, this.config.requestTimeoutMs);
    this.socket = socket;
    // Every event the hub sends this site, by name (the benchmark's messages per join).
    socket.onAny((event: string) => {
      this.result.messages[event] = (this.result.messages[event] ?? 0) + 1;
    });
    socket.on('newProducer', (p) => this.follower.addProducer(p));
    socket.on('producerClosed', ({ producerId }) => this.follower.removeProducer(producerId));
    socket.on('consumerClosed', ({ consumerId }) => this.follower.consumerClosed(consumerId));
    socket.on('peerLeft', ({ peerId, reason }) => {
      if (reason !== 'replaced') this.follower.dropPeer(peerId);
    });
    socket.on('audioSlots', ({ slots }) => this.follower.setSlots(slots));
    socket.on('meetingUpdated', ({ meeting }) => this.onMeeting(meeting));
    socket.on('selfUpdated', ({ peer }) => this.sending.pauseMic(!peer.micOn));
    socket.on('mediaDemand', ({ producerId, wanted }) => this.sending.onDemand(producerId, wanted));
    socket.on('audioLevels', ({ levels }) => {
      if (levels.length > 0) this.result.audioLevelEvents++;
      this.result.mostLevelsInOneEvent = Math.max(this.result.mostLevelsInOneEvent, levels.length);
    });
    socket.on('activeSpeaker', () => this.result.activeSpeakerEvents++);
    socket.on('mediaReset', () => this.onMediaReset());
    socket.on('kicked', ({ reason }) => {
      this.result.kicked = reason;
      this.fail(new SignalingError(`kicked: ${reason}`));
    });
    socket.on('disconnect', (reason) => {
      if (!this.closed) this.fail(new SignalingError(`signaling disconnected: ${reason}`));
    });
    this.joinRequestAt = performance.now();
    await whenConnected(socket);
    const joined = await this.request('join', { token: this.config.token });
    this.result.joinAckMs = this.since();
    this.selfId = joined.self.id;
    this.follower.joined(joined.self, planOf(joined.meeting), joined.producers, joined.audioSlots);
    this.onMeeting(joined.meeting);
    if (joined.self.role === 'chair' && this.config.mosaicPageSize > 0) {
      this.follower.showMosaic(this.config.mosaicPageSize);
      this.console = new ChairConsole(this.follower, this.result, (siteId) => this.request('setStage', { siteId }));
    }
    await this.request('setRtpCapabilities', { rtpCapabilities: botCapabilities(joined.routerRtpCapabilities) });
    await Promise.all([this.sends && this.setupSend(), this.config.receive && this.setupRecv()]);
    this.checkJoined();
  }

  private onMeeting(meeting: MeetingState): void {
    this.follower.setMeeting(planOf(meeting));
    this.sending.setFull(meeting.chairSiteId === this.selfId || meeting.stageSiteId === this.selfId);
  }

  private onMediaReset(): void {
    this.result.mediaResets++;
    this.send.attempts = 0;
    this.recv.attempts = 0;
    Promise.all([this.sends && this.setupSend(), this.config.receive && this.setupRecv()]).catch((err) =>
      this.fail(err),
    );
  }

  // -------------------------------------------------------------------------
  // Transports and the watchdog

  /** Creates a transport at the hub, tells the hub our DTLS side, then has the engine connect it. */
  private async openTransport(leg: Leg, direction: TransportDirection): Promise<TransportOptions> {
    if (++leg.attempts > this.config.maxTransportAttempts) {
      throw new SignalingError(
        `${direction} transport did not connect in ${this.config.maxTransportAttempts} attempts`,
      );
    }
    this.dropTransport(leg);
    const options = await this.request('createTransport', { direction });
    if (this.closed) throw new SignalingError('closed');
    leg.transportId = options.id;
    this.link.own(options.id, this);
    // The engine is the DTLS client (mediasoup the server): it drives the
    // handshake, so the hub must know its role before the engine starts.
    await this.request('connectTransport', {
      transportId: options.id,
      dtlsParameters: { role: 'client', fingerprints: this.engine.fingerprints },
    });
    this.engine.send({
      op: 'connect',
      transport: options.id,
      ice: options.iceParameters,
      candidates: options.iceCandidates,
      fingerprints: options.dtlsParameters.fingerprints,
    });
    leg.watchdog = setTimeout(() => {
      if (leg.transportId === options.id && !leg.connected) this.retry(direction);
    }, this.config.connectTimeoutMs);
    return options;
  }

  private dropTransport(leg: Leg): void {
    clearTimeout(leg.watchdog);
    leg.connected = false;
    if (!leg.transportId) return;
    for (const [id, r] of this.tally.receivers) {
      if (r.transportId === leg.transportId) this.pendingReceivers.get(id)?.(false);
    }
    this.engine.send({ op: 'close', transport: leg.transportId });
    this.link.disown(leg.transportId);
    leg.transportId = null;
  }

  private retry(direction: TransportDirection): void {
    if (this.closed || this.result.error) return;
    this.result.transportRetries++;
    (direction === 'send' ? this.setupSend() : this.setupRecv()).catch((err) => this.fail(err));
  }

  onTransportState(transportId: string, state: 'connected' | 'failed'): void {
    const direction = transportId === this.send.transportId ? 'send' : 'recv';
    const leg = direction === 'send' ? this.send : this.recv;
    if (leg.transportId !== transportId) return;
    if (state === 'failed') {
      this.retry(direction);
      return;
    }
    clearTimeout(leg.watchdog);
    leg.connected = true;
    if (direction === 'send') this.result.sendConnectedMs ??= this.since();
    else this.result.recvConnectedMs ??= this.since();
    this.checkJoined();
  }

  // -------------------------------------------------------------------------
  // Sending

  private async setupSend(): Promise<void> {
    const options = await this.openTransport(this.send, 'send');
    const cname = `${this.config.label}-${options.id.slice(0, 8)}`;
    if (this.config.sendAudio) {
      const { rtpParameters, ssrc } = audioParameters(cname);
      const { producerId, paused } = await this.request('produce', {
        transportId: options.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters,
      });
      if (this.send.transportId !== options.id) return;
      const stream = `${options.id}:mic:${producerId}`;
      this.tally.streamIds.push(stream);
      // A browser holds a microphone the hub holds (the site may not speak now).
      this.sending.mic(options.id, stream, ssrc, paused);
    }
    const profile = this.config.sendVideo;
    if (profile) {
      const { rtpParameters, ssrcs } = videoParameters(cname, profile);
      const { producerId } = await this.request('produce', {
        transportId: options.id,
        kind: 'video',
        source: 'camera',
        rtpParameters,
      });
      if (this.send.transportId !== options.id) return;
      const stream = `${options.id}:camera:${producerId}`;
      this.tally.streamIds.push(stream);
      this.sending.camera(options.id, stream, producerId, ssrcs);
    }
  }

  setSpeaking(speaking: boolean): void {
    this.sending.setSpeaking(speaking);
  }

  targetSendPps(): number {
    return this.sending.targetPps();
  }

  // -------------------------------------------------------------------------
  // Receiving: the plan follower says what; the engine receives it

  private async setupRecv(): Promise<void> {
    // A new receive transport holds none of the old one's consumers (the hub closed them with it).
    this.follower.stop();
    await this.openTransport(this.recv, 'recv');
    this.follower.restart();
  }

  /** Runs (or stops) the chair's console: mosaic pages and the stage moving (a chair bot only). */
  runConsole(run: ConsoleRun | null): void {
    this.console?.run(run);
  }

  private async consume(stream: PlannedStream, layer: number | null): Promise<HeldConsumer | null> {
    const transportId = this.recv.transportId;
    if (!transportId || this.closed) return null;
    const consumer = await this.request('consume', { producerId: stream.producerId });
    if (transportId !== this.recv.transportId) return null; // recreated meanwhile; the new one consumes it
    this.tally.receivers.set(consumer.id, {
      producerId: stream.producerId,
      peerId: stream.source,
      kind: stream.kind,
      transportId,
    });
    this.link.own(consumer.id, this);
    const receiving = new Promise<boolean>((resolve) => {
      this.pendingReceivers.set(consumer.id, resolve);
      setTimeout(() => resolve(false), this.config.connectTimeoutMs * 2);
    });
    this.engine.send(receiveCommand(transportId, consumer));
    const held: HeldConsumer = { consumerId: consumer.id, stream, paused: true, layer: null };
    // Said for a one-layer camera too (one from another hub crosses at the layer asked for: sfu/span/).
    if (layer !== null && consumer.kind === 'video') await this.setLayer(held, layer);
    // Resumed once the engine counts its SSRC, so no packet goes uncounted;
    // a transport recreated meanwhile consumes the producer again on its own.
    const ready = await receiving;
    this.pendingReceivers.delete(consumer.id);
    if (!ready || transportId !== this.recv.transportId) return null;
    await this.pauseConsumer(held, false);
    return held;
  }

  private async closeConsumer(held: HeldConsumer): Promise<void> {
    await this.request('closeConsumer', { consumerId: held.consumerId });
  }

  private async pauseConsumer(held: HeldConsumer, paused: boolean): Promise<void> {
    held.paused = paused;
    await this.request(paused ? 'pauseConsumer' : 'resumeConsumer', { consumerId: held.consumerId });
  }

  private async setLayer(held: HeldConsumer, layer: number): Promise<void> {
    held.layer = layer;
    await this.request('setPreferredLayers', { consumerId: held.consumerId, spatialLayer: layer });
  }

  /** Consumers held now. */
  receiveStreams(): number {
    return this.follower.heldCount;
  }

  onReceiving(receiverId: string): void {
    this.pendingReceivers.get(receiverId)?.(true);
  }

  onFirstPacket(receiverId: string): void {
    const r = this.tally.receivers.get(receiverId);
    if (!r) return;
    const ms = this.since();
    if (r.kind === 'audio') this.result.firstAudioMs ??= ms;
    else this.result.firstVideoMs ??= ms;
    if (this.result.firstMediaMs === null) {
      this.result.firstMediaMs = ms;
      this.checkJoined();
    }
  }

  // -------------------------------------------------------------------------
  // Counters

  /** Cumulative counters from the engine's stats (every transport this bot ever had). */
  counters(stats: EngineStats): BotCounters {
    return this.tally.counters(stats);
  }

  /** Fills the result's counters from a final stats answer. */
  finalise(stats: EngineStats): void {
    this.tally.finalise(stats, this.result);
    this.result.maxReceiveStreams = this.follower.maxHeld;
  }

  close(): void {
    if (this.closed) return;
    this.console?.run(null);
    this.follower.stop();
    if (!this.result.joined && !this.result.error) this.fail(new SignalingError('closed before joining'));
    this.closed = true;
    this.dropTransport(this.send);
    this.dropTransport(this.recv);
    for (const id of this.tally.receivers.keys()) this.link.disown(id);
    this.socket?.close();
  }
}
