// One simulated site (điểm cầu): a real WebRTC peer (ICE, DTLS, SRTP) made of
// msc-node's Device on werift, joining through the public socket.io signaling
// with a join token exactly like the browser client. It sends opus (and
// optionally blank low-rate VP8) and consumes the chair's audio and video,
// counting packets, bytes, sequence gaps and the time from the join request to
// the first media packet.
import { Device } from 'msc-node';
import type { Consumer } from 'msc-node/lib/Consumer.js';
import type { Transport } from 'msc-node/lib/Transport.js';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  ProducerInfo,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
  TransportOptions,
} from '../../contract/signaling.ts';
import { ClientRoleWerift } from './ClientRoleWerift.ts';
import {
  AUDIO_LEVEL_URI,
  AudioStream,
  type DtlsKeys,
  loopbackSettings,
  type Pacer,
  type VideoProfile,
  VideoStream,
  weriftCapabilities,
} from './media.ts';

export interface BotConfig {
  /** Signaling URL (http://127.0.0.1:port). */
  url: string;
  token: string;
  label: string;
  sendAudio: boolean;
  /** Blank VP8 to send, or null for audio only. */
  sendVideo: VideoProfile | null;
  /** Consume the chair's producers (sites); the chair bot consumes nothing. */
  consumeChair: boolean;
  /** Watchdog: a transport not connected this long after its DTLS start is recreated. */
  connectTimeoutMs: number;
  /** Give up on a transport after this many attempts. */
  maxTransportAttempts: number;
  /** Ack timeout for signaling requests. */
  requestTimeoutMs: number;
}

export interface ReceiveCounters {
  /** Distinct packets received (retransmitted duplicates not counted). */
  packets: number;
  /** Packets received again (NACK retransmissions of packets that had arrived). */
  duplicates: number;
  bytes: number;
  /** Packets expected from the RTP sequence numbers seen (highest - first + 1). */
  expected: number;
}

export interface BotCounters {
  sentPackets: number;
  sentBytes: number;
  /** Packets the pacer skipped because the bot process fell behind. */
  skippedPackets: number;
  audio: ReceiveCounters;
  video: ReceiveCounters;
}

export interface BotResult {
  label: string;
  /** Join acked and every transport it needs connected. */
  joined: boolean;
  error: string | null;
  /** Join request → join ack. */
  joinAckMs: number | null;
  /** Join request → first media packet from the chair. */
  firstMediaMs: number | null;
  firstAudioMs: number | null;
  firstVideoMs: number | null;
  sendConnectedMs: number | null;
  recvConnectedMs: number | null;
  /** Transports recreated by the watchdog. */
  transportRetries: number;
  kicked: string | null;
  /** Times the hub said this site's media worker restarted (transports re-created each time). */
  mediaResets: number;
  /** audioLevels events with at least one level (the chair hears them when ssrc-audio-level works). */
  audioLevelEvents: number;
  /** Most sites listed in one audioLevels event (the hub merges every worker's report). */
  mostLevelsInOneEvent: number;
  /** activeSpeaker events received. */
  activeSpeakerEvents: number;
  counters: BotCounters;
}

type HubSocket = Socket<ServerEvents, ClientEvents>;

interface ConsumerState {
  consumer: Consumer;
  kind: 'audio' | 'video';
  packets: number;
  duplicates: number;
  bytes: number;
  firstSeq: number;
  highestSeq: number;
  /** Which 16-bit sequence numbers arrived (the half ahead is cleared as we go). */
  seen: Uint8Array;
}

class BotError extends Error {}

