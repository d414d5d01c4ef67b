// What this site receives, as its receive plan says (contract/receivePlan.ts,
// shared with the hub and the load bench):
//
// - Audio: the chair's microphone and the meeting's K audio slots, each
//   played through its own hidden <audio>. The hub points the slots at
//   whoever speaks; this page never consumes another site's microphone, so it
//   holds K + 1 audio streams in a meeting of 300 sites.
// - Audio also: the shared content's sound, while a site presents.
// - Video: a camera or the shared content in the plan for the layout this page
//   shows (the chair's choice or the room's own pin; every site's camera for
//   the chair's mosaic) is consumed only while a tile on screen wants it; thumbnails ask for spatial layer 0, the main stage for the
//   highest. When the last tile showing it goes, the consumer is paused (here
//   and on the hub), so the mosaic's off-page sites cost nothing. A camera
//   that leaves the plan (the stage moved on, the layout changed) has its
//   consumer closed, before anything new is consumed, so the page never holds
//   more than the plan's bound.
// Tiles say what they show (want); reconcile() brings the consumers in line
// with the plan, one pass at a time.
import type { Consumer, Transport } from 'mediasoup-client/types';
import type { LayoutKind } from '../../contract/layout.ts';
import { type PlanMeeting, type Receiver, receivePlan } from '../../contract/receivePlan.ts';
import type { AudioSlotInfo, MediaSource, ProducerInfo } from '../../contract/signaling.ts';
import type { MeetingStore } from '../meeting/MeetingStore.ts';
import { TOP_LAYER } from './LocalMedia.ts';
import type { SignalingChannel } from './SignalingChannel.ts';

export type VideoLayer = 'thumb' | 'stage';
/** Spatial layer the consumer of a tile asks for. */
const LAYER_FOR: Record<VideoLayer, number> = { thumb: 0, stage: TOP_LAYER };

/** One stream this page may receive (a producer of a site, or an audio slot) and, while consumed, its consumer. */
interface Feed {
  producerId: string;
  /** The site's producer; absent for an audio slot. */
  producer?: ProducerInfo;
  /** The audio slot; absent for a site's producer. */
  slot?: number;
  consumer: Consumer | null;
  consuming: Promise<void> | null;
  layer: number | null;
  audioEl?: HTMLAudioElement;
}

export interface RemoteMediaHost {
  signaling: SignalingChannel;
  store: MeetingStore;
  /** This site, once joined. */
  self(): Receiver | null;
  /** Who chairs, who is on stage, who presents, the chair's layout, once joined. */
  meeting(): PlanMeeting | null;
  /** The layout this page shows (the chair's, or the room's own pin). */
  layout(): LayoutKind | undefined;
  /** The receive transport while in the meeting; null holds consuming back. */
  recvTransport(): Transport | null;
  /** A remote video track appeared or went. */
  tracksChanged(): void;
}

const ignore = () => undefined;

export class RemoteMedia {
  /** Producers of the sites the hub told us of, by producer id. */
  private feeds = new Map<string, Feed>();
  /** The meeting's audio slots, by producer id. */
  private slots = new Map<string, Feed>();
  private wants = new Map<string, { peerId: string; source: MediaSource; layer: VideoLayer }>();
  private reconcileQueued = false;
  private reconcileChain: Promise<void> = Promise.resolve();
  private audioBox: HTMLElement | null = null;

  constructor(private readonly host: RemoteMediaHost) {}

  /** A tile on screen shows this peer's camera (or its content) at this size. Returns the release function. */
  want(tileId: string, peerId: string, layer: VideoLayer, source: MediaSource = 'camera'): () => void {
    this.wants.set(tileId, { peerId, source, layer });
    this.scheduleReconcile();
    return () => {
      if (this.wants.get(tileId)?.peerId === peerId) this.wants.delete(tileId);
      this.scheduleReconcile();
    };
  }

