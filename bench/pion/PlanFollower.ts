// What a bot receives, decided as the browser client decides it
// (client/media/RemoteMedia.ts and the screens' tiles), from the same module
// (contract/receivePlan.ts): it keeps the producers it was told of, the
// meeting's audio slots, who chairs and who is on stage, and after every
// change brings its consumers in line:
//   - audio: everything in the plan (the chair's microphone, the K slots);
//   - video: the cameras the screen shows — a site's main stage (the staged
//     site at the top layer, the chair as an inset at the lowest), the chair's
//     stage and one page of its mosaic at the lowest layer; a camera still in
//     the plan but off screen is paused, one that left the plan is closed.
// Consumers are made, paused, resumed and closed by the host (the bot).
import {
  mosaicPage,
  type PlanMeeting,
  type Receiver,
  receivePlan,
  type ShownCameras,
  stageCameras,
} from '../../contract/receivePlan.ts';
import type { AudioSlotInfo, ProducerInfo } from '../../contract/signaling.ts';

/** Spatial layer per tile size, as the client asks (client/media/RemoteMedia.ts). */
const LAYER = { thumb: 0, stage: 2 } as const;

/** One stream the plan holds: a site's producer or an audio slot. */
export interface PlannedStream {
  producerId: string;
  kind: 'audio' | 'video';
  /** The producing site, or `slot-<index>` for an audio slot. */
  source: string;
  /** Silent until someone speaks: joining does not wait for it. */
  slot: boolean;
}

export interface HeldConsumer {
  consumerId: string;
  stream: PlannedStream;
  paused: boolean;
  layer: number | null;
}

export interface FollowerHost {
  /** Consumes the stream (resumed, at `layer` for a camera); resolves to the consumer, or null if it failed. */
  consume(stream: PlannedStream, layer: number | null): Promise<HeldConsumer | null>;
  close(held: HeldConsumer): Promise<void>;
  pause(held: HeldConsumer, paused: boolean): Promise<void>;
  setLayer(held: HeldConsumer, layer: number): Promise<void>;
}

const ignore = () => undefined;

export class PlanFollower {
  private self: Receiver | null = null;
  private meeting: PlanMeeting | null = null;
  private readonly producers = new Map<string, ProducerInfo>();
  private slots: AudioSlotInfo[] = [];
  /** The chair's mosaic: page size (0: not the chair console) and the page shown. */
  private pageSize = 0;
  private page = 0;
  /** By producer id. */
  private readonly held = new Map<string, HeldConsumer>();
  private readonly pending = new Set<string>();
  private queued = false;
  private chain: Promise<void> = Promise.resolve();
  private live = false;
  /** The most consumers held at once. */
  maxHeld = 0;

  constructor(private readonly host: FollowerHost) {}

  joined(self: Receiver, meeting: PlanMeeting, producers: ProducerInfo[], slots: AudioSlotInfo[]): void {
    this.self = self;
    this.meeting = meeting;
    for (const p of producers) this.producers.set(p.producerId, p);
    this.slots = slots;
  }

  /** A (new) receive transport is up: nothing is consumed on it yet; consume the plan. */
  restart(): void {
    this.held.clear();
    this.live = true;
    this.schedule();
  }

  stop(): void {
    this.live = false;
  }

  setMeeting(meeting: PlanMeeting): void {
    this.meeting = meeting;
    this.schedule();
  }

  addProducer(p: ProducerInfo): void {
    if (p.peerId === this.self?.id) return;
    this.producers.set(p.producerId, p);
    this.schedule();
  }

  removeProducer(producerId: string): void {
    this.producers.delete(producerId);
    this.schedule();
  }

  dropPeer(peerId: string): void {
    for (const p of [...this.producers.values()]) if (p.peerId === peerId) this.producers.delete(p.producerId);
    this.schedule();
  }

  setSlots(slots: AudioSlotInfo[]): void {
    this.slots = slots;
    this.schedule();
  }

  /** The hub closed a consumer (its producer went, or it left the plan): forget it; the plan may consume again. */
  consumerClosed(consumerId: string): void {
    for (const [producerId, h] of this.held) if (h.consumerId === consumerId) this.held.delete(producerId);
    this.schedule();
  }

  /** Shows the chair's mosaic, `pageSize` tiles a page. */
  showMosaic(pageSize: number): void {
    this.pageSize = pageSize;
    this.schedule();
  }

