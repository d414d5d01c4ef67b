// One SIP call as a site of its meeting. The room system is a Peer like a
// browser's — admitted by the meeting's Admission, its picture and voice
// producers made by the meeting's Producers — so the chair's board, mute,
// floor, stage, roll-call and removal work on it unchanged. Its transports
// are mediasoup's plain and direct ones instead of WebRTC:
//   picture in   PlainTransport (comedia, RTCP-mux as offered) ─► camera producer (H.264 as sent)
//   voice in     room ─► FFmpeg (AudioUplink) ─► Node stamps the level ─► DirectTransport mic producer
//   hearing      DirectTransport consumers of the chair's mic and the slots ─► AudioMix (FFmpeg) ─► room
//   picture out  the main picture ─► VideoAdapter (as it is when H.264, else FFmpeg) ─► room
// Its connection object listens to what the meeting tells the site and keeps
// what it receives in step; a kick becomes a BYE.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { JoinClaims } from '../../contract/joinToken.ts';
import type { KickReason, ServerEvents } from '../../contract/signaling.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { ConsumerAppData, Peer, PeerConnection, ProducerAppData, TransportAppData } from '../Peer.ts';
import { AUDIO_LEVEL_URI } from '../rtpHeader.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { AudioMix } from './AudioMix.ts';
import { AudioUplink, UPLINK_LEVEL_EXTENSION_ID, UPLINK_PAYLOAD_TYPE } from './AudioUplink.ts';
import { heardProducers, mainPicture } from './mainPicture.ts';
import { answerSdp, type SipOffer } from './sdpOffer.ts';
import { VideoAdapter } from './VideoAdapter.ts';

/** Events after which what the room receives may have changed (a new chair, stage, slots, content). */
const RECEIVE_EVENTS: ReadonlySet<keyof ServerEvents> = new Set([
  'peerJoined',
  'peerLeft',
  'newProducer',
  'producerClosed',
  'producerPaused',
  'producerResumed',
  'meetingUpdated',
  'audioSlots',
  'consumerClosed',
]);
/** How often the call's audio is checked for having stopped. */
const WATCH_MS = 1000;

export interface SipLegOptions {
  meeting: MeetingRoom;
  claims: JoinClaims;
  offer: SipOffer;
  /** Where the room's RTP arrives (RTC_LISTEN_IP) and the address the answer names. */
  listenIp: string;
  announcedAddress: string;
  ffmpegPath: string;
  videoKbps: number;
  mediaTimeoutMs: number;
  log: Logger;
  /** The hub ends the call (kick, removal, the meeting's end, lost media): send the room a BYE. */
  onHangUp(): void;
  /** The call ended; `kick` says why the meeting let the site go (removed, ended, …), null: the call dropped. */
  onEnded?(kick: KickReason | null): void;
}

export type LegEnd = 'left' | 'disconnected';

export class SipLeg {
  private site!: Peer;
  private uplink?: AudioUplink;
  private mix?: AudioMix;
  private video?: VideoAdapter;
  private hearing: (types.Consumer<ConsumerAppData> | null)[] = [];
  private readonly refreshes = new SerialQueue();
  private refreshPending = false;
  private watchdog?: NodeJS.Timeout;
  private ended = false;
  /** Why the meeting let the site go, once it did (told before the disconnect). */
  private kick: KickReason | null = null;
  /** Set once its media is up: events before then (its own admission) change nothing yet. */
  private ready = false;
  /** The SDP answer of the call. */
  answer = '';

  private constructor(private readonly options: SipLegOptions) {}

  /** Admits the room into its meeting and sets its media up; throws the admission's SignalingError. */
  static async open(options: SipLegOptions): Promise<SipLeg> {
    const leg = new SipLeg(options);
    const connection: PeerConnection = {
      notify: (event, payload) => {
        if (event === 'kicked') leg.kick = (payload as { reason: KickReason }).reason;
        leg.heard(event);
      },
      // After the kick's own leave (removal, revocation, the meeting's end), which says why the site left.
      disconnect: () => setImmediate(() => void leg.end('left', true)),
    };
    leg.site = await options.meeting.admission.admit(options.claims, connection);
    try {
      await leg.setUp();
    } catch (err) {
      await leg.end('left');
      throw err;
    }
    return leg;
  }

  get siteId(): string {
    return this.site.id;
  }

