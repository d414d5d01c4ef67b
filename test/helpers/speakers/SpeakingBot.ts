// A site for tests of who hears whom: a real WebRTC peer (msc-node on werift,
// set up as the load bench's bots are) that joins with a token, sends a
// microphone whose ssrc-audio-level the test turns loud or quiet, receives
// exactly what its receive plan says (contract/receivePlan.ts: the chair, the
// stage, the audio slots), and records which site's voice arrived on its slot
// consumers and when (every bot writes its label into its opus payload), and
// every signaling event it was sent. It may also send a blank camera, counts
// the video packets it receives from each site, keeps the sites it was told of
// (the chair's board) and the meeting's state, sends the requests the test
// gives it (a chair's actions), and shares blank content when told to. Runs in a bot process (speakingBotProcess.ts).
import { Device, MediaStreamTrack, RtpHeader, RtpPacket, serializeAudioLevelIndication } from 'msc-node';
import type { Consumer } from 'msc-node/lib/Consumer.js';
import type { Transport } from 'msc-node/lib/Transport.js';
import { io, type Socket } from 'socket.io-client';
import { type PlanMeeting, planOf, receivePlan } from '../../../contract/receivePlan.ts';
import type {
  Ack,
  AudioSlotInfo,
  ClientEvents,
  ConsumerOptions,
  MediaSource,
  MeetingState,
  PeerInfo,
  ProducerInfo,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
  TransportOptions,
} from '../../../contract/signaling.ts';
import { ClientRoleWerift } from '../werift/ClientRoleWerift.ts';
import { AUDIO_LEVEL_URI, type DtlsKeys, loopbackSettings, VideoStream, weriftCapabilities } from '../werift/media.ts';

export interface SpeakingBotConfig {
  url: string;
  token: string;
  label: string;
  requestTimeoutMs: number;
  /** Also send a blank VP8 camera (10 frames a second). */
  camera?: boolean;
}

/** A site's voice as heard on this bot's slot consumers; times are epoch milliseconds. */
export interface Heard {
  packets: number;
  first: number;
  last: number;
}

export interface SpeakingBotReport {
  label: string;
  joined: boolean;
  error: string | null;
  /** Consumers this bot holds now, by kind, and how many of them are audio slots. */
  consumers: { audio: number; video: number; slots: number };
  /** Every event the hub sent this bot, counted by name. */
  events: Record<string, number>;
  /** Voices that arrived on the slots, by the sending bot's label (since the last reset). */
  heard: Record<string, Heard>;
  /** Packets from the chair's microphone consumer. */
  chairAudioPackets: number;
  /** When this bot's current loud spell started sending, or null while quiet. */
  loudSince: number | null;
  /** Video packets received, by the site whose camera they are. */
  videoPackets: Record<string, number>;
  /** The sites this bot was told of, id → name (the chair's board). */
  board: Record<string, string>;
  /** Whether the board shows each site's microphone open. */
  boardMic: Record<string, boolean>;
  /** This bot's own microphone producer (to pause and resume it). */
  micProducerId: string | null;
  /** The meeting's state as last announced. */
  meeting: MeetingState | null;
  /** This site as the hub last described it to itself (`selfUpdated`): muted by the chair, allowed to speak. */
  self: PeerInfo | null;
}

const LOUD_LEVEL = 20;
const QUIET_LEVEL = 127;
const OPUS_FRAME_TICKS = 960;
/** The camera sends a frame every this many 20 ms ticks (10 frames a second). */
const TICKS_PER_FRAME = 5;
/** What every bot's payload starts with, before its label. */
const MARK = 'diemcau:';

const epochNow = () => performance.timeOrigin + performance.now();
type HubSocket = Socket<ServerEvents, ClientEvents>;

export class SpeakingBot {
  private socket?: HubSocket;
  private recv?: Transport;
  private send?: Transport;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private readonly video = new VideoStream({ fps: 10, packetsPerFrame: 1, payloadBytes: 300, keyFrameEverySec: 1 });
  /** The content it shares once allowed to present (`share`), a blank VP8 stream like its camera. */
  private readonly screen = new VideoStream({ fps: 10, packetsPerFrame: 1, payloadBytes: 300, keyFrameEverySec: 1 });
  private sharing = false;
  private ticks = 0;
  private levelId = 0;
  private sending = false;
  private seq = Math.floor(Math.random() * 0xffff);
  private ts = Math.floor(Math.random() * 0xffffffff);
  private readonly payload: Buffer;
  private loud = false;
  private self: PeerInfo | null = null;
  private meeting: PlanMeeting | null = null;
  private readonly producers = new Map<string, ProducerInfo>();
  private slots: AudioSlotInfo[] = [];
  private readonly consumers = new Map<string, { consumer: Consumer; slot: number | null; kind: string }>();
  private readonly consuming = new Set<string>();
  private reconciling: Promise<void> = Promise.resolve();
  private closed = false;
  readonly report: SpeakingBotReport;

