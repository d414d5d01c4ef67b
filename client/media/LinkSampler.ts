// This site's link figures, sampled every few seconds from its two transports'
// getStats() (linkStats.ts): shown on its own indicator and reported to the
// chair's board (reportLinkStats).
import type { LinkStats } from '../../contract/signaling.ts';
import { type LinkSample, linkSample, linkStats } from './linkStats.ts';
import type { SignalingChannel } from './SignalingChannel.ts';
import type { Transports } from './Transports.ts';

/** How often the link figures are sampled, shown and reported to the chair's board. */
const LINK_SAMPLE_MS = 3000;

export interface LinkSamplerOptions {
  signaling: SignalingChannel;
  transports: Transports;
  /** Whether the site is in the meeting (figures are reported only then). */
  joined(): boolean;
  onLink(link: LinkStats): void;
}

export class LinkSampler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: LinkSample | null = null;

  constructor(private readonly opts: LinkSamplerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), LINK_SAMPLE_MS);
  }

  /** The transports were closed: the next figures start from a fresh sample, not from the old transports'. */
  forget(): void {
    this.last = null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last = null;
  }

  private async sample(): Promise<void> {
    const { send, recv } = this.opts.transports;
    if (!this.opts.joined() || !send || !recv) return;
    try {
      const sample = linkSample(await Promise.all([send.getStats(), recv.getStats()]), Date.now());
      const prev = this.last;
      this.last = sample;
      if (!prev) return;
      const link = linkStats(prev, sample);
      this.opts.onLink(link);
      await this.opts.signaling.request('reportLinkStats', link).catch(() => undefined);
    } catch {
      // stats are best effort
    }
  }
}
