// What a bot counts: packets and bytes sent, and per kind the packets received,
// their duplicates and how many the sequence numbers say were sent.

export interface ReceiveCounters {
  /** Distinct packets received (retransmitted duplicates not counted). */
  packets: number;
  /** Packets received again (NACK retransmissions of packets that had arrived). */
  duplicates: number;
  bytes: number;
  /** Packets expected from the RTP sequence numbers seen (highest - first + 1). */
  expected: number;
}

export interface BotCounters {
  sentPackets: number;
  sentBytes: number;
  /** Packets the pacer skipped because the bot process fell behind. */
  skippedPackets: number;
  audio: ReceiveCounters;
  video: ReceiveCounters;
}

export function emptyCounters(): BotCounters {
  return {
    sentPackets: 0,
    sentBytes: 0,
    skippedPackets: 0,
    audio: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
    video: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
  };
}