  /** The FFmpeg processes of this leg (CPU measurements). */
  pids(): number[] {
    return [this.uplink?.pid, this.mix?.pid, this.video?.pid].filter((pid): pid is number => pid !== undefined);
  }

  private async setUp(): Promise<void> {
    const { meeting, offer } = this.options;
    const { router } = await meeting.planes.of(this.site);
    const toRoom = offer.video ? await this.pictureIn(router) : null;
    await this.voiceIn(router);
    await this.hearingOut(router);
    if (toRoom && offer.video) {
      this.video = new VideoAdapter({
        router,
        toRoom,
        video: offer.video,
        ffmpegPath: this.options.ffmpegPath,
        kbps: this.options.videoKbps,
        onDied: (detail) => this.mediaFailed('video adapter', detail),
      });
    }
    this.answer = answerSdp(
      offer,
      {
        address: this.options.announcedAddress,
        audioPort: this.uplink?.port ?? 0,
        video: toRoom ? { port: toRoom.tuple.localPort, rtcpPort: toRoom.rtcpTuple?.localPort ?? 0 } : null,
      },
      Date.now(),
    );
    this.watchdog = setInterval(() => this.watch(), WATCH_MS);
    this.watchdog.unref();
    this.ready = true;
    this.refresh();
  }

  /** The room's picture: its H.264 as the site's camera, on a transport that also carries its main picture back. */
  private async pictureIn(router: types.Router): Promise<types.PlainTransport> {
    const video = this.options.offer.video as NonNullable<SipOffer['video']>;
    const transport = await router.createPlainTransport<TransportAppData>({
      listenIp: { ip: this.options.listenIp, announcedIp: this.options.announcedAddress },
      rtcpMux: video.rtcpMux,
      comedia: true,
      appData: { direction: 'send' },
    });
    this.keep(transport);
    // Without the room's SSRC the worker cannot tell its packets apart: the room sees, but is not seen.
    if (video.ssrc === null) return transport;
    await this.options.meeting.producers.produce(this.site, {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: video.payloadType,
            clockRate: 90000,
            parameters: {
              'packetization-mode': 1,
              'profile-level-id': video.profileLevelId,
              'level-asymmetry-allowed': 1,
            },
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
          },
        ],
        encodings: [{ ssrc: video.ssrc }],
        rtcp: { cname: `sip-${this.site.id}`, reducedSize: true },
      },
    });
    return transport;
  }

  private async voiceIn(router: types.Router): Promise<void> {
    const transport = await router.createDirectTransport<TransportAppData>({
      maxMessageSize: 262_144,
      appData: { direction: 'send' },
    });
    this.keep(transport);
    let producer: types.Producer | undefined;
    const uplink = new AudioUplink({
      audio: this.options.offer.audio as NonNullable<SipOffer['audio']>,
      ffmpegPath: this.options.ffmpegPath,
      onPacket: (packet) => {
        if (producer && !producer.closed) producer.send(packet);
      },
      onDied: (detail) => this.mediaFailed('audio uplink', detail),
    });
    this.uplink = uplink;
    await uplink.start();
    const { producerId } = await this.options.meeting.producers.produce(this.site, {
      transportId: transport.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: UPLINK_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: UPLINK_LEVEL_EXTENSION_ID }],
        encodings: [{ ssrc: uplink.ssrc }],
        rtcp: { cname: `sip-${this.site.id}`, reducedSize: true },
      },
    });
    producer = this.site.producers.get(producerId);
  }

  private async hearingOut(router: types.Router): Promise<void> {
    const transport = await router.createDirectTransport<TransportAppData>({
      maxMessageSize: 262_144,
      appData: { direction: 'recv' },
    });
    this.keep(transport);
    const inputs = 1 + this.options.meeting.slots.count;
    this.hearing = Array.from({ length: inputs }, () => null);
    this.mix = new AudioMix({
      inputs,
      audio: this.options.offer.audio as NonNullable<SipOffer['audio']>,
      ffmpegPath: this.options.ffmpegPath,
      onDied: (detail) => this.mediaFailed('audio mix', detail),
    });
    await this.mix.start();
  }

  /** The site's transports live in its Peer, so that leaving the meeting closes them with everything on them. */
  private keep(transport: types.Transport<TransportAppData>): void {
    this.site.transports.set(transport.id, transport);
    transport.observer.once('close', () => {
      this.site.transports.delete(transport.id);
      // Closed under the leg (a worker died, the site was let go): the call cannot go on.
      void this.end('disconnected', true);
    });
  }

  private heard(event: keyof ServerEvents): void {
    if (event === 'mediaReset') {
      void this.end('disconnected', true);
      return;
    }
    if (RECEIVE_EVENTS.has(event)) this.refresh();
  }

  /** Brings what the room hears and sees in step with the meeting, once per burst of events. */
  private refresh(): void {
    if (this.refreshPending || this.ended || !this.ready) return;
    this.refreshPending = true;
    void this.refreshes.run(async () => {
      this.refreshPending = false;
      if (this.ended) return;
      try {
        await this.hear(heardProducers(this.options.meeting, this.site.id));
        await this.see(mainPicture(this.options.meeting, this.site.id));
      } catch (err) {
        this.options.log.warn(
          { meetingId: this.options.meeting.id, siteId: this.site.id, err: (err as Error).message },
          'SIP leg could not follow the meeting',
        );
      }
    });
  }

  /** Shows the room `picture`, brought to its worker's router first. */
  private async see(picture: types.Producer<ProducerAppData> | null): Promise<void> {
    if (!this.video) return;
    const { planes, sites } = this.options.meeting;
    const owner = picture ? sites.get(picture.appData.peerId) : undefined;
    if (picture && owner) await planes.pipe(picture.id, owner.workerIndex, this.site.workerIndex);
    await this.video.show(owner ? picture : null);
  }

  private async hear(wanted: (string | null)[]): Promise<void> {
    const { meeting } = this.options;
    const transport = [...this.site.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!transport) return;
    for (const [index, producerId] of wanted.entries()) {
      const current = this.hearing[index];
      if ((current?.producerId ?? null) === producerId && !current?.closed) continue;
      current?.close();
      this.hearing[index] = null;
      if (!producerId) continue;
      const slot = index === 0 ? null : index - 1;
      const owner = slot === null ? [...meeting.sites.values()].find((s) => s.producers.has(producerId)) : undefined;
      await meeting.planes.pipe(
        producerId,
        owner ? owner.workerIndex : meeting.planes.homeIndex,
        this.site.workerIndex,
      );
      const excluded = slot !== null && meeting.slots.excludes(this.site.id, slot);
      const consumer = await transport.consume<ConsumerAppData>({
        producerId,
        rtpCapabilities: { codecs: meeting.planes.rtpCapabilities.codecs?.filter((c) => c.kind === 'audio') },
        paused: excluded,
        appData: {
          peerId: owner?.id ?? null,
          slot,
          clientPaused: false,
          selfExcluded: excluded,
          serverPaused: excluded,
          requestedSpatial: 0,
          content: false,
        },
      });
      this.hearing[index] = consumer;
      this.site.consumers.set(consumer.id, consumer);
      consumer.observer.once('close', () => this.site.consumers.delete(consumer.id));
      consumer.on('rtp', (packet) => this.mix?.push(index, packet));
      consumer.on('producerclose', () => consumer.close());
    }
  }

  private watch(): void {
    const quiet = Date.now() - (this.uplink?.lastPacketAt ?? 0);
    if (quiet < this.options.mediaTimeoutMs) return;
    this.options.log.info(
      { meetingId: this.options.meeting.id, siteId: this.site.id, quietMs: quiet },
      'SIP call went quiet',
    );
    void this.end('disconnected', true);
  }

  private mediaFailed(part: string, detail: string): void {
    if (this.ended) return;
    this.options.log.warn(
      { meetingId: this.options.meeting.id, siteId: this.site.id, part, detail },
      'SIP leg media process died',
    );
    void this.end('disconnected', true);
  }

  /**
   * The call ends: from the room's side (BYE: 'left'), or from the hub's
   * (`hangUp`: the room gets a BYE) — lost media, or the meeting let the site go
   * (a kick, its end), when leaving again changes nothing.
   */
  async end(reason: LegEnd, hangUp = false): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.watchdog);
    if (hangUp) this.options.onHangUp();
    // Before leaving: the transports closing with the site must not end the call a second time.
    this.options.meeting.admission.leave(this.site, reason);
    await Promise.all([this.uplink?.stop(), this.mix?.stop(), this.video?.close()]);
    // A leg that never got its media up never was a call to lose.
    if (this.ready) this.options.onEnded?.(this.kick);
  }
}
