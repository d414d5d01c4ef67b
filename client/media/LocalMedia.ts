// What this site sends: its capture (from the pre-join check) as a mic producer
// and a camera producer on the send transport, and the room's wish for each.
//
// - The camera goes out as 3 simulcast layers from a 1280×720 capture; a site
//   that is not on the main stage keeps only the two lower layers active, so a
//   commune link is not spent on a picture nobody views in full.
// - The hub says whether anybody views our camera (mediaDemand): no viewer, no
//   camera RTP; the room's own preview stays live.
// - The hub holds and releases our mic (chair mute, floor); we mirror it.
import type { Producer, RtpEncodingParameters, Transport } from 'mediasoup-client/types';
import type { PeerInfo } from '../../contract/signaling.ts';
import type { SignalingChannel } from './SignalingChannel.ts';
import type { ProduceAppData } from './Transports.ts';

/** Simulcast for the camera: 320×180, 640×360, 1280×720 from a 1280×720 capture. */
export const CAMERA_ENCODINGS: RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];
export const TOP_LAYER = CAMERA_ENCODINGS.length - 1;

export class LocalMedia {
  /** The capture from the pre-join check (camera and mic), null when joining without one. */
  stream: MediaStream | null = null;
  private mic: Producer | null = null;
  private camera: Producer | null = null;
  private wantMic = true;
  private wantCamera = true;
  /** Whether anybody views our camera, as the hub last said (mediaDemand). */
  private cameraDemanded = true;

  constructor(private readonly signaling: SignalingChannel) {}

  get micOn(): boolean {
    return Boolean(this.mic && !this.mic.paused);
  }

  get cameraOn(): boolean {
    return Boolean(this.camera && this.wantCamera);
  }

  /** Produces the capture's mic and camera on the send transport, honouring the room's wishes and the hub's hold. */
  async produce(send: Transport | null): Promise<void> {
    if (!send || !this.stream) return;
    const audio = this.stream.getAudioTracks()[0];
    const video = this.stream.getVideoTracks()[0];
    if (audio) await this.produceMic(send, audio);
    if (video) await this.produceCamera(send, video);
  }

  private async produceMic(send: Transport, track: MediaStreamTrack): Promise<void> {
    const appData: ProduceAppData = { source: 'mic' };
    const mic = await send.produce({
      track,
      stopTracks: false,
      codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
      appData,
    });
    this.mic = mic;
    if (appData.heldByHub || !this.wantMic) mic.pause();
    if (!this.wantMic && !appData.heldByHub) await this.signaling.request('pauseProducer', { producerId: mic.id });
  }

  private async produceCamera(send: Transport, track: MediaStreamTrack): Promise<void> {
    const appData: ProduceAppData = { source: 'camera' };
    const camera = await send.produce({
      track,
      stopTracks: false,
      // Pausing stops the RTP but keeps the track, so the room's own preview stays live.
      disableTrackOnPause: false,
      zeroRtpOnPause: true,
      encodings: CAMERA_ENCODINGS.map((e) => ({ ...e })),
      codecOptions: { videoGoogleStartBitrate: 1000 },
      appData,
    });
    this.camera = camera;
    this.cameraDemanded = true;
    if (!this.wantCamera) {
      track.enabled = false;
      await this.signaling.request('pauseProducer', { producerId: camera.id });
    }
    this.applyCameraSending();
  }

  async setMicEnabled(on: boolean): Promise<void> {
    this.wantMic = on;
    const mic = this.mic;
    if (!mic) return;
    if (on) {
      await this.signaling.request('resumeProducer', { producerId: mic.id }); // refused while muted by the chair
      mic.resume();
    } else {
      mic.pause();
      await this.signaling.request('pauseProducer', { producerId: mic.id });
    }
  }

  async setCameraEnabled(on: boolean): Promise<void> {
    this.wantCamera = on;
    for (const t of this.stream?.getVideoTracks() ?? []) t.enabled = on;
    const camera = this.camera;
    if (!camera) return;
    this.applyCameraSending();
    await this.signaling.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: camera.id });
  }

  /** The hub says whether anybody views this producer. */
  setDemand(producerId: string, wanted: boolean): void {
    if (this.camera?.id !== producerId) return;
    this.cameraDemanded = wanted;
    this.applyCameraSending();
  }

  /** Mirrors the hub: it pauses our mic when the chair mutes us and resumes it when lifted. */
  followHub(self: PeerInfo): void {
    const mic = this.mic;
    if (!mic || mic.closed) return;
    if (self.micOn && mic.paused) mic.resume();
    else if (!self.micOn && !mic.paused) mic.pause();
  }

  /** Every simulcast layer (the chair, the staged site) or all but the top one. */
  async sendAllLayers(all: boolean): Promise<void> {
    const camera = this.camera;
    if (!camera || camera.closed) return;
    try {
      await camera.setMaxSpatialLayer(all ? TOP_LAYER : TOP_LAYER - 1);
    } catch {
      // Some browsers refuse while the track is ended; the next stage change retries.
    }
  }

  /** Closes the producers (their transport is going); the capture stays for the next ones. */
  close(): void {
    this.mic?.close();
    this.camera?.close();
    this.mic = null;
    this.camera = null;
  }

  /** Stops the capture too (the page leaves the meeting for good). */
  stop(): void {
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  /** Sends camera RTP only when the room wants its camera on and somebody watches it. */
  private applyCameraSending(): void {
    const camera = this.camera;
    if (!camera || camera.closed) return;
    const send = this.wantCamera && this.cameraDemanded;
    if (send && camera.paused) camera.resume();
    else if (!send && !camera.paused) camera.pause();
  }
}
