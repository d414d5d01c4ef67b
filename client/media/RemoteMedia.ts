// What this site receives: the other sites' producers the hub announces, and
// the consumers of what this page shows.
//
// - Audio is consumed for every producer and played through hidden <audio>.
// - A camera is consumed only while a tile on screen wants it; thumbnails ask
//   for spatial layer 0, the main stage for the highest. When the last tile
//   showing it goes, the consumer is paused (here and on the hub), so the
//   mosaic's off-page sites cost nothing.
// Tiles say what they show (want); reconcile() brings the consumers in line,
// one pass at a time.
import type { Consumer, Transport } from 'mediasoup-client/types';
import type { ProducerInfo } from '../../contract/signaling.ts';
import type { MeetingStore } from '../meeting/MeetingStore.ts';
import { TOP_LAYER } from './LocalMedia.ts';
import type { SignalingChannel } from './SignalingChannel.ts';

export type VideoLayer = 'thumb' | 'stage';
/** Spatial layer the consumer of a tile asks for. */
const LAYER_FOR: Record<VideoLayer, number> = { thumb: 0, stage: TOP_LAYER };

/** One remote producer and, while consumed, its consumer here. */
interface Feed {
  producer: ProducerInfo;
  consumer: Consumer | null;
  consuming: Promise<void> | null;
  layer: number | null;
  audioEl?: HTMLAudioElement;
}

export interface RemoteMediaHost {
  signaling: SignalingChannel;
  store: MeetingStore;
  selfId(): string | undefined;
  /** The receive transport while in the meeting; null holds consuming back. */
  recvTransport(): Transport | null;
  /** A remote video track appeared or went. */
  tracksChanged(): void;
}

const ignore = () => undefined;

export class RemoteMedia {
  private feeds = new Map<string, Feed>();
  private wants = new Map<string, { peerId: string; layer: VideoLayer }>();
  private reconcileQueued = false;
  private reconcileChain: Promise<void> = Promise.resolve();
  private audioBox: HTMLElement | null = null;

  constructor(private readonly host: RemoteMediaHost) {}

  /** A tile on screen shows this peer's camera at this size. Returns the release function. */
  want(tileId: string, peerId: string, layer: VideoLayer): () => void {
    this.wants.set(tileId, { peerId, layer });
    this.scheduleReconcile();
    return () => {
      if (this.wants.get(tileId)?.peerId === peerId) this.wants.delete(tileId);
      this.scheduleReconcile();
    };
  }

