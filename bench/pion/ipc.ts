// Messages between PionFleet (the harness) and its driver processes
// (pionProcess.ts, each running one Go engine), over child_process IPC.
import type { ConsoleRun } from './ChairConsole.ts';
import type { BotCounters, PionBotConfig, PionBotResult } from './types.ts';

export type ToDriver =
  /** Start these bots, one every `joinIntervalMs` (0: all at once). */
  | { type: 'start'; bots: PionBotConfig[]; joinIntervalMs: number }
  /** Set bots' audio level: loud (speaking) or quiet. */
  | { type: 'speaking'; labels: string[]; speaking: boolean }
  /** Run the chair bots' console with these intervals, or stop it (null). */
  | { type: 'console'; run: ConsoleRun | null }
  /** Report cumulative counters now (for a measurement window). */
  | { type: 'snapshot'; seq: number }
  /** Close every bot and report each one's result. */
  | { type: 'finish' };

export interface DriverSnapshot {
  counters: BotCounters;
  /** CPU time so far, microseconds (user + system): the Node driver, and the Go engine. */
  driverCpuMicros: number;
  engineCpuMicros: number;
  at: number;
  /** Event-loop delay p99 of the driver since the previous snapshot, ms. */
  loopDelayP99Ms: number;
  bots: number;
  /** Packets per second the bots of this process are sending by now (streams and layers they were told to send). */
  targetSendPps: number;
  goroutines: number;
  /** Engine: packets of SSRCs no receiver was opened for, and packets failing SRTP authentication. */
  unknownPackets: number;
  decryptErrors: number;
  /** Events the hub sent these bots so far, by name. */
  messages: Record<string, number>;
  /** Per bot: packets received so far, and the consumers (receive streams) it holds now. */
  received: {
    label: string;
    audio: number;
    video: number;
    sentVideoBytes: number;
    mediaResets: number;
    receiveStreams: number;
  }[];
}

export interface BotProgress {
  started: number;
  joined: number;
  failed: number;
  /** Bots that received at least one media packet. */
  receiving: number;
  transportRetries: number;
}

export type FromDriver =
  | { type: 'ready'; driverPid: number; enginePid: number }
  | ({ type: 'progress' } & BotProgress)
  | ({ type: 'snapshot'; seq: number } & DriverSnapshot)
  | { type: 'results'; results: PionBotResult[] }
  | { type: 'fatal'; message: string };
