// Parent side of the bot processes: forks K children, deals the bots out to
// them, follows their progress and collects counters and results.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotResult } from './Bot.ts';
import type { BotConfig } from './BotConfig.ts';
import type { BotProgress, BotSnapshot, FromBots, ToBots } from './ipc.ts';

const BOT_PROCESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'botProcess.ts');

interface Child {
  process: ChildProcess;
  pid: number;
  progress: BotProgress;
  waiting: Map<number, (s: BotSnapshot) => void>;
  results?: (r: BotResult[]) => void;
  fatal?: string;
}

export type FleetSnapshot = BotSnapshot;

export class BotFleet {
  private readonly children: Child[] = [];
  private seq = 0;

  private constructor() {}

  /** Forks `count` bot processes and waits until each is ready. */
  static async spawn(count: number, env: NodeJS.ProcessEnv = {}): Promise<BotFleet> {
    const fleet = new BotFleet();
    await Promise.all(Array.from({ length: count }, () => fleet.fork(env)));
    return fleet;
  }

  private fork(env: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = fork(BOT_PROCESS, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const entry: Child = {
        process: child,
        pid: child.pid ?? 0,
        progress: { started: 0, joined: 0, failed: 0, receiving: 0, transportRetries: 0 },
        waiting: new Map(),
      };
      child.on('message', (message: FromBots) => {
        switch (message.type) {
          case 'ready':
            this.children.push(entry);
            resolve();
            break;
          case 'progress': {
            const { type: _, ...progress } = message;
            entry.progress = progress;
            break;
          }
          case 'snapshot': {
            const { type: _, seq, ...snapshot } = message;
            entry.waiting.get(seq)?.(snapshot);
            entry.waiting.delete(seq);
            break;
          }
          case 'results':
            entry.results?.(message.results);
            break;
          case 'fatal':
            entry.fatal = message.message;
            console.error(`[bots ${entry.pid}] fatal: ${message.message}`);
            break;
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (!this.children.includes(entry)) reject(new Error(`bot process exited with ${code} before it was ready`));
      });
    });
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid);
  }

  private post(child: Child, message: ToBots): void {
    child.process.send(message);
  }

  /** Makes the bot `label` lossy: it drops `ratio` of the packets it sends (0: well again). */
  setSendLoss(label: string, ratio: number): void {
    for (const child of this.children) this.post(child, { type: 'sendLoss', label, ratio });
  }

  /**
   * Deals `bots` round-robin over the processes and starts them; the whole
   * fleet joins at `joinsPerSec` (0: as fast as they can).
   */
  start(bots: BotConfig[], joinsPerSec: number): void {
    const shares: BotConfig[][] = this.children.map(() => []);
    for (const [i, bot] of bots.entries()) shares[i % shares.length]?.push(bot);
    const interval = joinsPerSec > 0 ? (1000 * this.children.length) / joinsPerSec : 0;
    this.children.forEach((child, i) => {
      const share = shares[i] ?? [];
      if (share.length > 0) this.post(child, { type: 'start', bots: share, joinIntervalMs: interval });
    });
  }

  progress(): BotProgress {
    const total: BotProgress = { started: 0, joined: 0, failed: 0, receiving: 0, transportRetries: 0 };
    for (const c of this.children) {
      total.started += c.progress.started;
      total.joined += c.progress.joined;
      total.failed += c.progress.failed;
      total.receiving += c.progress.receiving;
      total.transportRetries += c.progress.transportRetries;
    }
    return total;
  }

  /** Waits until `count` bots have joined or failed, or `timeoutMs` passed; calls `onTick` every second. */
  async settled(count: number, timeoutMs: number, onTick?: (p: BotProgress) => void): Promise<BotProgress> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.progress();
      onTick?.(p);
      if (p.joined + p.failed >= count || Date.now() >= deadline) return p;
      const fatal = this.children.find((c) => c.fatal);
      if (fatal) throw new Error(`bot process ${fatal.pid} failed: ${fatal.fatal}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async snapshot(): Promise<FleetSnapshot> {
    const seq = ++this.seq;
    const parts = await Promise.all(
      this.children.map(
        (child) =>
          new Promise<BotSnapshot>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`bot process ${child.pid} did not answer a snapshot`)),
              15_000,
            );
            child.waiting.set(seq, (s) => {
              clearTimeout(timer);
              resolve(s);
            });
            this.post(child, { type: 'snapshot', seq });
          }),
      ),
    );
    return { received: parts.flatMap((p) => p.received) };
  }

  /** Closes every bot, collects the results and ends the processes. */
  async finish(): Promise<BotResult[]> {
    const all = await Promise.all(
      this.children.map(
        (child) =>
          new Promise<BotResult[]>((resolve) => {
            const timer = setTimeout(() => resolve([]), 20_000);
            child.results = (r) => {
              clearTimeout(timer);
              resolve(r);
            };
            if (child.process.connected) this.post(child, { type: 'finish' });
            else resolve([]);
          }),
      ),
    );
    await Promise.all(this.children.map((c) => waitExit(c.process, 5000)));
    return all.flat();
  }

  kill(): void {
    for (const c of this.children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  }
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