  videoTrack(peerId: string): MediaStreamTrack | null {
    for (const f of this.feeds.values()) {
      if (f.producer.peerId === peerId && f.producer.kind === 'video' && f.consumer && !f.consumer.closed) {
        return f.consumer.track;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------
  // What the hub announces

  addProducer(p: ProducerInfo, reconcile = true): void {
    if (p.peerId === this.host.selfId()) return;
    if (!this.feeds.has(p.producerId)) {
      // One camera and one mic per peer: a new one replaces the old.
      for (const f of [...this.feeds.values()]) {
        if (f.producer.peerId === p.peerId && f.producer.source === p.source)
          this.removeProducer(f.producer.producerId);
      }
      this.feeds.set(p.producerId, { producer: p, consumer: null, consuming: null, layer: null });
    }
    this.host.store.producerAdded(p);
    if (reconcile) this.scheduleReconcile();
  }

  producerPaused(producerId: string, paused: boolean): void {
    this.host.store.producerPaused(producerId, paused);
    this.scheduleReconcile();
  }

  removeProducer(producerId: string): void {
    const f = this.feeds.get(producerId);
    if (f) {
      this.closeFeed(f);
      this.feeds.delete(producerId);
      this.host.tracksChanged();
    }
    this.host.store.producerClosed(producerId);
  }

  dropPeer(peerId: string): void {
    for (const f of [...this.feeds.values()])
      if (f.producer.peerId === peerId) this.removeProducer(f.producer.producerId);
  }

  /** A fresh admission: nothing we consumed exists on the hub any more; these are its producers. */
  reset(producers: ProducerInfo[]): void {
    this.clear();
    for (const p of producers) this.addProducer(p, false);
  }

  /** The hub handed our consumers back: drop what closed meanwhile, learn what is new. */
  resume(producers: ProducerInfo[]): void {
    const live = new Set(producers.map((p) => p.producerId));
    for (const f of [...this.feeds.values()]) {
      if (!live.has(f.producer.producerId)) this.removeProducer(f.producer.producerId);
    }
    for (const p of producers) this.addProducer(p, false);
  }

  /** Closes every consumer (their transport is going) but remembers the producers to consume again. */
  closeConsumers(): void {
    for (const f of this.feeds.values()) {
      this.closeFeed(f);
      f.layer = null;
    }
  }

  /** Forgets everything (the connection ends, or the hub admitted us afresh). */
  clear(): void {
    this.closeConsumers();
    this.feeds.clear();
  }

  /** Removes the hidden audio elements' container (the page is leaving the meeting). */
  detach(): void {
    this.audioBox?.remove();
    this.audioBox = null;
  }

  // ---------------------------------------------------------------------------
  // Consumers in line with what is wanted

  /** Reconciles once after the current burst of changes, never two passes at once. */
  scheduleReconcile(): void {
    if (this.reconcileQueued) return;
    this.reconcileQueued = true;
    queueMicrotask(() => {
      this.reconcileQueued = false;
      this.reconcileChain = this.reconcileChain.then(() => this.reconcile()).catch(ignore);
    });
  }

  /** Which spatial layer each peer's camera is wanted at, or absent when no tile shows it. */
  private wantedLayers(): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.wants.values()) out.set(w.peerId, Math.max(out.get(w.peerId) ?? -1, LAYER_FOR[w.layer]));
    return out;
  }

  private async reconcile(): Promise<void> {
    if (!this.host.recvTransport()) return;
    const wanted = this.wantedLayers();
    const jobs: Promise<void>[] = [];
    for (const f of this.feeds.values()) {
      if (f.producer.kind === 'audio') {
        if (!f.consumer && !f.consuming) jobs.push(this.consume(f, null));
        continue;
      }
      const layer = wanted.get(f.producer.peerId);
      if (layer === undefined) this.unwatch(f, jobs);
      else if (!f.consumer && !f.consuming) jobs.push(this.consume(f, layer));
      else if (f.consumer) this.watch(f, f.consumer, layer, jobs);
    }
    await Promise.all(jobs);
  }

  /** No tile shows this camera: pause its consumer. */
  private unwatch(f: Feed, jobs: Promise<void>[]): void {
    const c = f.consumer;
    if (!c || c.paused) return;
    c.pause();
    jobs.push(this.host.signaling.request('pauseConsumer', { consumerId: c.id }).then(ignore, ignore));
  }

  /** A tile shows this camera: the wanted layer, and flowing. */
  private watch(f: Feed, c: Consumer, layer: number, jobs: Promise<void>[]): void {
    const signaling = this.host.signaling;
    const changes: Promise<unknown>[] = [];
    if (f.layer !== layer) {
      f.layer = layer;
      changes.push(signaling.request('setPreferredLayers', { consumerId: c.id, spatialLayer: layer }));
    }
    if (c.paused) {
      c.resume();
      changes.push(signaling.request('resumeConsumer', { consumerId: c.id }));
    }
    if (changes.length) jobs.push(Promise.all(changes).then(ignore, ignore));
  }

  private consume(f: Feed, layer: number | null): Promise<void> {
    const signaling = this.host.signaling;
    const job = (async () => {
      const transport = this.host.recvTransport();
      if (!transport) return;
      const o = await signaling.request('consume', { producerId: f.producer.producerId });
      if (this.feeds.get(f.producer.producerId) !== f || transport !== this.host.recvTransport()) {
        await signaling.request('pauseConsumer', { consumerId: o.id }).catch(ignore);
        return;
      }
      const consumer = await transport.consume({
        id: o.id,
        producerId: o.producerId,
        kind: o.kind,
        rtpParameters: o.rtpParameters,
        appData: { peerId: o.peerId, source: o.source },
      });
      f.consumer = consumer;
      if (o.kind === 'audio') {
        this.play(f, consumer.track);
      } else if (layer !== null && o.type === 'simulcast') {
        f.layer = layer;
        await signaling.request('setPreferredLayers', { consumerId: o.id, spatialLayer: layer });
      }
      await signaling.request('resumeConsumer', { consumerId: o.id });
      this.host.tracksChanged();
    })()
      // The producer may have gone meanwhile; the next reconcile retries if it is still wanted.
      .catch(ignore)
      .finally(() => {
        f.consuming = null;
      });
    f.consuming = job;
    return job;
  }

  private play(f: Feed, track: MediaStreamTrack): void {
    if (typeof document === 'undefined') return;
    if (!this.audioBox) {
      this.audioBox = document.createElement('div');
      this.audioBox.hidden = true;
      this.audioBox.dataset.role = 'remote-audio';
      document.body.appendChild(this.audioBox);
    }
    const el = document.createElement('audio');
    el.autoplay = true;
    el.srcObject = new MediaStream([track]);
    el.dataset.peerId = f.producer.peerId;
    this.audioBox.appendChild(el);
    f.audioEl = el;
    void el.play?.().catch(ignore);
  }

  private closeFeed(f: Feed): void {
    f.consumer?.close();
    f.consumer = null;
    if (f.audioEl) {
      f.audioEl.srcObject = null;
      f.audioEl.remove();
      f.audioEl = undefined;
    }
  }
}