  constructor(
    readonly config: SpeakingBotConfig,
    private readonly keys: DtlsKeys,
  ) {
    this.payload = Buffer.concat([Buffer.from(`${MARK}${config.label};`), Buffer.alloc(100, 0xfc)]);
    this.report = {
      label: config.label,
      joined: false,
      error: null,
      consumers: { audio: 0, video: 0, slots: 0 },
      events: {},
      heard: {},
      chairAudioPackets: 0,
      loudSince: null,
      videoPackets: {},
      board: {},
      boardMic: {},
      micProducerId: null,
      meeting: null,
      self: null,
    };
  }

  async start(): Promise<void> {
    try {
      await this.join();
      this.report.joined = true;
    } catch (err) {
      this.report.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Turns the microphone's level loud (speech) or quiet (room noise); packets flow either way. */
  speak(loud: boolean): void {
    if (loud !== this.loud) this.report.loudSince = null; // a loud spell starts at its first packet (tick)
    this.loud = loud;
  }

  resetHeard(): void {
    this.report.heard = {};
  }

  /** Starts sending content (`screen`): the chair must have allowed this site to present. */
  async share(): Promise<void> {
    if (!this.send) throw new Error('not joined');
    await this.send.produce({ track: this.screen.track, appData: { source: 'screen' } });
    this.sharing = true;
  }

  /** One 20 ms packet (called by the process's pacer). */
  tick(): void {
    if (!this.sending || this.closed) return;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + OPUS_FRAME_TICKS) >>> 0;
    const level = this.loud ? LOUD_LEVEL : QUIET_LEVEL;
    if (this.loud) this.report.loudSince ??= epochNow();
    const extensions = this.levelId ? [{ id: this.levelId, payload: serializeAudioLevelIndication(level) }] : [];
    const header = new RtpHeader({
      sequenceNumber: this.seq,
      timestamp: this.ts,
      payloadType: 0,
      extensions,
      extension: extensions.length > 0,
    });
    this.track.writeRtp(new RtpPacket(header, this.payload));
    if (this.ticks++ % TICKS_PER_FRAME !== 0) return;
    if (this.config.camera) this.video.tick();
    if (this.sharing) this.screen.tick();
  }

  snapshot(): SpeakingBotReport {
    const counts = { audio: 0, video: 0, slots: 0 };
    for (const c of this.consumers.values()) {
      if (c.consumer.closed) continue;
      if (c.kind === 'audio') counts.audio++;
      else counts.video++;
      if (c.slot !== null) counts.slots++;
    }
    const { events, heard, videoPackets, board, boardMic } = this.report;
    return {
      ...this.report,
      consumers: counts,
      events: { ...events },
      heard: { ...heard },
      videoPackets: { ...videoPackets },
      board: { ...board },
      boardMic: { ...boardMic },
      self: this.self,
    };
  }

  close(): void {
    this.closed = true;
    try {
      this.send?.close();
      this.recv?.close();
    } catch {
      // werift may throw while tearing down a half-open connection.
    }
    this.socket?.close();
  }

  // -------------------------------------------------------------------------

  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('no socket'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no answer`)), this.config.requestTimeoutMs);
      (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseMap[N]>) => void) => void)(name, payload, (ack) => {
        clearTimeout(timer);
        if (ack.ok) resolve(ack.data);
        else reject(new Error(`${name} refused: ${ack.error.code} ${ack.error.messageEn}`));
      });
    });
  }

  private async join(): Promise<void> {
    const socket: HubSocket = io(this.config.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket = socket;
    socket.onAny((event: string) => {
      this.report.events[event] = (this.report.events[event] ?? 0) + 1;
    });
    socket.on('newProducer', (p) => this.learn(() => this.producers.set(p.producerId, p)));
    socket.on('producerClosed', ({ producerId }) => this.learn(() => this.producers.delete(producerId)));
    socket.on('meetingUpdated', ({ meeting }) =>
      this.learn(() => {
        this.report.meeting = meeting;
        this.meeting = planOf(meeting);
      }),
    );
    socket.on('selfUpdated', ({ peer }) => this.learn(() => (this.self = peer)));
    socket.on('peerJoined', ({ peer }) => {
      this.report.board[peer.id] = peer.displayName;
      this.report.boardMic[peer.id] = peer.micOn;
    });
    socket.on('peerUpdated', ({ peer }) => {
      this.report.boardMic[peer.id] = peer.micOn;
    });
    socket.on('peerLeft', ({ peerId }) => {
      delete this.report.board[peerId];
      delete this.report.boardMic[peerId];
    });
    socket.on('audioSlots', ({ slots }) => this.learn(() => (this.slots = slots)));
    socket.on('consumerClosed', ({ producerId }) =>
      this.learn(() => {
        this.consumers.get(producerId)?.consumer.close();
        this.consumers.delete(producerId);
      }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const joined = await this.request('join', { token: this.config.token });
    this.self = joined.self;
    this.report.meeting = joined.meeting;
    for (const peer of joined.peers) {
      this.report.board[peer.id] = peer.displayName;
      this.report.boardMic[peer.id] = peer.micOn;
    }
    this.meeting = planOf(joined.meeting);
    for (const p of joined.producers) this.producers.set(p.producerId, p);
    this.slots = joined.audioSlots;

    const device = new Device(weriftCapabilities(), {
      handlerFactory: ClientRoleWerift.clientRoleFactory(weriftCapabilities()),
    });
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
    await this.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities as never });
    this.send = this.transport(device, await this.request('createTransport', { direction: 'send' }));
    this.recv = this.transport(device, await this.request('createTransport', { direction: 'recv' }));
    const sendConnected = connected(this.send);
    const producer = await this.send.produce({ track: this.track, appData: { source: 'mic' } });
    this.report.micProducerId = producer.id;
    this.levelId = producer.rtpParameters.headerExtensions?.find((e) => e.uri === AUDIO_LEVEL_URI)?.id ?? 0;
    if (this.config.camera) await this.send.produce({ track: this.video.track, appData: { source: 'camera' } });
    await sendConnected;
    this.sending = true;
    await this.reconcile();
    await connected(this.recv);
  }

  private transport(device: Device, options: TransportOptions): Transport {
    const settings = {
      id: options.id,
      iceParameters: options.iceParameters,
      iceCandidates: options.iceCandidates,
      dtlsParameters: options.dtlsParameters,
      additionalSettings: loopbackSettings(this.keys),
    } as Parameters<Device['createSendTransport']>[0];
    const transport =
      options.direction === 'send' ? device.createSendTransport(settings) : device.createRecvTransport(settings);
    transport.on(
      'connect',
      ({ dtlsParameters }: { dtlsParameters: unknown }, done: () => void, fail: (e: Error) => void) => {
        this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(
          () => done(),
          fail,
        );
      },
    );
    transport.on(
      'produce',
      (
        {
          kind,
          rtpParameters,
          appData,
        }: { kind: 'audio' | 'video'; rtpParameters: unknown; appData: { source: MediaSource } },
        done: (r: { id: string }) => void,
        fail: (e: Error) => void,
      ) => {
        this.request('produce', {
          transportId: transport.id,
          kind,
          source: appData.source,
          rtpParameters: rtpParameters as never,
        })
          .then(({ producerId }) => done({ id: producerId }))
          .catch(fail);
      },
    );
    return transport;
  }

  /** Something the plan depends on changed: bring the consumers in line, one pass at a time. */
  private learn(change: () => void): void {
    change();
    this.reconciling = this.reconciling.then(() => this.reconcile()).catch(() => {});
  }

  private async reconcile(): Promise<void> {
    if (!this.recv || !this.self || !this.meeting || this.closed) return;
    const plan = receivePlan(this.self, this.meeting, this.producers.values(), this.slots);
    const wanted = new Set([...plan.audio, ...plan.video.map((p) => p.producerId)]);
    for (const [producerId, { consumer }] of this.consumers) {
      if (wanted.has(producerId) && !consumer.closed) continue;
      this.consumers.delete(producerId);
      if (!consumer.closed) {
        consumer.close();
        await this.request('closeConsumer', { consumerId: consumer.id }).catch(() => {});
      }
    }
    await Promise.all([...wanted].filter((id) => !this.consumers.has(id)).map((id) => this.consume(id)));
  }

  private async consume(producerId: string): Promise<void> {
    const recv = this.recv;
    if (!recv || this.consuming.has(producerId)) return;
    this.consuming.add(producerId);
    try {
      const o = await this.request('consume', { producerId });
      const consumer = await recv.consume({
        id: o.id,
        producerId,
        kind: o.kind,
        rtpParameters: o.rtpParameters as never,
      });
      this.consumers.set(producerId, { consumer, slot: o.slot, kind: o.kind });
      consumer.track.onReceiveRtp.subscribe((rtp) => this.received(o, rtp.payload));
      await this.request('resumeConsumer', { consumerId: o.id });
    } finally {
      this.consuming.delete(producerId);
    }
  }

  private received({ slot, kind, peerId }: ConsumerOptions, payload: Buffer): void {
    if (kind === 'video') {
      const from = peerId ?? '?';
      this.report.videoPackets[from] = (this.report.videoPackets[from] ?? 0) + 1;
      return;
    }
    if (slot === null) {
      this.report.chairAudioPackets++;
      return;
    }
    const text = payload.subarray(0, 64).toString('latin1');
    if (!text.startsWith(MARK)) return;
    const source = text.slice(MARK.length, text.indexOf(';'));
    const now = epochNow();
    const heard = this.report.heard[source];
    if (heard) {
      heard.packets++;
      heard.last = now;
    } else {
      this.report.heard[source] = { packets: 1, first: now, last: now };
    }
  }
}

function connected(transport: Transport): Promise<void> {
  if (transport.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${transport.direction} transport did not connect`)), 15_000);
    transport.on('connectionstatechange', (state: string) => {
      if (state !== 'connected') return;
      clearTimeout(timer);
      resolve();
    });
  });
}