export class Bot {
  private socket?: HubSocket;
  private device?: Device;
  private sendTransport?: Transport;
  private recvTransport?: Transport;
  private sendAttempts = 0;
  private recvAttempts = 0;
  private readonly streams: (AudioStream | VideoStream)[] = [];
  private readonly consumers = new Map<string, ConsumerState>();
  /** Chair producers to consume (by producer id), whether or not consumed yet. */
  private readonly chairProducers = new Map<string, ProducerInfo>();
  private chairId: string | null = null;
  private recvReady = false;
  private closed = false;
  private joinRequestAt = 0;
  private watchdogs = new Set<NodeJS.Timeout>();
  private sendConnected = false;
  private recvConnected = false;
  /** Counts of streams and consumers replaced after a transport was recreated. */
  private retired = emptyCounters();
  readonly result: BotResult;
  /** Resolves when the bot is fully joined (or rejects when it gives up). */
  private settle!: { resolve: () => void; reject: (err: Error) => void };
  readonly ready: Promise<void>;

  constructor(
    readonly config: BotConfig,
    private readonly keys: DtlsKeys,
    private readonly pacer: Pacer,
  ) {
    this.result = {
      label: config.label,
      joined: false,
      error: null,
      joinAckMs: null,
      firstMediaMs: null,
      firstAudioMs: null,
      firstVideoMs: null,
      sendConnectedMs: null,
      recvConnectedMs: null,
      transportRetries: 0,
      kicked: null,
      mediaResets: 0,
      audioLevelEvents: 0,
      mostLevelsInOneEvent: 0,
      activeSpeakerEvents: 0,
      counters: emptyCounters(),
    };
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.ready.catch(() => {});
  }

  private since(): number {
    return Math.round(performance.now() - this.joinRequestAt);
  }

  /** Connects, joins and sets up media; resolves when joined (transports connected, chair media flowing). */
  async start(): Promise<void> {
    try {
      await this.join();
    } catch (err) {
      this.fail(err);
    }
    return this.ready;
  }

  private fail(err: unknown): void {
    if (this.result.error) return;
    this.result.error = err instanceof Error ? err.message : String(err);
    this.settle.reject(err instanceof Error ? err : new Error(String(err)));
  }

  private checkJoined(): void {
    if (this.result.joined || this.result.error) return;
    const sendOk = !this.config.sendAudio && !this.config.sendVideo ? true : this.sendConnected;
    const recvOk = !this.config.consumeChair || (this.recvConnected && this.result.firstMediaMs !== null);
    if (sendOk && recvOk) {
      this.result.joined = true;
      this.settle.resolve();
    }
  }

  // -------------------------------------------------------------------------
  // Signaling

