// What a bot counts: packets and bytes sent, and per kind the packets received,
// their duplicates and how many the sequence numbers say were sent. Bots,
// bot processes and the fleet add them up; a measurement window subtracts.

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

export function addCounters(a: BotCounters, b: BotCounters): BotCounters {
  return {
    sentPackets: a.sentPackets + b.sentPackets,
    sentBytes: a.sentBytes + b.sentBytes,
    skippedPackets: a.skippedPackets + b.skippedPackets,
    audio: {
      packets: a.audio.packets + b.audio.packets,
      duplicates: a.audio.duplicates + b.audio.duplicates,
      bytes: a.audio.bytes + b.audio.bytes,
      expected: a.audio.expected + b.audio.expected,
    },
    video: {
      packets: a.video.packets + b.video.packets,
      duplicates: a.video.duplicates + b.video.duplicates,
      bytes: a.video.bytes + b.video.bytes,
      expected: a.video.expected + b.video.expected,
    },
  };
}

export function subCounters(a: BotCounters, b: BotCounters): BotCounters {
  const neg = (c: BotCounters): BotCounters => ({
    sentPackets: -c.sentPackets,
    sentBytes: -c.sentBytes,
    skippedPackets: -c.skippedPackets,
    audio: {
      packets: -c.audio.packets,
      duplicates: -c.audio.duplicates,
      bytes: -c.audio.bytes,
      expected: -c.audio.expected,
    },
    video: {
      packets: -c.video.packets,
      duplicates: -c.video.duplicates,
      bytes: -c.video.bytes,
      expected: -c.video.expected,
    },
  });
  return addCounters(a, neg(b));
}
