// Messages between the load harness and its bot processes (child_process IPC).
import type { BotResult } from './Bot.ts';
import type { BotConfig } from './BotConfig.ts';
import type { BotCounters } from './counters.ts';

export type ToBots =
  /** Start these bots, one every `joinIntervalMs` (0: all at once). */
  | { type: 'start'; bots: BotConfig[]; joinIntervalMs: number }
  /** Report cumulative counters now (for a measurement window). */
  | { type: 'snapshot'; seq: number }
  /** The bot `label` (if this process runs it) drops `ratio` of what it sends, on purpose. */
  | { type: 'sendLoss'; label: string; ratio: number }
  /** Close every bot and report each one's result. */
  | { type: 'finish' };

export interface BotSnapshot {
  counters: BotCounters;
  /** Process CPU time so far, microseconds (user + system). */
  cpuMicros: number;
  at: number;
  /** Event-loop delay p99 since the previous snapshot, ms. */
  loopDelayP99Ms: number;
  bots: number;
  /** Packets per second the bots of this process should send when all joined. */
  targetSendPps: number;
  /** Per bot: packets received so far (for recovery checks: has every site media again?). */
  received: { label: string; audio: number; video: number; mediaResets: number }[];
}

export interface BotProgress {
  started: number;
  joined: number;
  failed: number;
  /** Bots that received at least one media packet. */
  receiving: number;
  transportRetries: number;
}

export type FromBots =
  | { type: 'ready'; pid: number }
  | ({ type: 'progress' } & BotProgress)
  | ({ type: 'snapshot'; seq: number } & BotSnapshot)
  | { type: 'results'; results: BotResult[] }
  | { type: 'fatal'; message: string };