  private request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new BotError('no socket'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BotError(`${name}: no answer within ${this.config.requestTimeoutMs} ms`)),
        this.config.requestTimeoutMs,
      );
      (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseMap[N]>) => void) => void)(name, payload, (ack) => {
        clearTimeout(timer);
        if (ack.ok) resolve(ack.data);
        else reject(new BotError(`${name} refused: ${ack.error.code} ${ack.error.messageEn}`));
      });
    });
  }

  private async join(): Promise<void> {
    const socket: HubSocket = io(this.config.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: this.config.requestTimeoutMs,
    });
    this.socket = socket;
    socket.on('newProducer', (p) => this.onProducer(p));
    socket.on('meetingUpdated', ({ meeting }) => {
      this.chairId = meeting.chairSiteId;
    });
    socket.on('audioLevels', ({ levels }) => {
      if (levels.length > 0) this.result.audioLevelEvents++;
      this.result.mostLevelsInOneEvent = Math.max(this.result.mostLevelsInOneEvent, levels.length);
    });
    socket.on('activeSpeaker', () => this.result.activeSpeakerEvents++);
    socket.on('producerClosed', ({ producerId }) => this.chairProducers.delete(producerId));
    socket.on('mediaReset', () => this.onMediaReset());
    socket.on('kicked', ({ reason }) => {
      this.result.kicked = reason;
      this.fail(new BotError(`kicked: ${reason}`));
    });
    socket.on('disconnect', (reason) => {
      if (!this.closed) this.fail(new BotError(`signaling disconnected: ${reason}`));
    });
    this.joinRequestAt = performance.now();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new BotError(`signaling connect failed: ${err.message}`)));
    });
    const joined = await this.request('join', { token: this.config.token });
    this.result.joinAckMs = this.since();
    this.chairId = joined.meeting.chairSiteId;
    for (const p of joined.producers) this.onProducer(p);

    const device = new Device(weriftCapabilities(), {
      handlerFactory: ClientRoleWerift.clientRoleFactory(weriftCapabilities()),
    });
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
    this.device = device;
    await this.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities as never });

    const tasks: Promise<void>[] = [];
    if (this.config.sendAudio || this.config.sendVideo) tasks.push(this.setupSend());
    if (this.config.consumeChair) tasks.push(this.setupRecv());
    await Promise.all(tasks);
    this.checkJoined();
  }

  /** The worker carrying this site restarted: re-create transports, producers and consumers, as the browser does. */
  private onMediaReset(): void {
    this.result.mediaResets++;
    this.sendAttempts = 0;
    this.recvAttempts = 0;
    const tasks: Promise<void>[] = [];
    if (this.config.sendAudio || this.config.sendVideo) tasks.push(this.setupSend());
    if (this.config.consumeChair) tasks.push(this.setupRecv());
    Promise.all(tasks).catch((err) => this.fail(err));
  }

  // -------------------------------------------------------------------------
  // Transports and the watchdog

  private transportSettings(options: TransportOptions) {
    return {
      id: options.id,
      iceParameters: options.iceParameters,
      iceCandidates: options.iceCandidates,
      dtlsParameters: options.dtlsParameters,
      additionalSettings: loopbackSettings(this.keys),
    } as Parameters<Device['createSendTransport']>[0];
  }

  /** Passes the transport's DTLS parameters to the hub and starts its watchdog. */
  private signalConnect(transport: Transport, direction: 'send' | 'recv'): void {
    transport.on(
      'connect',
      ({ dtlsParameters }: { dtlsParameters: unknown }, callback: () => void, errback: (e: Error) => void) => {
        this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
          .then(() => callback())
          .catch(errback);
        this.watch(transport, direction);
      },
    );
  }

  /** Recreates `transport` if it is not connected `connectTimeoutMs` after its DTLS started. */
  private watch(transport: Transport, direction: 'send' | 'recv'): void {
    const timer = setTimeout(() => {
      this.watchdogs.delete(timer);
      if (this.closed || transport.closed || transport.connectionState === 'connected') return;
      this.result.transportRetries++;
      const retry = direction === 'send' ? this.setupSend() : this.setupRecv();
      retry.catch((err) => this.fail(err));
    }, this.config.connectTimeoutMs);
    this.watchdogs.add(timer);
  }

  private async setupSend(): Promise<void> {
    const device = this.device;
    if (!device) throw new BotError('device not loaded');
    if (++this.sendAttempts > this.config.maxTransportAttempts) {
      throw new BotError(`send transport did not connect in ${this.config.maxTransportAttempts} attempts`);
    }
    for (const stream of this.streams.splice(0)) {
      this.pacer.remove(stream);
      this.retired.sentPackets += stream.sent;
      this.retired.sentBytes += stream.sentBytes;
      this.retired.skippedPackets += stream.skipped;
    }
    this.sendTransport?.close();
    this.sendConnected = false;

    const options = await this.request('createTransport', { direction: 'send' });
    const transport = device.createSendTransport(this.transportSettings(options));
    this.sendTransport = transport;
    this.signalConnect(transport, 'send');
    transport.on(
      'produce',
      (
        {
          kind,
          rtpParameters,
          appData,
        }: { kind: 'audio' | 'video'; rtpParameters: unknown; appData: { source: 'mic' | 'camera' } },
        callback: (r: { id: string }) => void,
        errback: (e: Error) => void,
      ) => {
        this.request('produce', {
          transportId: transport.id,
          kind,
          source: appData.source,
          rtpParameters: rtpParameters as never,
        })
          .then(({ producerId }) => callback({ id: producerId }))
          .catch(errback);
      },
    );
    const created: (AudioStream | VideoStream)[] = [];
    // werift drops RTP written before DTLS is up: pace each stream from then on.
    const startStreams = () => {
      if (transport !== this.sendTransport || this.closed) return;
      for (const stream of created) {
        if (this.streams.includes(stream)) continue;
        this.pacer.add(stream, stream instanceof AudioStream ? AudioStream.PACKETS_PER_SEC : stream.profile.fps);
        this.streams.push(stream);
      }
    };
    transport.on('connectionstatechange', (state: string) => {
      if (state !== 'connected' || transport !== this.sendTransport) return;
      this.sendConnected = true;
      this.result.sendConnectedMs ??= this.since();
      startStreams();
      this.checkJoined();
    });

    if (this.config.sendAudio) {
      const audio = new AudioStream();
      const producer = await transport.produce({ track: audio.track, appData: { source: 'mic' } });
      const ext = producer.rtpParameters.headerExtensions?.find((e) => e.uri === AUDIO_LEVEL_URI);
      audio.audioLevelId = ext?.id ?? 0;
      created.push(audio);
    }
    if (this.config.sendVideo) {
      const video = new VideoStream(this.config.sendVideo);
      await transport.produce({ track: video.track, appData: { source: 'camera' } });
      created.push(video);
    }
    // Connected before the last produce resolved: start the late streams now.
    if (transport.connectionState === 'connected') startStreams();
  }

  private async setupRecv(): Promise<void> {
    const device = this.device;
    if (!device) throw new BotError('device not loaded');
    if (++this.recvAttempts > this.config.maxTransportAttempts) {
      throw new BotError(`recv transport did not connect in ${this.config.maxTransportAttempts} attempts`);
    }
    this.recvReady = false;
    this.recvConnected = false;
    this.recvTransport?.close();
    for (const state of this.consumers.values()) {
      const r = this.retired[state.kind];
      r.packets += state.packets;
      r.duplicates += state.duplicates;
      r.bytes += state.bytes;
      if (state.firstSeq >= 0) r.expected += state.highestSeq - state.firstSeq + 1;
    }
    this.consumers.clear();

    const options = await this.request('createTransport', { direction: 'recv' });
    const transport = device.createRecvTransport(this.transportSettings(options));
    this.recvTransport = transport;
    this.signalConnect(transport, 'recv');
    transport.on('connectionstatechange', (state: string) => {
      if (state !== 'connected' || transport !== this.recvTransport) return;
      this.recvConnected = true;
      this.result.recvConnectedMs ??= this.since();
      this.checkJoined();
    });
    this.recvReady = true;
    await Promise.all([...this.chairProducers.values()].map((p) => this.consume(p)));
  }

  // -------------------------------------------------------------------------
  // Consuming the chair

  private onProducer(info: ProducerInfo): void {
    if (!this.config.consumeChair) return;
    if (this.chairId === null || info.peerId !== this.chairId) return;
    this.chairProducers.set(info.producerId, info);
    if (this.recvReady) this.consume(info).catch((err) => this.fail(err));
  }

  private async consume(info: ProducerInfo): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || this.closed) return;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === info.producerId)) return;
    const options = await this.request('consume', { producerId: info.producerId });
    if (transport !== this.recvTransport) return; // recreated meanwhile; the new transport consumes it
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters as never,
    });
    const state: ConsumerState = {
      consumer,
      kind: options.kind,
      packets: 0,
      duplicates: 0,
      bytes: 0,
      firstSeq: -1,
      highestSeq: -1,
      seen: new Uint8Array(0x10000),
    };
    this.consumers.set(consumer.id, state);
    consumer.track.onReceiveRtp.subscribe((rtp) => this.onRtp(state, rtp.header.sequenceNumber, rtp.payload.length));
    await this.request('resumeConsumer', { consumerId: options.id });
  }

  private onRtp(state: ConsumerState, seq: number, bytes: number): void {
    if (state.seen[seq]) {
      state.duplicates++;
      return;
    }
    state.seen[seq] = 1;
    state.seen[(seq + 0x8000) & 0xffff] = 0;
    state.packets++;
    state.bytes += bytes;
    if (state.firstSeq < 0) {
      state.firstSeq = seq;
      state.highestSeq = seq;
      const ms = this.since();
      if (state.kind === 'audio') this.result.firstAudioMs ??= ms;
      else this.result.firstVideoMs ??= ms;
      if (this.result.firstMediaMs === null) {
        this.result.firstMediaMs = ms;
        this.checkJoined();
      }
      return;
    }
    // Extended sequence number: unwrap the 16-bit counter.
    const last = state.highestSeq & 0xffff;
    let delta = seq - last;
    if (delta < -0x8000) delta += 0x10000;
    else if (delta > 0x8000) delta -= 0x10000;
    if (delta > 0) state.highestSeq += delta;
  }

  /** Current totals (cumulative since start). */
  counters(): BotCounters {
    const c = addCounters(emptyCounters(), this.retired);
    for (const s of this.streams) {
      c.sentPackets += s.sent;
      c.sentBytes += s.sentBytes;
      c.skippedPackets += s.skipped;
    }
    for (const state of this.consumers.values()) {
      const r = c[state.kind];
      r.packets += state.packets;
      r.duplicates += state.duplicates;
      r.bytes += state.bytes;
      if (state.firstSeq >= 0) r.expected += state.highestSeq - state.firstSeq + 1;
    }
    return c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.result.counters = this.counters();
    for (const timer of this.watchdogs) clearTimeout(timer);
    for (const stream of this.streams) this.pacer.remove(stream);
    try {
      this.sendTransport?.close();
      this.recvTransport?.close();
    } catch {
      // werift may throw while tearing down a half-open connection.
    }
    this.socket?.close();
    if (!this.result.joined && !this.result.error) this.fail(new BotError('closed before joining'));
  }
}

