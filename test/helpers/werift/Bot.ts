// One simulated site (điểm cầu) for the tests: a real WebRTC peer (ICE, DTLS, SRTP) made of
// msc-node's Device on werift, joining through the public socket.io signaling
// with a join token exactly like the browser client. It sends opus (and
// optionally blank low-rate VP8) and consumes the chair's audio and video,
// counting packets, bytes, sequence gaps and the time from the join request to
// the first media packet. Signaling, the send side and the receive side are
// BotSignaling, BotSender and BotReceiver; this class joins, decides what to
// receive, and keeps the result.
import { Device } from 'msc-node';
import type { ProducerInfo } from '../../../contract/signaling.ts';
import type { BotConfig } from './BotConfig.ts';
import { BotError } from './BotError.ts';
import { BotReceiver } from './BotReceiver.ts';
import { BotSender } from './BotSender.ts';
import { BotSignaling, type HubSocket } from './BotSignaling.ts';
import { BotTransports } from './BotTransports.ts';
import { ClientRoleWerift } from './ClientRoleWerift.ts';
import { type BotCounters, emptyCounters } from './counters.ts';
import { type DtlsKeys, type Pacer, weriftCapabilities } from './media.ts';

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

export class Bot {
  private readonly signaling: BotSignaling;
  private readonly transports: BotTransports;
  private readonly sender: BotSender;
  private readonly receiver: BotReceiver;
  private device?: Device;
  private chairId: string | null = null;
  private closed = false;
  private joinRequestAt = 0;
  readonly result: BotResult;
  /** Resolves when the bot is fully joined (or rejects when it gives up). */
  private settle!: { resolve: () => void; reject: (err: Error) => void };
  readonly ready: Promise<void>;

  constructor(
    readonly config: BotConfig,
    keys: DtlsKeys,
    pacer: Pacer,
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
    this.signaling = new BotSignaling(config.url, config.requestTimeoutMs);
    this.transports = new BotTransports(
      this.signaling,
      keys,
      config,
      () => this.result.transportRetries++,
      (err) => this.fail(err),
    );
    this.sender = new BotSender(config, this.signaling, this.transports, pacer, () => {
      this.result.sendConnectedMs ??= this.since();
      this.checkJoined();
    });
    this.receiver = new BotReceiver(this.signaling, this.transports, {
      connected: () => {
        this.result.recvConnectedMs ??= this.since();
        this.checkJoined();
      },
      firstPacket: (kind) => this.onFirstPacket(kind),
      fail: (err) => this.fail(err),
    });
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

  private get sends(): boolean {
    return Boolean(this.config.sendAudio || this.config.sendVideo);
  }

  private checkJoined(): void {
    if (this.result.joined || this.result.error) return;
    const sendOk = !this.sends || this.sender.connected;
    const recvOk = !this.config.consumeChair || (this.receiver.connected && this.result.firstMediaMs !== null);
    if (sendOk && recvOk) {
      this.result.joined = true;
      this.settle.resolve();
    }
  }

  // -------------------------------------------------------------------------
  // Joining

  private async join(): Promise<void> {
    const socket = this.signaling.open();
    this.bindEvents(socket);
    this.joinRequestAt = performance.now();
    await this.signaling.connected();
    const joined = await this.signaling.request('join', { token: this.config.token });
    this.result.joinAckMs = this.since();
    this.chairId = joined.meeting.chairSiteId;
    for (const p of joined.producers) this.onProducer(p);

    const device = new Device(weriftCapabilities(), {
      handlerFactory: ClientRoleWerift.clientRoleFactory(weriftCapabilities()),
    });
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
    this.device = device;
    await this.signaling.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities as never });
    await this.setUpMedia();
    this.checkJoined();
  }

  private bindEvents(socket: HubSocket): void {
    socket.on('newProducer', (p) => this.onProducer(p));
    socket.on('meetingUpdated', ({ meeting }) => {
      this.chairId = meeting.chairSiteId;
    });
    socket.on('audioLevels', ({ levels }) => {
      if (levels.length > 0) this.result.audioLevelEvents++;
      this.result.mostLevelsInOneEvent = Math.max(this.result.mostLevelsInOneEvent, levels.length);
    });
    socket.on('activeSpeaker', () => this.result.activeSpeakerEvents++);
    socket.on('producerClosed', ({ producerId }) => this.receiver.remove(producerId));
    socket.on('mediaReset', () => this.onMediaReset());
    socket.on('kicked', ({ reason }) => {
      this.result.kicked = reason;
      this.fail(new BotError(`kicked: ${reason}`));
    });
    socket.on('disconnect', (reason) => {
      if (!this.closed) this.fail(new BotError(`signaling disconnected: ${reason}`));
    });
  }

  /** Sets up (or re-creates) the send side when the bot sends and the receive side when it receives. */
  private async setUpMedia(): Promise<void> {
    const device = this.device;
    if (!device) throw new BotError('device not loaded');
    const tasks: Promise<void>[] = [];
    if (this.sends) tasks.push(this.sender.setup(device));
    if (this.config.consumeChair) tasks.push(this.receiver.setup(device));
    await Promise.all(tasks);
  }

  /** The worker carrying this site restarted: re-create transports, producers and consumers, as the browser does. */
  private onMediaReset(): void {
    this.result.mediaResets++;
    this.transports.resetAttempts();
    this.setUpMedia().catch((err) => this.fail(err));
  }

  // -------------------------------------------------------------------------
  // Receiving

  /**
   * A fixed part of the receive plan, for the recovery tests that use these
   * bots (worker loss, resume, ICE restart): a site takes the chair's audio and
   * video (in every site's plan, contract/receivePlan.ts), the chair nothing.
   * The bots that receive the whole plan as the browser does are the load
   * bench's Pion bots (bench/pion/PlanFollower.ts).
   */
  private receives(info: ProducerInfo): boolean {
    return this.config.consumeChair && this.chairId !== null && info.peerId === this.chairId;
  }

  private onProducer(info: ProducerInfo): void {
    if (this.receives(info)) this.receiver.add(info);
  }

  private onFirstPacket(kind: 'audio' | 'video'): void {
    const ms = this.since();
    if (kind === 'audio') this.result.firstAudioMs ??= ms;
    else this.result.firstVideoMs ??= ms;
    if (this.result.firstMediaMs === null) {
      this.result.firstMediaMs = ms;
      this.checkJoined();
    }
  }

  /** Current totals (cumulative since start). */
  counters(): BotCounters {
    const c = emptyCounters();
    this.sender.addTo(c);
    this.receiver.addTo(c);
    return c;
  }

  /** Drops `ratio` of the packets this site sends (0: none), as a lossy uplink would. */
  setSendLoss(ratio: number): void {
    this.sender.setDropRatio(ratio);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.result.counters = this.counters();
    this.transports.close();
    this.sender.close();
    this.receiver.close();
    this.signaling.close();
    if (!this.result.joined && !this.result.error) this.fail(new BotError('closed before joining'));
  }
}