  turnPage(): void {
    this.page++;
    this.schedule();
  }

  /** Sites with a camera the chair could put on stage, in the order the hub announced them. */
  cameraSites(): string[] {
    const sites: string[] = [];
    for (const p of this.producers.values()) {
      if (p.kind === 'video' && p.peerId !== this.meeting?.chairSiteId) sites.push(p.peerId);
    }
    return sites;
  }

  /** Consumers held now (paused ones too: they are receive streams the hub keeps). */
  get heldCount(): number {
    return this.held.size;
  }

  /** Whether the plan has a stream that flows whoever speaks (so joining waits for its first media). */
  get expectsMedia(): boolean {
    for (const w of this.wanted().values()) if (w.onScreen && !w.stream.slot) return true;
    return false;
  }

  /** Reconciles once after the current burst of changes, never two passes at once. */
  private schedule(): void {
    if (this.queued || !this.live) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.chain = this.chain.then(() => this.reconcile()).catch(ignore);
    });
  }

  /** The cameras the screen shows, by site id. */
  private shown(): ShownCameras {
    const self = this.self;
    const meeting = this.meeting;
    if (!self || !meeting) return new Map();
    const shown = stageCameras(self.id, meeting);
    if (self.role !== 'chair' || this.pageSize === 0) return shown;
    const { shown: page, pages } = mosaicPage(this.cameraSites(), this.page, this.pageSize);
    if (this.page >= pages) this.page = 0;
    for (const site of page) if (!shown.has(site)) shown.set(site, 'thumb');
    return shown;
  }

  /** Every stream of the plan, by producer id, with the layer to show a camera at (null: off screen or audio). */
  private wanted(): Map<string, { stream: PlannedStream; layer: number | null; onScreen: boolean }> {
    const out = new Map<string, { stream: PlannedStream; layer: number | null; onScreen: boolean }>();
    if (!this.self || !this.meeting) return out;
    const plan = receivePlan(this.self, this.meeting, this.producers.values(), this.slots);
    const slotOf = new Map(this.slots.map((s) => [s.producerId, s.index]));
    for (const producerId of plan.audio) {
      const slot = slotOf.get(producerId);
      const source = slot === undefined ? (this.producers.get(producerId)?.peerId ?? '') : `slot-${slot}`;
      const stream = { producerId, kind: 'audio' as const, source, slot: slot !== undefined };
      out.set(producerId, { stream, layer: null, onScreen: true });
    }
    const shown = this.shown();
    for (const p of plan.video) {
      const size = shown.get(p.peerId);
      out.set(p.producerId, {
        stream: { producerId: p.producerId, kind: 'video', source: p.peerId, slot: false },
        layer: size === undefined ? null : LAYER[size],
        onScreen: size !== undefined,
      });
    }
    return out;
  }

  private async reconcile(): Promise<void> {
    if (!this.live) return;
    const wanted = this.wanted();
    const jobs: Promise<unknown>[] = [];
    for (const [producerId, h] of this.held) {
      const w = wanted.get(producerId);
      if (!w) {
        this.held.delete(producerId);
        jobs.push(this.host.close(h).catch(ignore));
      } else if (!w.onScreen) {
        if (!h.paused) jobs.push(this.host.pause(h, true).catch(ignore));
      } else {
        if (w.layer !== null && h.layer !== w.layer) jobs.push(this.host.setLayer(h, w.layer).catch(ignore));
        if (h.paused) jobs.push(this.host.pause(h, false).catch(ignore));
      }
    }
    for (const [producerId, w] of wanted) {
      if (!w.onScreen || this.held.has(producerId) || this.pending.has(producerId)) continue;
      jobs.push(this.consume(w.stream, w.layer));
    }
    await Promise.all(jobs);
  }

  private async consume(stream: PlannedStream, layer: number | null): Promise<void> {
    this.pending.add(stream.producerId);
    try {
      const held = await this.host.consume(stream, layer);
      if (!held) return;
      // The plan may have moved on while the consumer was made: the next pass closes it then.
      this.held.set(stream.producerId, held);
      this.maxHeld = Math.max(this.maxHeld, this.held.size);
      this.schedule();
    } finally {
      this.pending.delete(stream.producerId);
    }
  }
}
