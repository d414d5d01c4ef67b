// Keeps a weak site in the meeting instead of letting it freeze: consumer
// scores (from the site's own receiver reports) drive a step down to a lower
// simulcast layer, then to audio only, and a step back up once the link holds.
//
// The guard only decides; MeetingRoom applies the decisions to mediasoup.

export type LinkState = 'good' | 'degraded' | 'audio-only';

export interface LinkGuardOptions {
  /** A score at or below this (0–10) counts as a bad sample. */
  badScore: number;
  /** A score at or above this counts as a good sample. */
  goodScore: number;
  /** Consecutive bad samples before stepping down. */
  badSamples: number;
  /** Milliseconds of good samples before stepping up one level. */
  recoverAfterMs: number;
  /** Milliseconds in audio-only before video is tried again at the lowest layer. */
  audioOnlyProbeMs: number;
  /** Highest spatial layer a consumer may use (simulcast layers − 1). */
  maxSpatialLayer: number;
}

export const DEFAULT_LINK_GUARD: LinkGuardOptions = {
  badScore: 5,
  goodScore: 8,
  badSamples: 2,
  recoverAfterMs: 8000,
  audioOnlyProbeMs: 15000,
  maxSpatialLayer: 2,
};

export interface LinkDecision {
  state: LinkState;
  /** The cap on spatial layers for this site's video consumers; null in audio-only. */
  spatialCap: number | null;
}

export class LinkGuard {
  private level: number;
  private badRun = 0;
  private goodSince: number | null = null;
  private audioOnlySince: number | null = null;

  constructor(private readonly options: LinkGuardOptions = DEFAULT_LINK_GUARD) {
    // Levels: maxSpatialLayer … 0 are video layers, −1 is audio only.
    this.level = options.maxSpatialLayer;
  }

  get decision(): LinkDecision {
    if (this.level < 0) return { state: 'audio-only', spatialCap: null };
    return {
      state: this.level < this.options.maxSpatialLayer ? 'degraded' : 'good',
      spatialCap: this.level,
    };
  }

  /**
   * Feeds one score sample (the worst of the site's video consumers, or of its
   * audio consumers while in audio only). Returns the new decision when it changed.
   */
  sample(score: number, now = Date.now()): LinkDecision | null {
    const before = this.level;
    if (score <= this.options.badScore) this.onBad();
    else this.badRun = 0;
    if (score >= this.options.goodScore) this.onGood(now);
    else this.goodSince = null;
    if (this.level < 0 && this.audioOnlySince === null) this.audioOnlySince = now;
    return this.level === before ? null : this.decision;
  }

  /** Called periodically: after a quiet spell in audio only, probe video at the lowest layer. */
  tick(now = Date.now()): LinkDecision | null {
    if (this.level >= 0 || this.audioOnlySince === null) return null;
    if (now - this.audioOnlySince < this.options.audioOnlyProbeMs) return null;
    this.level = 0;
    this.audioOnlySince = null;
    this.goodSince = null;
    return this.decision;
  }

  private onBad(): void {
    this.goodSince = null;
    this.badRun++;
    if (this.badRun < this.options.badSamples) return;
    this.badRun = 0;
    if (this.level >= 0) this.level--;
  }

  private onGood(now: number): void {
    if (this.level < 0 || this.level >= this.options.maxSpatialLayer) return;
    this.goodSince ??= now;
    if (now - this.goodSince < this.options.recoverAfterMs) return;
    this.level++;
    this.goodSince = now;
  }
}
