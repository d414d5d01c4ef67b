import type { ReceiveCounters } from './counters.ts';

/**
 * The packets of one consumed stream: distinct ones, duplicates (NACK
 * retransmissions of packets that had arrived), bytes, and the extended
 * sequence-number range seen, from which loss is counted.
 */
export class ReceivedStream {
  private packets = 0;
  private duplicates = 0;
  private bytes = 0;
  private firstSeq = -1;
  private highestSeq = -1;
  /** Which 16-bit sequence numbers arrived (the half ahead is cleared as we go). */
  private readonly seen = new Uint8Array(0x10000);

  /** Counts one RTP packet; true when it is the stream's first. */
  receive(seq: number, bytes: number): boolean {
    if (this.seen[seq]) {
      this.duplicates++;
      return false;
    }
    this.seen[seq] = 1;
    this.seen[(seq + 0x8000) & 0xffff] = 0;
    this.packets++;
    this.bytes += bytes;
    if (this.firstSeq < 0) {
      this.firstSeq = seq;
      this.highestSeq = seq;
      return true;
    }
    // Extended sequence number: unwrap the 16-bit counter.
    const last = this.highestSeq & 0xffff;
    let delta = seq - last;
    if (delta < -0x8000) delta += 0x10000;
    else if (delta > 0x8000) delta -= 0x10000;
    if (delta > 0) this.highestSeq += delta;
    return false;
  }

  addTo(into: ReceiveCounters): void {
    into.packets += this.packets;
    into.duplicates += this.duplicates;
    into.bytes += this.bytes;
    if (this.firstSeq >= 0) into.expected += this.highestSeq - this.firstSeq + 1;
  }
}
