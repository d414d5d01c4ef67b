/**
 * Who is speaking in a meeting, from the AudioLevelObserver of each of its
 * routers (one per worker). One observer per router instead of an
 * AudioLevelObserver plus an ActiveSpeakerObserver: the second parsed every
 * live microphone's packets again, which cost ~20 % of the per-site forwarding
 * budget at 100+ sites (docs/performance.md). Merging the routers' reports
 * here also gives the chair one list for the whole meeting and one dominant
 * speaker, not one per worker.
 */
export interface SpeakerLevel {
  peerId: string;
  /** dBov, −127 (silence) … 0 (loudest). */
  volume: number;
}

export interface SpeakerUpdate {
  /** Every audible site of the meeting, loudest first. */
  levels: SpeakerLevel[];
  /** The new dominant speaker, present only when it changed. */
  dominant?: string;
}

export class SpeakerDetector {
  private readonly byPlane = new Map<number, SpeakerLevel[]>();
  private dominant: string | null = null;
  private candidate: string | null = null;
  private candidateSince = 0;

  /**
   * @param holdMs How long a site must stay the loudest before it becomes the
   *   dominant speaker, so a cough does not switch the stage.
   */
  constructor(
    private readonly holdMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A router's report (an empty list when it heard silence). */
  report(plane: number, levels: SpeakerLevel[]): SpeakerUpdate {
    if (levels.length === 0) this.byPlane.delete(plane);
    else this.byPlane.set(plane, levels);
    const merged = [...this.byPlane.values()].flat().sort((a, b) => b.volume - a.volume);
    return { levels: merged, ...this.elect(merged[0]?.peerId ?? null) };
  }

  /** A router went away (its worker died): its sites are no longer heard. */
  forgetPlane(plane: number): void {
    this.byPlane.delete(plane);
  }

  /** A site left: it can no longer be the dominant speaker. */
  forgetPeer(peerId: string): void {
    if (this.candidate === peerId) this.candidate = null;
    if (this.dominant === peerId) this.dominant = null;
    for (const [plane, levels] of this.byPlane) {
      this.byPlane.set(
        plane,
        levels.filter((l) => l.peerId !== peerId),
      );
    }
  }

  // Silence keeps the last speaker dominant: the stage should not go blank
  // between sentences.
  private elect(loudest: string | null): { dominant?: string } {
    if (!loudest || loudest === this.dominant) {
      this.candidate = null;
      return {};
    }
    if (loudest !== this.candidate) {
      this.candidate = loudest;
      this.candidateSince = this.now();
    }
    // The first site heard in a meeting needs no contest.
    if (this.dominant !== null && this.now() - this.candidateSince < this.holdMs) return {};
    this.dominant = loudest;
    this.candidate = null;
    return { dominant: loudest };
  }
}