  videoTrack(peerId: string, source: MediaSource = 'camera'): MediaStreamTrack | null {
    for (const f of this.feeds.values()) {
      if (f.producer?.peerId === peerId && f.producer.source === source && f.consumer && !f.consumer.closed) {
        return f.consumer.track;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------
  // What the hub announces

  addProducer(p: ProducerInfo, reconcile = true): void {
    if (p.peerId === this.host.self()?.id) return;
    const known = this.feeds.get(p.producerId);
    if (known) {
      known.producer = p;
    } else {
      // One camera and one mic per peer: a new one replaces the old.
      for (const f of [...this.feeds.values()]) {
        if (f.producer?.peerId === p.peerId && f.producer.source === p.source) this.removeProducer(f.producerId);
      }
      this.feeds.set(p.producerId, {
        producerId: p.producerId,
        producer: p,
        consumer: null,
        consuming: null,
        layer: null,
      });
    }
    this.host.store.producerAdded(p);
    if (reconcile) this.scheduleReconcile();
  }

  producerPaused(producerId: string, paused: boolean): void {
    this.host.store.producerPaused(producerId, paused);
    this.scheduleReconcile();
  }

  /** A producer (or an audio slot) closed on the hub. */
  removeProducer(producerId: string): void {
    const f = this.feeds.get(producerId) ?? this.slots.get(producerId);
    if (f) {
      this.closeFeed(f);
      this.feeds.delete(producerId);
      this.slots.delete(producerId);
      this.host.tracksChanged();
    }
    this.host.store.producerClosed(producerId);
  }

  dropPeer(peerId: string): void {
    for (const f of [...this.feeds.values()]) if (f.producer?.peerId === peerId) this.removeProducer(f.producerId);
  }

  /** The meeting's audio slots (at the join, or re-created after the hub lost their worker). */
  setSlots(slots: AudioSlotInfo[], reconcile = true): void {
    const next = new Set(slots.map((s) => s.producerId));
    for (const f of [...this.slots.values()]) {
      if (next.has(f.producerId)) continue;
      this.closeFeed(f);
      this.slots.delete(f.producerId);
    }
    for (const s of slots) {
      if (this.slots.has(s.producerId)) continue;
      this.slots.set(s.producerId, {
        producerId: s.producerId,
        slot: s.index,
        consumer: null,
        consuming: null,
        layer: null,
      });
    }
    if (reconcile) this.scheduleReconcile();
  }

  /** A fresh admission: nothing we consumed exists on the hub any more; these are its producers and slots. */
  reset(producers: ProducerInfo[], slots: AudioSlotInfo[]): void {
    this.clear();
    for (const p of producers) this.addProducer(p, false);
    this.setSlots(slots, false);
  }

  /** The hub handed our consumers back: drop what closed meanwhile, learn what is new. */
  resume(producers: ProducerInfo[], slots: AudioSlotInfo[]): void {
    const live = new Set(producers.map((p) => p.producerId));
    for (const f of [...this.feeds.values()]) if (!live.has(f.producerId)) this.removeProducer(f.producerId);
    for (const p of producers) this.addProducer(p, false);
    this.setSlots(slots, false);
  }

  /** Closes every consumer (their transport is going) but remembers what to consume again. */
  closeConsumers(): void {
    for (const f of [...this.feeds.values(), ...this.slots.values()]) {
      this.closeFeed(f);
      f.layer = null;
    }
  }

  /** Forgets everything (the connection ends, or the hub admitted us afresh). */
  clear(): void {
    this.closeConsumers();
    this.feeds.clear();
    this.slots.clear();
  }

  /** Removes the hidden audio elements' container (the page is leaving the meeting). */
  detach(): void {
    this.audioBox?.remove();
    this.audioBox = null;
  }

  // ---------------------------------------------------------------------------
  // Consumers in line with the plan and what is wanted

  /** Reconciles once after the current burst of changes, never two passes at once. */
  scheduleReconcile(): void {
    if (this.reconcileQueued) return;
    this.reconcileQueued = true;
    queueMicrotask(() => {
      this.reconcileQueued = false;
      this.reconcileChain = this.reconcileChain.then(() => this.reconcile()).catch(ignore);
    });
  }

  /** Which spatial layer each video (by peer and source) is wanted at, or absent when no tile shows it. */
  private wantedLayers(): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.wants.values()) {
      const key = videoKey(w.peerId, w.source);
      out.set(key, Math.max(out.get(key) ?? -1, LAYER_FOR[w.layer]));
    }
    return out;
  }

  private async reconcile(): Promise<void> {
    const self = this.host.self();
    const meeting = this.host.meeting();
    if (!this.host.recvTransport() || !self || !meeting) return;
    const producers = [...this.feeds.values()].flatMap((f) => (f.producer ? [f.producer] : []));
    const slots = [...this.slots.values()].map((f) => ({ index: f.slot as number, producerId: f.producerId }));
    const plan = receivePlan(self, meeting, producers, slots, this.host.layout());
    const inPlan = new Set([...plan.audio, ...plan.video.map((p) => p.producerId)]);
    const wanted = this.wantedLayers();
    const jobs: Promise<void>[] = [];
    const feeds = [...this.feeds.values(), ...this.slots.values()];
    // What left the plan is freed first: the hub answers in order, and holds a site to the plan's bound.
    for (const f of feeds) if (!inPlan.has(f.producerId)) this.drop(f, jobs);
    for (const f of feeds) {
      const producer = f.producer;
      if (!inPlan.has(f.producerId)) continue;
      if (producer?.kind !== 'video') {
        if (!f.consumer && !f.consuming) jobs.push(this.consume(f, null));
      } else {
        const layer = wanted.get(videoKey(producer.peerId, producer.source));
        if (layer === undefined) this.unwatch(f, jobs);
        else if (!f.consumer && !f.consuming) jobs.push(this.consume(f, layer));
        else if (f.consumer) this.watch(f, f.consumer, layer, jobs);
      }
    }
    await Promise.all(jobs);
  }

  /** The stream left our plan (the stage moved on): its consumer is closed here and on the hub. */
  private drop(f: Feed, jobs: Promise<void>[]): void {
    const c = f.consumer;
    if (!c) return;
    this.closeFeed(f);
    f.layer = null;
    this.host.tracksChanged();
    jobs.push(this.host.signaling.request('closeConsumer', { consumerId: c.id }).then(ignore, ignore));
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
      const o = await signaling.request('consume', { producerId: f.producerId });
      const current = this.feeds.get(f.producerId) ?? this.slots.get(f.producerId);
      if (current !== f || transport !== this.host.recvTransport()) {
        await signaling.request('closeConsumer', { consumerId: o.id }).catch(ignore);
        return;
      }
      const consumer = await transport.consume({
        id: o.id,
        producerId: o.producerId,
        kind: o.kind,
        rtpParameters: o.rtpParameters,
        appData: { peerId: o.peerId, source: o.source, slot: o.slot },
      });
      f.consumer = consumer;
      if (o.kind === 'audio') {
        this.play(f, consumer.track);
      } else if (layer !== null) {
        // Said for a one-layer camera too: it crossed from another hub at the layer its viewers there ask for.
        f.layer = layer;
        await signaling.request('setPreferredLayers', { consumerId: o.id, spatialLayer: layer });
      }
      await signaling.request('resumeConsumer', { consumerId: o.id });
      this.host.tracksChanged();
    })()
      // The producer may have gone meanwhile; the next reconcile retries if it is still in the plan.
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
    if (f.slot !== undefined) el.dataset.slot = String(f.slot);
    if (f.producer) el.dataset.peerId = f.producer.peerId;
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

function videoKey(peerId: string, source: MediaSource): string {
  return `${peerId}:${source}`;
}
