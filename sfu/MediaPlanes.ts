// A meeting's media planes: one router per worker it uses, the pipes that carry
// a producer from one worker's router to another's, and the sites' transports.
//
// A meeting spans every worker of the host: each site's transports go to the
// worker it was placed on, and a producer is piped (pipeToRouter) to another
// worker's router the first time a site there consumes it. The chair's stream
// thus crosses once per worker, not once per site. See docs/scaling.md.
import type { types } from 'mediasoup';
import type { TransportDirection, TransportOptions } from '../contract/signaling.ts';
import { mediaCodecs } from './mediaCodecs.ts';
import type { Peer, ProducerAppData, TransportAppData } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';
import type { SpeakerLevel } from './SpeakerDetector.ts';
import type { PoolWorker, WorkerPool } from './WorkerPool.ts';

/** How often each router reports its audible microphones (levels to the chair, speaker detection). */
export const AUDIO_LEVEL_INTERVAL_MS = 400;
/** Microphones quieter than this (dBov) are not reported. */
const AUDIO_LEVEL_THRESHOLD_DB = -70;

export interface MediaPlane {
  worker: PoolWorker;
  router: types.Router;
  audioLevels: types.AudioLevelObserver;
}

export interface MediaPlanesOptions {
  meetingId: string;
  pool: WorkerPool;
  /** Bitrate a site's WebRTC transport starts at before estimation settles. */
  initialOutgoingBitrate: number;
  /** A router's audible microphones (`plane` is its worker index). */
  onAudioLevels(plane: number, levels: SpeakerLevel[]): void;
  /** The worker at `index` died, taking this meeting's router there with it. */
  onWorkerDied(index: number): void;
}

export class MediaPlanes {
  /** One router (with its observers) per worker the meeting uses, by worker index. */
  private readonly planes = new Map<number, Promise<MediaPlane>>();
  /** Workers each producer has been piped to: producerId → worker indexes. */
  private readonly pipes = new Map<string, Map<number, Promise<void>>>();
  private home = 0;
  private capabilities!: types.RtpCapabilities;

  constructor(private readonly options: MediaPlanesOptions) {}

  /** Opens the first router, on the least-loaded worker. */
  async open(): Promise<void> {
    const home = await this.options.pool.leastLoaded();
    this.home = home.index;
    await this.at(home.index);
  }

  /** The worker the meeting opened on. */
  get homeIndex(): number {
    return this.home;
  }

  /** The meeting's router on its home worker (every router has the same capabilities). */
  async homeRouter(): Promise<types.Router> {
    return (await this.at(this.home)).router;
  }

  /** Worker indexes this meeting has routers on. */
  get workerIndexes(): number[] {
    return [...this.planes.keys()].sort();
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.capabilities;
  }

  /** The meeting's router on worker `index`, created on first use. */
  private at(index: number): Promise<MediaPlane> {
    let plane = this.planes.get(index);
    if (!plane) {
      plane = this.build(index);
      this.planes.set(index, plane);
      plane.catch(() => this.planes.delete(index));
    }
    return plane;
  }

  private async build(index: number): Promise<MediaPlane> {
    const worker = await this.options.pool.at(index);
    const router = await worker.worker.createRouter({ mediaCodecs, appData: { meetingId: this.options.meetingId } });
    this.capabilities ??= router.rtpCapabilities;
    const audioLevels = await router.createAudioLevelObserver({
      maxEntries: 16,
      threshold: AUDIO_LEVEL_THRESHOLD_DB,
      interval: AUDIO_LEVEL_INTERVAL_MS,
    });
    audioLevels.on('volumes', (volumes) =>
      this.options.onAudioLevels(
        index,
        volumes.map((v) => ({ peerId: (v.producer.appData as ProducerAppData).peerId, volume: v.volume })),
      ),
    );
    audioLevels.on('silence', () => this.options.onAudioLevels(index, []));
    router.on('workerclose', () => this.lost(index));
    return { worker, router, audioLevels };
  }

  /** Pipes through the dead worker are gone; the router is rebuilt there when a site needs it again. */
  private lost(index: number): void {
    this.planes.delete(index);
    for (const workers of this.pipes.values()) workers.delete(index);
    this.options.onWorkerDied(index);
  }

  /** The plane a site's media lives on. */
  async of(site: Peer): Promise<MediaPlane> {
    try {
      return await this.at(site.workerIndex);
    } catch {
      throw new SignalingError('MEDIA_UNAVAILABLE');
    }
  }

  /** Makes `producerId` (living on `from`) consumable on worker `to`. */
  pipe(producerId: string, from: number, to: number): Promise<void> {
    if (from === to) return Promise.resolve();
    let workers = this.pipes.get(producerId);
    if (!workers) {
      workers = new Map();
      this.pipes.set(producerId, workers);
    }
    let piping = workers.get(to);
    if (!piping) {
      const target = workers;
      piping = (async () => {
        const [source, destination] = await Promise.all([this.at(from), this.at(to)]);
        const { pipeProducer } = await source.router.pipeToRouter({ producerId, router: destination.router });
        pipeProducer?.observer.once('close', () => target.delete(to));
      })();
      piping.catch(() => target.delete(to));
      workers.set(to, piping);
    }
    return piping;
  }

  /** The producer closed: mediasoup closed its pipe producers too. */
  forgetProducer(producerId: string): void {
    this.pipes.delete(producerId);
  }

  /**
   * A WebRTC transport for the site on its plane. It replaces the site's
   * transport of the same direction, so a site holds at most one send and one
   * recv transport (its requests run one at a time: none is on its way).
   */
  async createTransport(site: Peer, direction: TransportDirection): Promise<TransportOptions> {
    const { router, worker } = await this.of(site);
    for (const existing of site.transports.values()) {
      if (existing.appData.direction === direction) existing.close();
    }
    const transport = await router.createWebRtcTransport<TransportAppData>({
      webRtcServer: worker.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: this.options.initialOutgoingBitrate,
      appData: { direction },
    });
    if (site.released) {
      // The site left (removed, revoked, gave up) while the worker created it.
      transport.close();
      throw new SignalingError('NOT_JOINED');
    }
    site.transports.set(transport.id, transport);
    transport.observer.once('close', () => site.transports.delete(transport.id));
    return {
      id: transport.id,
      direction,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates as TransportOptions['iceCandidates'],
      dtlsParameters: transport.dtlsParameters as TransportOptions['dtlsParameters'],
    };
  }

  /** Closes every router (and with them everything on them). */
  close(): void {
    for (const plane of this.planes.values()) plane.then((p) => p.router.close()).catch(() => {});
    this.planes.clear();
  }
}
