// What a bot's engine streams send, kept as a browser would: the microphone
// held while the hub holds it, the camera stopped while nobody watches it, and
// the top simulcast layer held back unless the site chairs or is on stage
// (client/media/MeetingConnection.ts). Without the browser policy every
// stream sends everything all the time. Also the loud/quiet audio level.
import type { Engine } from './engine.ts';
import { audioSend, LOUD_DBOV, QUIET_DBOV, videoSend } from './rtp.ts';
import { layerPps, OPUS_PACKETS_PER_SEC, type PionBotConfig } from './types.ts';

export class Sending {
  private micStream: string | null = null;
  private cameraStream: string | null = null;
  private cameraProducerId: string | null = null;
  private micPaused = false;
  private cameraPaused = false;
  private cameraMaxLayer = Number.POSITIVE_INFINITY;
  /** Sending every layer: the site chairs or is on stage. */
  private full = false;
  /** The hub's last mediaDemand per producer: it may come before the produce answer. */
  private readonly demand = new Map<string, boolean>();
  private speaking: boolean;

  constructor(
    private readonly config: PionBotConfig,
    private readonly engine: () => Engine,
  ) {
    this.speaking = config.speaking;
  }

  /** Starts the microphone's stream; `held`: the hub produced it paused. */
  mic(transportId: string, stream: string, ssrc: number, held: boolean): void {
    this.engine().send(audioSend(transportId, stream, ssrc, this.speaking));
    this.micStream = stream;
    this.micPaused = false;
    this.pauseMic(held);
  }

  camera(transportId: string, stream: string, producerId: string, ssrcs: number[]): void {
    const profile = this.config.sendVideo;
    if (!profile) return;
    this.engine().send(videoSend(transportId, stream, ssrcs, profile));
    this.cameraStream = stream;
    this.cameraProducerId = producerId;
    this.cameraPaused = false;
    this.cameraMaxLayer = Number.POSITIVE_INFINITY;
    this.onDemand(producerId, this.demand.get(producerId) ?? true);
    this.applyLayers();
  }

  onDemand(producerId: string, wanted: boolean): void {
    this.demand.set(producerId, wanted);
    if (producerId !== this.cameraProducerId || !this.cameraStream || !this.config.browserSendPolicy) return;
    this.cameraPaused = !wanted;
    this.engine().send({ op: 'pause', stream: this.cameraStream, paused: !wanted });
  }

  /** The hub says whether this site's microphone is on (selfUpdated). */
  pauseMic(paused: boolean): void {
    if (!this.micStream || !this.config.browserSendPolicy) return;
    this.micPaused = paused;
    this.engine().send({ op: 'pause', stream: this.micStream, paused });
  }

  /** Whether the site chairs or is on stage (meetingUpdated). */
  setFull(full: boolean): void {
    this.full = full;
    this.applyLayers();
  }

  private applyLayers(): void {
    const layers = this.config.sendVideo?.layers.length ?? 0;
    if (!this.cameraStream || !this.config.browserSendPolicy || layers === 0) return;
    this.cameraMaxLayer = this.full ? layers - 1 : layers - 2;
    this.engine().send({ op: 'maxLayer', stream: this.cameraStream, layer: this.cameraMaxLayer });
  }

  /** Loud (speaking) or quiet audio level from now on. */
  setSpeaking(speaking: boolean): void {
    this.speaking = speaking;
    if (this.micStream)
      this.engine().send({ op: 'level', stream: this.micStream, level: speaking ? LOUD_DBOV : QUIET_DBOV });
  }

  /** Packets per second the bot should be sending now (what the engine was told, not what it sent). */
  targetPps(): number {
    let pps = this.micStream && !this.micPaused ? OPUS_PACKETS_PER_SEC : 0;
    if (this.cameraStream && !this.cameraPaused) {
      for (const [i, layer] of (this.config.sendVideo?.layers ?? []).entries()) {
        if (i <= this.cameraMaxLayer) pps += layerPps(layer);
      }
    }
    return pps;
  }
}
