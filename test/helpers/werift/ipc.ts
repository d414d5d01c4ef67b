// Messages between BotFleet (in a test) and its bot processes (child_process IPC).
import type { BotResult } from './Bot.ts';
import type { BotConfig } from './BotConfig.ts';

export type ToBots =
  /** Start these bots, one every `joinIntervalMs` (0: all at once). */
  | { type: 'start'; bots: BotConfig[]; joinIntervalMs: number }
  /** Report what each bot received so far. */
  | { type: 'snapshot'; seq: number }
  /** The bot `label` (if this process runs it) drops `ratio` of what it sends, on purpose. */
  | { type: 'sendLoss'; label: string; ratio: number }
  /** Close every bot and report each one's result. */
  | { type: 'finish' };

export interface BotSnapshot {
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