export function emptyCounters(): BotCounters {
  return {
    sentPackets: 0,
    sentBytes: 0,
    skippedPackets: 0,
    audio: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
    video: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
  };
}

export function addCounters(a: BotCounters, b: BotCounters): BotCounters {
  return {
    sentPackets: a.sentPackets + b.sentPackets,
    sentBytes: a.sentBytes + b.sentBytes,
    skippedPackets: a.skippedPackets + b.skippedPackets,
    audio: {
      packets: a.audio.packets + b.audio.packets,
      duplicates: a.audio.duplicates + b.audio.duplicates,
      bytes: a.audio.bytes + b.audio.bytes,
      expected: a.audio.expected + b.audio.expected,
    },
    video: {
      packets: a.video.packets + b.video.packets,
      duplicates: a.video.duplicates + b.video.duplicates,
      bytes: a.video.bytes + b.video.bytes,
      expected: a.video.expected + b.video.expected,
    },
  };
}

export function subCounters(a: BotCounters, b: BotCounters): BotCounters {
  const neg = (c: BotCounters): BotCounters => ({
    sentPackets: -c.sentPackets,
    sentBytes: -c.sentBytes,
    skippedPackets: -c.skippedPackets,
    audio: {
      packets: -c.audio.packets,
      duplicates: -c.audio.duplicates,
      bytes: -c.audio.bytes,
      expected: -c.audio.expected,
    },
    video: {
      packets: -c.video.packets,
      duplicates: -c.video.duplicates,
      bytes: -c.video.bytes,
      expected: -c.video.expected,
    },
  });
  return addCounters(a, neg(b));
}
