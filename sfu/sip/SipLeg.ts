// One SIP call as a site of its meeting. The room system is a Peer like a
// browser's — admitted by the meeting's Admission, its picture and voice
// producers made by the meeting's Producers — so the chair's board, mute,
// floor, stage, roll-call and removal work on it unchanged. Its transports
// are mediasoup's plain and direct ones instead of WebRTC:
//   picture in   VideoRelay (the room's video port) ─► PlainTransport (RTCP-mux as offered) ─► camera producer
//                (H.264 as sent)
//   voice in     room ─► FFmpeg (AudioUplink) ─► Node stamps the level ─► DirectTransport mic producer
//   hearing      the meeting's mix for what it hears (MeetingMixes: shared by the rooms that feed no
//                audio slot) ─► MixOutlet (its own numbering) ─► room
//   picture out  the main picture ─► LegPicture (as it is when H.264, else the meeting's shared
//                FFmpeg adapter for that picture, MeetingPictures) ─► room
// Its connection object listens to what the meeting tells the site and keeps
// what it receives in step; a kick becomes a BYE.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { JoinClaims } from '../../contract/joinToken.ts';
import type { KickReason, ServerEvents } from '../../contract/signaling.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, PeerConnection, TransportAppData } from '../Peer.ts';
import { AUDIO_LEVEL_URI } from '../rtpHeader.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { AudioUplink, UPLINK_LEVEL_EXTENSION_ID, UPLINK_PAYLOAD_TYPE } from './AudioUplink.ts';
import { LegPicture } from './LegPicture.ts';
import { MixOutlet } from './MixOutlet.ts';
import { mainPicture } from './mainPicture.ts';
import { answerSdp, type SipOffer } from './sdpOffer.ts';
import { type SipMeetingMedia, sipMeetingMedia } from './sipMeetingMedia.ts';
import { VideoRelay } from './VideoRelay.ts';

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
  private readonly shared: SipMeetingMedia;
  private outlet?: MixOutlet;
  private picture?: LegPicture;
  private relay?: VideoRelay;
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

  private constructor(private readonly options: SipLegOptions) {
    this.shared = sipMeetingMedia(options.meeting, options);
  }

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
      excludeSelf: async () => leg.placeInMix(),
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

  /** The FFmpeg processes this leg uses (CPU measurements): its own voice in, and the mix and adapter it shares. */
  pids(): number[] {
    const mix = this.outlet && this.shared.mixes.pidOf(this.outlet);
    return [this.uplink?.pid, mix, this.picture?.pid].filter((pid): pid is number => pid !== undefined);
  }

  /** The SSRC of the picture the room receives, and the key frames sent so far. */
  get pictureStats(): { ssrc: number | null; keyFramesSent: number } {
    return { ssrc: this.picture?.ssrc ?? null, keyFramesSent: this.picture?.keyFramesSent ?? 0 };
  }

  /** The room asked for a key frame (SIP INFO picture_fast_update). */
  pictureFastUpdate(): void {
    this.picture?.keyFrame();
  }

  private async setUp(): Promise<void> {
    const { meeting, offer } = this.options;
    const { router } = await meeting.planes.of(this.site);
    const toRoom = offer.video ? await this.pictureIn(router) : null;
    await this.voiceIn(router);
    this.outlet = new MixOutlet(offer.audio as NonNullable<SipOffer['audio']>);
    if (toRoom && offer.video) {
      this.picture = new LegPicture({
        meeting,
        pictures: this.shared.pictures,
        siteId: this.site.id,
        workerIndex: this.site.workerIndex,
        toRoom,
        video: offer.video,
        onLost: () => this.refresh(),
      });
    }
    this.answer = answerSdp(
      offer,
      {
        address: this.options.announcedAddress,
        audioPort: this.uplink?.port ?? 0,
        video: toRoom && this.relay ? this.relay.ports : null,
      },
      Date.now(),
    );
    this.watchdog = setInterval(() => this.watch(), WATCH_MS);
    this.watchdog.unref();
    this.ready = true;
    this.refresh();
  }

  /**
   * The room's picture: its H.264 as the site's camera, on a transport that also carries its main picture back,
   * through the relay that holds the room's video port (sfu/sip/VideoRelay.ts: the payload type it receives).
   */
  private async pictureIn(router: types.Router): Promise<types.PlainTransport> {
    const video = this.options.offer.video as NonNullable<SipOffer['video']>;
    const relay = await VideoRelay.open(video, this.options.listenIp);
    this.relay = relay;
    const transport = await router.createPlainTransport<TransportAppData>({
      listenIp: '127.0.0.1',
      rtcpMux: video.rtcpMux,
      comedia: false,
      appData: { direction: 'send' },
    });
    this.keep(transport);
    await transport.connect({ ip: '127.0.0.1', ...relay.innerPorts });
    relay.connect(transport.tuple.localPort, transport.rtcpTuple?.localPort);
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
        this.shared.mixes.follow();
        this.placeInMix();
        await this.picture?.show(mainPicture(this.options.meeting, this.site.id));
      } catch (err) {
        this.options.log.warn(
          { meetingId: this.options.meeting.id, siteId: this.site.id, err: (err as Error).message },
          'SIP leg could not follow the meeting',
        );
      }
    });
  }

  /** Puts the room in the mix for what it hears: every audio slot but those it feeds (or just fed). */
  private placeInMix(): void {
    const { slots } = this.options.meeting;
    if (!this.outlet || this.ended) return;
    const excluded = Array.from({ length: slots.count }, (_, slot) => slot).filter((slot) =>
      slots.excludes(this.site.id, slot),
    );
    void this.shared.mixes.place(this.outlet, excluded);
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
    if (this.outlet) this.shared.mixes.leave(this.outlet);
    this.picture?.close();
    this.relay?.close();
    await this.uplink?.stop();
    // A leg that never got its media up never was a call to lose.
    if (this.ready) this.options.onEnded?.(this.kick);
  }
}
