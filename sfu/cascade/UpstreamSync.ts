// Keeps a live upstream link in step (the downstream side, deployment B): one
// sync with A is always on its way, and A holds its answer until what it
// relays changes (a mute, another site staged, a chair that re-produced) or a
// moment passes, so A's changes cross at once without A ever calling B. A
// change of B's own sent site (its microphone paused or resumed, a camera
// turned on) is pushed at once by a sync A answers without waiting. A answering
// that the link no longer stands drops it; no answer for `lostAfterMs` loses it.
import type { CascadeDialer } from './CascadeSetup.ts';
import type { LinkedSite } from './LinkedSite.ts';
import type { Outgoing } from './outgoing.ts';
import { MAX_SYNC_WAIT_MS } from './wire.ts';

/** How often B looks whether its own sent site changed. */
const CHANGE_LOOK_MS = 100;

export interface UpstreamSyncOptions {
  site: LinkedSite;
  dialer: CascadeDialer;
  deployment: string;
  linkId: string;
  lostAfterMs: number;
  /** What this side sends now. */
  outgoing(): Outgoing[];
  /** A says the link no longer stands. */
  onDropped(): void;
  /** A has not answered for `lostAfterMs`. */
  onSilent(): void;
}

export class UpstreamSync {
  private stopped = false;
  private pushing = false;
  /** When A last confirmed the link. */
  private confirmedAt = Date.now();
  private readonly timers: NodeJS.Timeout[];
  /** How long A may hold an answer, and the pause after a failed sync. */
  private readonly every: number;

  constructor(private readonly options: UpstreamSyncOptions) {
    this.every = Math.max(300, Math.floor(options.lostAfterMs / 3));
    this.timers = [
      setInterval(() => {
        if (Date.now() - this.confirmedAt > options.lostAfterMs) this.end(options.onSilent);
      }, this.every),
      setInterval(() => void this.pushIfChanged(), CHANGE_LOOK_MS),
    ];
    for (const timer of this.timers) timer.unref();
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  private end(then: () => void): void {
    if (this.stopped) return;
    this.stop();
    then();
  }

  /** One sync after another, each held by A until it has something to say. */
  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.sync(Math.min(this.every, MAX_SYNC_WAIT_MS));
      } catch {
        // Unreachable: lost only once silent for lostAfterMs; try again after a pause.
        await new Promise((resolve) => setTimeout(resolve, this.every));
      }
    }
  }

  private async pushIfChanged(): Promise<void> {
    if (this.pushing || this.stopped || !this.options.site.differs(this.options.outgoing())) return;
    this.pushing = true;
    try {
      await this.sync(0);
    } catch {
      // The next poll carries it.
    } finally {
      this.pushing = false;
    }
  }

  /** What this side sends now goes to A; what A relays now (or as soon as it changes) is produced here. */
  private async sync(waitMs: number): Promise<void> {
    const { site, dialer, deployment, linkId } = this.options;
    const streams = await site.send(this.options.outgoing());
    const answer = await dialer.sync(deployment, { linkId, streams, waitMs });
    if (this.stopped) return;
    if (!answer.standing) return this.end(this.options.onDropped);
    this.confirmedAt = Date.now();
    await site.receive(answer.streams);
  }
}
