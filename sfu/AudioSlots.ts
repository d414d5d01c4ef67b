// A meeting's audio slots: K streams every site receives, which the hub
// re-points at whoever is speaking, so a site holds K audio consumers however
// many sites the meeting has (docs/scaling.md).
//
//   site mic ─► router of its worker ─► DirectTransport "tap" ─► Node
//        Node: read ssrc-audio-level, choose the K speakers (SlotSelector),
//              rewrite SSRC / sequence number / timestamp (SlotStream)
//   Node ─► K slot producers on a DirectTransport of the home router
//        ─► every site's consumer of each slot (piped to the other workers'
//           routers like any producer, sfu/MediaPlanes.ts)
//
// On an edge hub of a meeting that spans hubs (sfu/span/) the slots are the
// home's, arrived over the pipe (`followHome`): this hub taps nothing, its
// sites' microphones go up to the home, and the home says which of this hub's
// sites must not hear which slot (`setExcluded`).
//
// The chair's microphone is not tapped: everyone consumes it directly. A site
// never hears itself: while it feeds a slot, its own consumer of that slot is
// paused on the hub (the pause is acknowledged by its worker before its first
// packet is forwarded), and resumed a moment after it leaves the slot.
import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { AudioSlotInfo } from '../contract/signaling.ts';
import type { MediaPlanes } from './MediaPlanes.ts';
import type { Peer, ProducerAppData } from './Peer.ts';
import { AUDIO_LEVEL_URI, audioLevel, isRtp, SILENT_LEVEL } from './rtpHeader.ts';
import { DEFAULT_SLOT_SELECTION, type SlotChange, SlotSelector } from './SlotSelector.ts';
import { SlotStream } from './SlotStream.ts';

/** How often holders gone quiet (or whose packets stopped) are checked. */
const TICK_MS = 200;
/**
 * A site that left a slot hears that slot again this much later: its own last
 * packets may still be on their way through the workers and pipes.
 */
const SELF_RESUME_DELAY_MS = 250;
/** Re-creating the slots after their worker died waits for its replacement: tries and pause between them. */
const RECREATE_ATTEMPTS = 10;
const RECREATE_RETRY_MS = 500;

export interface AudioSlotsOptions {
  meetingId: string;
  /** K: how many sites can be heard at once besides the chair. */
  count: number;
  planes: MediaPlanes;
  log: Logger;
  /** Whether the site may be heard now (its mic allowed by mute, floor and mode). */
  mayBeHeard(siteId: string): boolean;
  /** Whether the site has priority for a slot (it is on the main stage). */
  isPinned(siteId: string): boolean;
  /** Pauses (or resumes) the site's own consumer of `slot`; resolves when its worker did it. */
  excludeSelf(siteId: string, slot: number, excluded: boolean): Promise<void>;
  /** The slot producers were re-created (their worker restarted): the sites must consume these. */
  onRecreated(slots: AudioSlotInfo[]): void;
}

interface SlotOut {
  index: number;
  producer: types.Producer;
  stream: SlotStream;
  /** Packets of the holder may go out: its own consumer of this slot is paused. */
  live: boolean;
  /** Bumped at each change of holder, so a late pause acknowledgment does not open the wrong turn. */
  turn: number;
}

/** A slot of the home hub as an edge receives it. */
export interface FollowedSlot {
  index: number;
  producer: types.Producer;
}

