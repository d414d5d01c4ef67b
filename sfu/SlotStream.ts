// One audio slot's outgoing RTP stream: whichever site feeds it, the packets
// leave with the slot's SSRC, a sequence number that continues by one per
// packet, and a timestamp that keeps the slot's clock running (Jitsi
// Videobridge's SSRC rewriting is the model). The receiving browser thus sees
// one steady stream per slot: its jitter buffer and opus decoder never meet a
// jump when the speaker changes, only a new talk spurt (marker bit set).
import { rewriteHeader, sequenceNumber, timestamp } from './rtpHeader.ts';

/** Opus' RTP clock. */
const CLOCK_RATE = 48_000;
/** One 20 ms opus frame in clock ticks: the least a new talk spurt moves the clock. */
const FRAME_TICKS = 960;

export class SlotStream {
  /** Offsets from the current source's numbering to the slot's; null until its first packet. */
  private seqOffset: number | null = null;
  private tsOffset = 0;
  private lastSeq: number;
  private lastTs: number;
  private lastSentAt: number | null = null;

  constructor(
    readonly ssrc: number,
    private readonly payloadType: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSeq = Math.floor(Math.random() * 0x10000);
    this.lastTs = Math.floor(Math.random() * 0x1_0000_0000);
  }

  /** The next packet comes from another source (or the same one after a pause): start a talk spurt. */
  retarget(): void {
    this.seqOffset = null;
  }

  /** Rewrites a packet of the current source into the slot's stream, in place. */
  rewrite(packet: Buffer): void {
    const seq = sequenceNumber(packet);
    const ts = timestamp(packet);
    const now = this.now();
    const first = this.seqOffset === null;
    if (first) {
      // Continue the slot's clock by the wall time since its last packet
      // (at least one frame), so the receiver's playout stays in step.
      const elapsed = this.lastSentAt === null ? 0 : now - this.lastSentAt;
      const advance = Math.max(FRAME_TICKS, Math.round((elapsed * CLOCK_RATE) / 1000));
      this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
      this.tsOffset = (this.lastTs + advance - ts) >>> 0;
    }
    const outSeq = (seq + (this.seqOffset as number)) & 0xffff;
    const outTs = (ts + this.tsOffset) >>> 0;
    rewriteHeader(packet, {
      payloadType: this.payloadType,
      sequenceNumber: outSeq,
      timestamp: outTs,
      ssrc: this.ssrc,
      marker: first,
    });
    // A late (reordered) packet keeps its place but does not move the slot back.
    if (first || ((outSeq - this.lastSeq) & 0xffff) < 0x8000) {
      this.lastSeq = outSeq;
      this.lastTs = outTs;
    }
    this.lastSentAt = now;
  }
}
