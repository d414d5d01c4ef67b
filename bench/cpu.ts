// CPU accounting from /proc: per process (utime + stime of /proc/<pid>/stat,
// which for a mediasoup worker is exactly the worker's own C++ thread time)
// and per core (/proc/stat), sampled every second to spot a saturated core.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds used so far by `pid` (user + system), or null when it is gone. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces: "pid (comm) state ppid ..."
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticksPerSecond();
  } catch {
    return null;
  }
}

interface CoreTimes {
  busy: number;
  total: number;
  /** irq + softirq: kernel packet processing, mostly not charged to any process. */
  irq: number;
  /** Time the hypervisor gave to other guests. */
  steal: number;
}

function coreTimes(): CoreTimes[] {
  const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const cores: CoreTimes[] = [];
  for (const line of lines) {
    if (!/^cpu\d+ /.test(line)) continue;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    cores.push({ busy: total - idle, total, irq: (v[5] ?? 0) + (v[6] ?? 0), steal: v[7] ?? 0 });
  }
  return cores;
}

export interface CpuReport {
  seconds: number;
  /** pid → % of one core over the window. */
  byPid: Map<number, number>;
  /** Each core's busy % over the window (anything but idle and iowait). */
  coreBusyPct: number[];
  /** Sum over cores of irq + softirq time, % of one core. */
  irqPct: number;
  /** Sum over cores of steal time, % of one core. */
  stealPct: number;
  /** Highest one-second busy % any core reached. */
  corePeakPct: number;
  /** Seconds (of one-second samples) in which some core was above 90 %. */
  secondsAnyCoreAbove90: number;
}

/** Measures the CPU of `pids` and of every core between start() and stop(). */
export class CpuWindow {
  private startAt = 0;
  private readonly startCpu = new Map<number, number>();
  private startCores: CoreTimes[] = [];
  private lastCores: CoreTimes[] = [];
  private peak = 0;
  private hot = 0;
  private timer?: NodeJS.Timeout;
  /** Latest one-second busy % per core, for progress lines. */
  current: number[] = [];

  constructor(private readonly pids: number[]) {}

  start(): void {
    this.startAt = performance.now();
    for (const pid of this.pids) this.startCpu.set(pid, processCpuSeconds(pid) ?? 0);
    this.startCores = coreTimes();
    this.lastCores = this.startCores;
    this.timer = setInterval(() => this.sample(), 1000);
  }

  private sample(): void {
    const now = coreTimes();
    this.current = now.map((c, i) => {
      const prev = this.lastCores[i] ?? c;
      const total = c.total - prev.total;
      return total > 0 ? (100 * (c.busy - prev.busy)) / total : 0;
    });
    this.lastCores = now;
    const max = Math.max(0, ...this.current);
    this.peak = Math.max(this.peak, max);
    if (max > 90) this.hot++;
  }

  stop(): CpuReport {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startAt) / 1000;
    const byPid = new Map<number, number>();
    for (const pid of this.pids) {
      const end = processCpuSeconds(pid);
      byPid.set(pid, end === null ? Number.NaN : (100 * (end - (this.startCpu.get(pid) ?? 0))) / seconds);
    }
    const end = coreTimes();
    const coreBusyPct = end.map((c, i) => {
      const s = this.startCores[i] ?? c;
      const total = c.total - s.total;
      return total > 0 ? (100 * (c.busy - s.busy)) / total : 0;
    });
    let irq = 0;
    let steal = 0;
    let total = 0;
    end.forEach((c, i) => {
      const s = this.startCores[i] ?? c;
      irq += c.irq - s.irq;
      steal += c.steal - s.steal;
      total += c.total - s.total;
    });
    const perCore = total / Math.max(1, end.length);
    return {
      seconds,
      byPid,
      coreBusyPct,
      irqPct: perCore > 0 ? (100 * irq) / perCore : 0,
      stealPct: perCore > 0 ? (100 * steal) / perCore : 0,
      corePeakPct: this.peak,
      secondsAnyCoreAbove90: this.hot,
    };
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/**
 * Waits (up to `maxWaitSec`) until the machine is quiet: every core below
 * `thresholdPct` busy over `windowSec` consecutive seconds. Returns the last
 * window's busy % per core, so a run on a busy machine says so.
 */
export async function waitForQuiet(
  maxWaitSec: number,
  thresholdPct = 25,
  windowSec = 5,
): Promise<{ quiet: boolean; busyPct: number[]; waitedSec: number }> {
  const started = performance.now();
  let from = coreTimes();
  let busyPct: number[] = [];
  for (;;) {
    await new Promise((r) => setTimeout(r, windowSec * 1000));
    const to = coreTimes();
    busyPct = to.map((c, i) => {
      const s = from[i] ?? c;
      const total = c.total - s.total;
      return total > 0 ? Math.round((1000 * (c.busy - s.busy)) / total) / 10 : 0;
    });
    from = to;
    const waitedSec = Math.round((performance.now() - started) / 1000);
    if (busyPct.every((b) => b < thresholdPct)) return { quiet: true, busyPct, waitedSec };
    if (waitedSec >= maxWaitSec) return { quiet: false, busyPct, waitedSec };
  }
}
