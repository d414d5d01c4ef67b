// The content this site presents (trình chiếu, contract/presentation.ts): a
// screen, a window or a browser tab from getDisplayMedia, with the tab's or
// system's sound when the browser offers it, sent as its own producers
// ('screen', 'screenAudio') beside the camera, never in its place.
//
// Encoded for text: content hint 'detail', captured at up to 1920×1080 and
// 5 frames a second, two simulcast layers of its own (half size for
// thumbnails, full size for the main picture) with three temporal layers each,
// and degradation preference 'maintain-resolution': when the uplink is short
// the encoder drops frames, not sharpness. On the receiving side a weak link
// keeps the content's full-size layer and loses frames first (sfu/Consumers.ts).
import type { Producer, RtpEncodingParameters, Transport } from 'mediasoup-client/types';
import type { ProduceAppData } from './Transports.ts';

export const CONTENT_CAPTURE = { width: 1920, height: 1080, frameRate: 5 } as const;

export const CONTENT_ENCODINGS: RtpEncodingParameters[] = [
  { rid: 'c0', scaleResolutionDownBy: 2, maxBitrate: 300_000, maxFramerate: 5, scalabilityMode: 'L1T3' },
  { rid: 'c1', scaleResolutionDownBy: 1, maxBitrate: 1_500_000, maxFramerate: 5, scalabilityMode: 'L1T3' },
];

export class ContentShare {
  /** The display capture while this site presents (kept across reconnections, to share again). */
  stream: MediaStream | null = null;
  private producers: Producer[] = [];

  constructor(
    /** The capture ended on its own (the browser's "Stop sharing"). */
    private readonly onEnded: () => void,
  ) {}

  get capturing(): boolean {
    return this.stream !== null;
  }

  /** Whether the content is being sent (produced), not merely captured on its way to the hub. */
  get onAir(): boolean {
    return this.producers.some((p) => !p.closed);
  }

  /** Asks the browser for a screen, window or tab; throws when the room declines the picker. */
  async capture(): Promise<void> {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: {
        width: { max: CONTENT_CAPTURE.width },
        height: { max: CONTENT_CAPTURE.height },
        frameRate: { max: CONTENT_CAPTURE.frameRate },
      },
      // The tab's or system's sound, where the browser offers it.
      audio: true,
    });
    const video = stream.getVideoTracks()[0];
    if (video) {
      video.contentHint = 'detail';
      video.addEventListener('ended', () => this.onEnded());
    }
    for (const audio of stream.getAudioTracks()) audio.contentHint = 'music';
    this.stream = stream;
  }

  /** Sends the capture on the send transport (after the capture, and again after the media was rebuilt). */
  async produce(send: Transport | null): Promise<void> {
    const stream = this.stream;
    if (!send || !stream) return;
    this.closeProducers();
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (video) {
      const appData: ProduceAppData = { source: 'screen' };
      const producer = await send.produce({
        track: video,
        stopTracks: false,
        encodings: CONTENT_ENCODINGS.map((e) => ({ ...e })),
        codecOptions: { videoGoogleStartBitrate: 1000 },
        appData,
      });
      this.producers.push(producer);
      await keepResolution(producer);
    }
    if (audio) {
      const appData: ProduceAppData = { source: 'screenAudio' };
      this.producers.push(
        await send.produce({ track: audio, stopTracks: false, codecOptions: { opusStereo: true }, appData }),
      );
    }
  }

  /** The hub says whether anybody views the content (no viewer: no content RTP). */
  setDemand(producerId: string, wanted: boolean): void {
    const producer = this.producers.find((p) => p.id === producerId);
    if (!producer || producer.closed) return;
    if (wanted) producer.resume();
    else producer.pause();
  }

  /** Closes the producers (their transport is going, or the presentation ended); the capture stays. */
  closeProducers(): void {
    for (const producer of this.producers) producer.close();
    this.producers = [];
  }

  /** Ends the presentation here: producers closed, capture stopped. */
  stop(): void {
    this.closeProducers();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }
}

/** Weak uplinks lose frames, not resolution: slides stay readable. */
async function keepResolution(producer: Producer): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  try {
    const parameters = sender.getParameters();
    await sender.setParameters({ ...parameters, degradationPreference: 'maintain-resolution' });
  } catch {
    // A browser that refuses the preference still sends the content; its default balances the two.
  }
}
