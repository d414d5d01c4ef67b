// The harness side of the Pion bots (bench/load.ts, test/load/pionBots.test.ts):
// builds the Go engine if needed, forks K driver processes (each a Node
// signaling process plus its Go engine), deals the bots out to them, follows
// their progress and collects counters and results; `pids` lists drivers and
// engines, whose CPU together is the bots'.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pionEngineBinary } from './build.ts';
import type { ConsoleRun } from './ChairConsole.ts';
import type { BotProgress, DriverSnapshot, FromDriver, ToDriver } from './ipc.ts';
import { addCounters, addMessages, emptyCounters, type PionBotConfig, type PionBotResult } from './types.ts';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pionProcess.ts');

interface Driver {
  process: ChildProcess;
  driverPid: number;
  enginePid: number;
  labels: Set<string>;
  progress: BotProgress;
  waiting: Map<number, (s: DriverSnapshot) => void>;
  results?: (r: PionBotResult[]) => void;
  fatal?: string;
}

export interface PionFleetSnapshot
  extends Omit<DriverSnapshot, 'loopDelayP99Ms' | 'driverCpuMicros' | 'engineCpuMicros'> {
  /** Driver + engine CPU time of all processes, microseconds. */
  cpuMicros: number;
  /** Per driver process: its Node CPU and its engine's, microseconds. */
  driverCpuMicrosByProcess: number[];
  engineCpuMicrosByProcess: number[];
  loopDelayP99MsByProcess: number[];
}

export class PionFleet {
  private readonly drivers: Driver[] = [];
  private seq = 0;

  private constructor() {}

  /**
   * Builds the engine (cached) and starts `count` driver processes. Throws
   * PionUnavailable (./build.ts) when Go or Pion cannot be installed here.
   */
  static async spawn(count: number, env: NodeJS.ProcessEnv = {}): Promise<PionFleet> {
    const binary = pionEngineBinary();
    const fleet = new PionFleet();
    try {
      await Promise.all(Array.from({ length: count }, () => fleet.fork({ ...env, PION_ENGINE_BINARY: binary })));
    } catch (err) {
      fleet.kill();
      throw err;
    }
    return fleet;
  }

  private fork(env: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = fork(DRIVER, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const entry: Driver = {
        process: child,
        driverPid: child.pid ?? 0,
        enginePid: 0,
        labels: new Set(),
        progress: { started: 0, joined: 0, failed: 0, receiving: 0, transportRetries: 0 },
        waiting: new Map(),
      };
      child.on('message', (message: FromDriver) => {
        switch (message.type) {
          case 'ready':
            entry.enginePid = message.enginePid;
            this.drivers.push(entry);
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
            console.error(`[pion driver ${entry.driverPid}] fatal: ${message.message}`);
            break;
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (!this.drivers.includes(entry)) reject(new Error(`Pion driver exited with ${code} before it was ready`));
      });
    });
  }

  /** Every bot-side process: the Node drivers and their Go engines. */
  get pids(): number[] {
    return this.drivers.flatMap((d) => [d.driverPid, d.enginePid]);
  }

  get driverPids(): number[] {
    return this.drivers.map((d) => d.driverPid);
  }

  get enginePids(): number[] {
    return this.drivers.map((d) => d.enginePid);
  }

  private post(driver: Driver, message: ToDriver): void {
    if (driver.process.connected) driver.process.send(message);
  }

  /** Deals `bots` round-robin over the drivers and starts them; the whole fleet joins at `joinsPerSec` (0: at once). */
  start(bots: PionBotConfig[], joinsPerSec: number): void {
    const shares: PionBotConfig[][] = this.drivers.map(() => []);
    for (const [i, bot] of bots.entries()) shares[i % shares.length]?.push(bot);
    const interval = joinsPerSec > 0 ? (1000 * this.drivers.length) / joinsPerSec : 0;
    this.drivers.forEach((driver, i) => {
      const share = shares[i] ?? [];
      for (const bot of share) driver.labels.add(bot.label);
      if (share.length > 0) this.post(driver, { type: 'start', bots: share, joinIntervalMs: interval });
    });
  }