export class AudioSlots {
  private slots: SlotOut[] = [];
  /** The home's slots, on an edge hub; null where the slots are made here. */
  private followed: FollowedSlot[] | null = null;
  private readonly taps = new Map<string, types.Consumer>();
  /** The DirectTransport that taps microphones on each worker's router, by worker index. */
  private readonly tapTransports = new Map<number, Promise<types.DirectTransport>>();
  private readonly selector: SlotSelector;
  /** Slots each site must not hear: the one it feeds and, for a moment, one it left. */
  private readonly exclusions = new Map<string, Set<number>>();
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private readonly ticker: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: AudioSlotsOptions) {
    this.selector = new SlotSelector({ slots: options.count, ...DEFAULT_SLOT_SELECTION });
    this.ticker = setInterval(() => this.apply(this.selector.tick()), TICK_MS);
    this.ticker.unref();
  }

  /** Creates the slot producers on the meeting's home router. */
  async open(): Promise<void> {
    this.slots = await this.createSlots();
  }

  /** K: how many slots the meeting has. */
  get count(): number {
    return this.options.count;
  }

  info(): AudioSlotInfo[] {
    return (this.followed ?? this.slots).map((s) => ({ index: s.index, producerId: s.producer.id }));
  }

  /** The index of the slot whose producer this is. */
  find(producerId: string): number | undefined {
    return (this.followed ?? this.slots).find((s) => s.producer.id === producerId)?.index;
  }

  /**
   * This hub is an edge of the meeting: its sites hear the home's slots, and
   * their microphones are tapped there. The slots made here at opening close
   * (no site consumed them yet).
   */
  followHome(slots: FollowedSlot[]): void {
    for (const out of [...this.slots, ...(this.followed ?? [])]) out.producer.close();
    this.slots = [];
    this.followed = slots;
    this.exclusions.clear();
    this.options.onRecreated(this.info());
  }

  /** The home hub is gone and this hub takes its place: the slots are made and fed here from now on. */
  async makeHere(): Promise<void> {
    this.followed = null;
    this.exclusions.clear();
    this.slots = await this.createSlots();
    this.options.onRecreated(this.info());
  }

  /** On an edge: the home says `siteId` feeds (or left) `slot`; resolves when its consumer here is paused. */
  async setExcluded(siteId: string, slot: number, excluded: boolean): Promise<void> {
    const slots = this.exclusions.get(siteId) ?? new Set<number>();
    if (excluded) {
      this.exclusions.set(siteId, slots);
      slots.add(slot);
    } else {
      slots.delete(slot);
      if (slots.size === 0) this.exclusions.delete(siteId);
    }
    await this.options.excludeSelf(siteId, slot, excluded);
  }

  /** Whether `siteId` must not hear slot `slot` now (it feeds it, or just did). */
  excludes(siteId: string, slot: number): boolean {
    return this.exclusions.get(siteId)?.has(slot) ?? false;
  }

  /** Who feeds each slot now (null: silent). */
  holders(): (string | null)[] {
    return this.slots.map((s) => this.selector.holderOf(s.index));
  }

  /**
   * Listens to a site's microphone so that it can be chosen for a slot when it
   * speaks; `speakerId` names a voice the site relays (another deployment's
   * slot, sfu/cascade/) when it is not the site's own.
   */
  async listen(site: Peer, producer: types.Producer<ProducerAppData>, speakerId = site.id): Promise<void> {
    if (this.followed) return; // tapped on the home hub
    try {
      const { router } = await this.options.planes.of(site);
      const transport = await this.tapOn(site.workerIndex, router);
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: tapCapabilities(router.rtpCapabilities),
      });
      if (producer.closed || this.closed) {
        consumer.close();
        return;
      }
      this.attach(speakerId, consumer);
    } catch (err) {
      this.options.log.warn(
        { meetingId: this.options.meetingId, siteId: site.id, err: (err as Error).message },
        'could not listen to a microphone for the audio slots',
      );
    }
  }

  private attach(siteId: string, consumer: types.Consumer): void {
    const levelId = consumer.rtpParameters.headerExtensions?.find((e) => e.uri === AUDIO_LEVEL_URI)?.id ?? 0;
    this.taps.get(siteId)?.close();
    this.taps.set(siteId, consumer);
    consumer.on('rtp', (packet) => this.onPacket(siteId, levelId, packet));
    consumer.on('producerpause', () => this.apply(this.selector.release(siteId)));
    // Closed with its producer (closed, the site left) or its router (worker died).
    consumer.observer.once('close', () => {
      if (this.taps.get(siteId) !== consumer) return;
      this.taps.delete(siteId);
      this.apply(this.selector.forget(siteId));
    });
  }

  private onPacket(siteId: string, levelId: number, packet: Buffer): void {
    if (!isRtp(packet)) return;
    // A mic the hub holds is paused at its producer; this covers the moment before.
    if (!this.options.mayBeHeard(siteId)) {
      this.apply(this.selector.release(siteId));
      return;
    }
    const level = audioLevel(packet, levelId) ?? SILENT_LEVEL;
    this.apply(this.selector.hear(siteId, level, this.options.isPinned(siteId)));
    const slot = this.selector.slotOf(siteId);
    const out = slot === undefined ? undefined : this.slots[slot];
    if (!out?.live) return;
    out.stream.rewrite(packet);
    out.producer.send(packet);
  }

  private apply(changes: readonly SlotChange[]): void {
    for (const { slot, from, to } of changes) {
      const out = this.slots[slot];
      if (!out) continue; // being re-created after its worker died
      out.turn++;
      out.live = false;
      out.stream.retarget();
      if (from !== null) this.leave(from, slot);
      if (to !== null) this.enter(to, out);
    }
  }

  /** `siteId` takes slot `out`: its own consumer of it is paused before anything is forwarded. */
  private enter(siteId: string, out: SlotOut): void {
    const key = `${siteId}/${out.index}`;
    clearTimeout(this.resumeTimers.get(key));
    this.resumeTimers.delete(key);
    let excluded = this.exclusions.get(siteId);
    if (!excluded) {
      excluded = new Set();
      this.exclusions.set(siteId, excluded);
    }
    excluded.add(out.index);
    const turn = out.turn;
    this.options
      .excludeSelf(siteId, out.index, true)
      .catch(() => {}) // its consumer closed meanwhile: nothing to pause
      .finally(() => {
        if (out.turn === turn) out.live = true;
      });
  }

  private leave(siteId: string, slot: number): void {
    const key = `${siteId}/${slot}`;
    clearTimeout(this.resumeTimers.get(key));
    const timer = setTimeout(() => {
      this.resumeTimers.delete(key);
      if (this.closed || this.selector.slotOf(siteId) === slot) return;
      const excluded = this.exclusions.get(siteId);
      excluded?.delete(slot);
      if (excluded?.size === 0) this.exclusions.delete(siteId);
      this.options.excludeSelf(siteId, slot, false).catch(() => {});
    }, SELF_RESUME_DELAY_MS);
    timer.unref();
    this.resumeTimers.set(key, timer);
  }

  /** A worker died: its taps went with it; slots living there are re-created on its replacement. */
  planeLost(index: number): void {
    this.tapTransports.delete(index);
    if (index !== this.options.planes.homeIndex || this.closed || this.followed) return;
    this.slots = [];
    // The routers hear of the death before the pool does: let it start the replacement first.
    setImmediate(() => void this.recreate(RECREATE_ATTEMPTS));
  }

  private async recreate(attemptsLeft: number): Promise<void> {
    if (this.closed) return;
    try {
      const slots = await this.createSlots();
      if (this.closed) return;
      // Holders carry on in the new slots; their exclusions stand (a consumer is created paused).
      for (const out of slots) out.live = true;
      this.slots = slots;
      this.options.onRecreated(this.info());
    } catch (err) {
      const { log, meetingId } = this.options;
      if (attemptsLeft <= 1) {
        log.error({ meetingId, err: (err as Error).message }, 'could not re-create the audio slots');
        return;
      }
      setTimeout(() => void this.recreate(attemptsLeft - 1), RECREATE_RETRY_MS).unref();
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
  }

  private async createSlots(): Promise<SlotOut[]> {
    const router = await this.options.planes.homeRouter();
    const transport = await router.createDirectTransport();
    const codec = opusOf(router.rtpCapabilities);
    const level = audioLevelExtensionOf(router.rtpCapabilities);
    const payloadType = codec.preferredPayloadType as number;
    return Promise.all(
      Array.from({ length: this.options.count }, async (_, index): Promise<SlotOut> => {
        const ssrc = randomInt(1, 0xffff_ffff);
        const producer = await transport.produce({
          kind: 'audio',
          rtpParameters: {
            codecs: [
              { mimeType: codec.mimeType, payloadType, clockRate: codec.clockRate, channels: codec.channels ?? 2 },
            ],
            headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: level.preferredId }],
            encodings: [{ ssrc }],
            rtcp: { cname: `slot-${index}`, reducedSize: true },
          },
          appData: { slot: index },
        });
        producer.observer.once('close', () => this.options.planes.forgetProducer(producer.id));
        return { index, producer, stream: new SlotStream(ssrc, payloadType), live: false, turn: 0 };
      }),
    );
  }

  /** One DirectTransport per worker's router taps the microphones of the sites placed there. */
  private tapOn(index: number, router: types.Router): Promise<types.DirectTransport> {
    let transport = this.tapTransports.get(index);
    if (!transport) {
      const creating = router.createDirectTransport();
      transport = creating;
      this.tapTransports.set(index, creating);
      creating.then(
        (t) =>
          t.observer.once(
            'close',
            () => this.tapTransports.get(index) === creating && this.tapTransports.delete(index),
          ),
        () => this.tapTransports.delete(index),
      );
    }
    return transport;
  }
}

function opusOf(capabilities: types.RtpCapabilities): types.RtpCodecCapability {
  const opus = capabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'audio/opus');
  if (!opus) throw new Error('the router offers no opus');
  return opus;
}

function audioLevelExtensionOf(capabilities: types.RtpCapabilities): types.RtpHeaderExtension {
  const ext = capabilities.headerExtensions?.find((e) => e.kind === 'audio' && e.uri === AUDIO_LEVEL_URI);
  if (!ext) throw new Error('the router offers no ssrc-audio-level');
  return ext;
}

/** What a tap consumes: opus with its audio level and nothing else. */
function tapCapabilities(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  return { codecs: [opusOf(capabilities)], headerExtensions: [audioLevelExtensionOf(capabilities)] };
}
