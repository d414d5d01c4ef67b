// The one picture a room system receives: the meeting's main picture
// (sfu/sip/mainPicture.ts), consumed on the leg's own PlainTransport and sent
// to the room as H.264 under the payload type the room offered. An H.264
// picture (another room system on stage) goes as it is; anything else
// (browsers send VP8) goes through the meeting's shared adapter for it
// (sfu/sip/MeetingPictures.ts), whose H.264 output is consumed here the same
// way. Key frames: the room's PLI/FIR (seen on the leg's consumer) and its SIP
// INFO picture_fast_update (keyFrame()) go to the source through mediasoup, or
// to the adapter, which asks its source.
import type { types } from 'mediasoup';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { ProducerAppData } from '../Peer.ts';
import type { MeetingPictures } from './MeetingPictures.ts';
import { ADAPTED_PROFILE, type PictureAdapter } from './PictureAdapter.ts';
import type { OfferedVideo } from './sdpOffer.ts';

export interface LegPictureOptions {
  meeting: MeetingRoom;
  pictures: MeetingPictures;
  /** The leg's site id and worker. */
  siteId: string;
  workerIndex: number;
  /** The leg's transport to the room (comedia). */
  toRoom: types.PlainTransport;
  video: OfferedVideo;
  /** The adapter of what it showed died: show the main picture again (a fresh adapter starts). */
  onLost(): void;
}

interface Showing {
  sourceId: string;
  consumer: types.Consumer;
  /** Set when the source is adapted: the shared adapter this leg holds. */
  adapter?: PictureAdapter;
}

export class LegPicture {
  private showing: Showing | null = null;
  private closed = false;
  /** Key frames sent to the room (distinct RTP timestamps of key-frame packets). */
  keyFramesSent = 0;
  private lastKeyFrameTs = -1;
  private readonly lost = () => this.options.onLost();

  constructor(private readonly options: LegPictureOptions) {}

  /** What source producer the room sees now. */
  get sourceId(): string | null {
    return this.showing?.sourceId ?? null;
  }

  /** The SSRC the room receives the picture with. */
  get ssrc(): number | null {
    return this.showing?.consumer.rtpParameters.encodings?.[0]?.ssrc ?? null;
  }

  /** The FFmpeg adapting what the room sees, if it is adapted. */
  get pid(): number | undefined {
    return this.showing?.adapter?.pid;
  }

  /** Shows `source` (null: nothing) to the room; the same source again changes nothing. */
  async show(source: types.Producer<ProducerAppData> | null): Promise<void> {
    if (this.showing && this.showing.sourceId === (source?.id ?? null) && !this.showing.consumer.closed) return;
    this.stop();
    if (!source || source.closed || this.closed) return;
    const h264 = source.rtpParameters.codecs[0]?.mimeType.toLowerCase() === 'video/h264';
    const showing = h264 ? await this.forward(source) : await this.adapt(source);
    this.showing = showing;
    // Closed while it was being set up: it goes at once.
    if (this.closed) this.stop();
  }

  /** The room asked for a key frame (SIP INFO picture_fast_update). */
  keyFrame(): void {
    const showing = this.showing;
    if (!showing || showing.consumer.closed) return;
    if (showing.adapter) showing.adapter.keyFrame();
    else showing.consumer.requestKeyFrame().catch(() => {});
  }

  /** The call ended: stops what is shown, and anything still being set up once it is. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private async forward(source: types.Producer<ProducerAppData>): Promise<Showing> {
    const { meeting, workerIndex } = this.options;
    const owner = meeting.sites.get(source.appData.peerId);
    await meeting.planes.pipe(source.id, owner?.workerIndex ?? meeting.planes.homeIndex, workerIndex);
    return { sourceId: source.id, consumer: await this.consume(source.id) };
  }

  private async adapt(source: types.Producer<ProducerAppData>): Promise<Showing> {
    const { pictures, siteId, workerIndex, meeting } = this.options;
    try {
      const adapted = await pictures.acquire(source, siteId, this.lost);
      await meeting.planes.pipe(adapted.producer.id, adapted.workerIndex, workerIndex);
      const consumer = await this.consume(adapted.producer.id, adapted.adapter);
      // The adapter may have been running a while: its next key frame is asked for, not waited for.
      adapted.adapter.keyFrame();
      return { sourceId: source.id, consumer, adapter: adapted.adapter };
    } catch (err) {
      pictures.release(source.id, siteId, this.lost);
      throw err;
    }
  }

  /** Consumes `producerId` for the room; its PLI/FIR go to `adapter` when there is one (mediasoup would stop at the adapter's producer). */
  private async consume(producerId: string, adapter?: PictureAdapter): Promise<types.Consumer> {
    const { toRoom, video } = this.options;
    const consumer = await toRoom.consume({ producerId, rtpCapabilities: roomCapabilities(video) });
    await consumer.enableTraceEvent(adapter ? ['keyframe', 'pli', 'fir'] : ['keyframe']);
    consumer.on('trace', (trace) => {
      if (trace.type !== 'keyframe') {
        if (trace.direction === 'in') adapter?.keyFrame();
        return;
      }
      // One trace per packet of a key frame: counted once per frame (its RTP timestamp).
      const ts = (trace.info as { timestamp?: number }).timestamp ?? -2;
      if (ts === this.lastKeyFrameTs) return;
      this.lastKeyFrameTs = ts;
      this.keyFramesSent++;
    });
    consumer.on('producerclose', () => consumer.close());
    return consumer;
  }

  private stop(): void {
    const showing = this.showing;
    this.showing = null;
    if (!showing) return;
    showing.consumer.close();
    if (showing.adapter) this.options.pictures.release(showing.sourceId, this.options.siteId, this.lost);
  }
}

/** The router's H.264 (packetization mode 1) under the payload type the room offered. */
function roomCapabilities(video: OfferedVideo): types.RtpCapabilities {
  return {
    codecs: [
      {
        kind: 'video',
        mimeType: 'video/H264',
        clockRate: 90000,
        preferredPayloadType: video.payloadType,
        parameters: { 'packetization-mode': 1, 'profile-level-id': ADAPTED_PROFILE, 'level-asymmetry-allowed': 1 },
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
      },
    ],
    headerExtensions: [],
  };
}
