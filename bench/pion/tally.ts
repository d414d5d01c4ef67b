// Which engine streams and receivers belong to one bot (every transport it
// ever had: the engine keeps a closed transport's counts), and the bot's
// counters summed from an engine stats answer.
import type { EngineStats } from './engine.ts';
import { type BotCounters, emptyCounters, type PionBotResult } from './types.ts';

export interface ReceiverInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  transportId: string;
}

export class Tally {
  readonly streamIds: string[] = [];
  /** By consumer id (the engine's receiver id). */
  readonly receivers = new Map<string, ReceiverInfo>();

  /** Whether `transportId` already has a receiver for this producer. */
  consumes(transportId: string, producerId: string): boolean {
    for (const r of this.receivers.values()) {
      if (r.transportId === transportId && r.producerId === producerId) return true;
    }
    return false;
  }

  counters(stats: EngineStats): BotCounters {
    const c = emptyCounters();
    for (const id of this.streamIds) {
      const [sent = 0, bytes = 0, skipped = 0] = stats.streams[id] ?? [];
      c.sentPackets += sent;
      c.sentBytes += bytes;
      if (id.includes(':camera:')) c.sentVideoBytes += bytes;
      c.skippedPackets += skipped;
    }
    for (const [id, r] of this.receivers) {
      const [packets = 0, bytes = 0, expected = 0, duplicates = 0] = stats.receivers[id] ?? [];
      const k = c[r.kind];
      k.packets += packets;
      k.bytes += bytes;
      k.expected += expected;
      k.duplicates += duplicates;
    }
    return c;
  }

  /** Writes the final counters, key-frame requests and packets per producing site into `result`. */
  finalise(stats: EngineStats, result: PionBotResult): void {
    result.counters = this.counters(stats);
    result.keyFrameRequests = this.streamIds.reduce((sum, id) => sum + (stats.streams[id]?.[3] ?? 0), 0);
    const from: PionBotResult['receivedFrom'] = {};
    for (const [id, r] of this.receivers) {
      const entry = from[r.peerId] ?? { audio: 0, video: 0 };
      entry[r.kind] += stats.receivers[id]?.[0] ?? 0;
      from[r.peerId] = entry;
    }
    result.receivedFrom = from;
  }
}