  /** Loud (speaking) or quiet audio level for these bots from now on. */
  setSpeaking(labels: string[], speaking: boolean): void {
    for (const driver of this.drivers) {
      const mine = labels.filter((l) => driver.labels.has(l));
      if (mine.length > 0) this.post(driver, { type: 'speaking', labels: mine, speaking });
    }
  }

  /** Runs the chair bots' console (mosaic pages, stage moves) with these intervals, or stops it (null). */
  runConsole(run: ConsoleRun | null): void {
    for (const driver of this.drivers) this.post(driver, { type: 'console', run });
  }

  progress(): BotProgress {
    const total: BotProgress = { started: 0, joined: 0, failed: 0, receiving: 0, transportRetries: 0 };
    for (const { progress: p } of this.drivers) {
      total.started += p.started;
      total.joined += p.joined;
      total.failed += p.failed;
      total.receiving += p.receiving;
      total.transportRetries += p.transportRetries;
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
      const fatal = this.drivers.find((d) => d.fatal);
      if (fatal) throw new Error(`Pion driver ${fatal.driverPid} failed: ${fatal.fatal}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async snapshot(): Promise<PionFleetSnapshot> {
    const seq = ++this.seq;
    const parts = await Promise.all(
      this.drivers.map(
        (driver) =>
          new Promise<DriverSnapshot>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`Pion driver ${driver.driverPid} did not answer a snapshot`)),
              15_000,
            );
            driver.waiting.set(seq, (s) => {
              clearTimeout(timer);
              resolve(s);
            });
            this.post(driver, { type: 'snapshot', seq });
          }),
      ),
    );
    const sum = (f: (p: DriverSnapshot) => number) => parts.reduce((s, p) => s + f(p), 0);
    return {
      counters: parts.reduce((c, p) => addCounters(c, p.counters), emptyCounters()),
      cpuMicros: sum((p) => p.driverCpuMicros + p.engineCpuMicros),
      driverCpuMicrosByProcess: parts.map((p) => p.driverCpuMicros),
      engineCpuMicrosByProcess: parts.map((p) => p.engineCpuMicros),
      loopDelayP99MsByProcess: parts.map((p) => p.loopDelayP99Ms),
      at: Math.max(...parts.map((p) => p.at)),
      bots: sum((p) => p.bots),
      targetSendPps: sum((p) => p.targetSendPps),
      goroutines: sum((p) => p.goroutines),
      messages: addMessages(parts.map((p) => p.messages)),
      unknownPackets: sum((p) => p.unknownPackets),
      decryptErrors: sum((p) => p.decryptErrors),
      received: parts.flatMap((p) => p.received),
    };
  }

  /** Closes every bot, collects the results and ends the processes. */
  async finish(): Promise<PionBotResult[]> {
    const all = await Promise.all(
      this.drivers.map(
        (driver) =>
          new Promise<PionBotResult[]>((resolve) => {
            const timer = setTimeout(() => resolve([]), 20_000);
            driver.results = (r) => {
              clearTimeout(timer);
              resolve(r);
            };
            if (driver.process.connected) this.post(driver, { type: 'finish' });
            else resolve([]);
          }),
      ),
    );
    await Promise.all(this.drivers.map((d) => waitExit(d.process, 5000)));
    return all.flat();
  }

  /** Ends every driver and engine now (their results are lost). */
  kill(): void {
    for (const d of this.drivers) {
      if (d.process.exitCode === null) d.process.kill('SIGKILL');
      if (d.enginePid) {
        try {
          process.kill(d.enginePid, 'SIGKILL');
        } catch {
          // Already gone with its driver.
        }
      }
    }
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
