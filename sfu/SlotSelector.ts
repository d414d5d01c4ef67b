// Which sites own a meeting's K audio slots, decided packet by packet from the
// ssrc-audio-level each microphone sends. Pure: no mediasoup, an injectable
// clock, unit-tested (test/sfu/SlotSelector.test.ts).
//
// The rules, in the order they are tried when a site without a slot speaks:
//   1. a free slot is taken at once (on the first loud packet: the first
//      syllable is not lost);
//   2. otherwise the slot of the holder silent longest, if it has been silent
//      at least `yieldAfterMs` (a pause between sentences);
//   3. otherwise, when every holder is still talking, the newcomer waits,
//      unless it has been louder than the quietest holder (smoothed) by
//      `contestDb` and that holder has had its slot `minHoldMs`.
// A holder silent for `releaseAfterMs` gives its slot up, so background noise
// is not forwarded to everyone. The staged site is pinned: it takes a slot
// from any unpinned holder at once and is never displaced.

export interface SlotSelectorOptions {
  slots: number;
  /** A packet at this level or louder (0 loudest … 127 silence, i.e. −dBov) is speech. */
  speechLevel: number;
  yieldAfterMs: number;
  releaseAfterMs: number;
  minHoldMs: number;
  contestDb: number;
  now?: () => number;
}

export const DEFAULT_SLOT_SELECTION: Omit<SlotSelectorOptions, 'slots' | 'now'> = {
  // −50 dBov: the chair's board shows a site as speaking from the same level (client/meeting/MeetingStore.ts).
  speechLevel: 50,
  yieldAfterMs: 400,
  releaseAfterMs: 2000,
  minHoldMs: 1500,
  contestDb: 6,
};

/** A slot changes hands: `from` (or nobody) stops being forwarded in it, `to` (or nobody) starts. */
export interface SlotChange {
  slot: number;
  from: string | null;
  to: string | null;
}

interface Speaker {
  /** Smoothed loudness in dB (−127 … 0). */
  loudness: number;
  lastSpeechAt: number;
  pinned: boolean;
}

interface Slot {
  holder: string | null;
  since: number;
}

/** The answer to most packets, shared: nothing changes hands. */
const NO_CHANGE: readonly SlotChange[] = Object.freeze([]);

/** Weight of each new packet in the smoothed loudness: ~7 packets (140 ms) to cross from silence to speech. */
const SMOOTHING = 0.2;
const SILENCE_DB = -127;

export class SlotSelector {
  private readonly speakers = new Map<string, Speaker>();
  private readonly slots: Slot[];
  private readonly holders = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: SlotSelectorOptions) {
    this.now = options.now ?? (() => performance.now());
    this.slots = Array.from({ length: options.slots }, () => ({ holder: null, since: 0 }));
  }

  slotOf(source: string): number | undefined {
    return this.holders.get(source);
  }

  holderOf(slot: number): string | null {
    return this.slots[slot]?.holder ?? null;
  }

  /** A packet from `source` at `level`; answers the slot changes it causes. */
  hear(source: string, level: number, pinned: boolean): readonly SlotChange[] {
    const now = this.now();
    const speaker = this.update(source, level, pinned, now);
    const held = this.holders.get(source);
    if (held !== undefined) {
      return now - speaker.lastSpeechAt >= this.options.releaseAfterMs ? [this.assign(held, null, now)] : NO_CHANGE;
    }
    if (level > this.options.speechLevel) return NO_CHANGE;
    const slot = this.slotFor(speaker, now);
    return slot === undefined ? NO_CHANGE : [this.assign(slot, source, now)];
  }

  /** `source` can no longer be heard (muted, held by the hub, gone): its slot is freed. */
  release(source: string): SlotChange[] {
    const held = this.holders.get(source);
    const speaker = this.speakers.get(source);
    if (speaker) speaker.loudness = SILENCE_DB;
    return held === undefined ? [] : [this.assign(held, null, this.now())];
  }

  /** `source` left the meeting. */
  forget(source: string): SlotChange[] {
    const changes = this.release(source);
    this.speakers.delete(source);
    return changes;
  }

  /** Frees the slots of holders silent too long, including those whose packets stopped. */
  tick(): SlotChange[] {
    const now = this.now();
    const changes: SlotChange[] = [];
    for (const [source, slot] of this.holders) {
      const speaker = this.speakers.get(source);
      if (!speaker || now - speaker.lastSpeechAt >= this.options.releaseAfterMs) {
        changes.push(this.assign(slot, null, now));
      }
    }
    return changes;
  }

  private update(source: string, level: number, pinned: boolean, now: number): Speaker {
    let speaker = this.speakers.get(source);
    if (!speaker) {
      speaker = { loudness: SILENCE_DB, lastSpeechAt: Number.NEGATIVE_INFINITY, pinned };
      this.speakers.set(source, speaker);
    }
    speaker.pinned = pinned;
    speaker.loudness += SMOOTHING * (-level - speaker.loudness);
    if (level <= this.options.speechLevel) speaker.lastSpeechAt = now;
    return speaker;
  }

  /** The slot a speaker without one may take now, if any (rules 1–3 above). */
  private slotFor(speaker: Speaker, now: number): number | undefined {
    const free = this.slots.findIndex((s) => s.holder === null);
    if (free >= 0) return free;
    let longestSilent: { slot: number; silentFor: number } | undefined;
    let quietest: { slot: number; loudness: number } | undefined;
    for (const [source, slot] of this.holders) {
      const holder = this.speakers.get(source);
      if (!holder || holder.pinned) continue;
      const silentFor = now - holder.lastSpeechAt;
      if (!longestSilent || silentFor > longestSilent.silentFor) longestSilent = { slot, silentFor };
      if (!quietest || holder.loudness < quietest.loudness) quietest = { slot, loudness: holder.loudness };
    }
    if (!longestSilent || !quietest) return undefined; // every holder is pinned
    if (speaker.pinned) return longestSilent.slot;
    if (longestSilent.silentFor >= this.options.yieldAfterMs) return longestSilent.slot;
    const contested = this.slots[quietest.slot] as Slot;
    const louder = speaker.loudness >= quietest.loudness + this.options.contestDb;
    const sustained = speaker.loudness >= -this.options.speechLevel;
    if (louder && sustained && now - contested.since >= this.options.minHoldMs) return quietest.slot;
    return undefined;
  }

  private assign(slot: number, to: string | null, now: number): SlotChange {
    const entry = this.slots[slot] as Slot;
    const from = entry.holder;
    if (from !== null) this.holders.delete(from);
    entry.holder = to;
    entry.since = now;
    if (to !== null) this.holders.set(to, slot);
    return { slot, from, to };
  }
}
