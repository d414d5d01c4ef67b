// One mediasoup worker per CPU core, each with a WebRtcServer on one UDP and
// one TCP port (RTC_PORT_BASE + index), so a firewall needs only a short port
// range however many sites join. A worker that dies is replaced at the same
// index and port; listeners are told so meetings can rebuild on it.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import type { Logger } from 'pino';

export interface WorkerPoolOptions {
  count: number;
  portBase: number;
  listenIp: string;
  announcedAddress: string;
  /** Ports for pipe and plain transports (between routers, tests), apart from the WebRtcServer ports. */
  transportPortRange: [min: number, max: number];
  logLevel: types.WorkerLogLevel;
  log: Logger;
  /** How often CPU use is sampled for health and placement. */
  cpuSampleMs?: number;
}

export interface PoolWorker {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Routers currently open on this worker (placement uses it as load). */
  routers: number;
  /** Share of one core used over the last sample window, 0–100+. */
  cpuPct: number;
  lastCpuMs: number;
  lastSampleAt: number;
}

export interface WorkerSummary {
  index: number;
  pid: number;
  port: number;
  cpuPct: number;
  routers: number;
  sites: number;
}

interface PoolEvents {
  /** A worker died; its routers are gone. Emitted before the replacement starts. */
  workerDied: [{ index: number; pid: number }];
  /** A new worker serves `index` again. */
  workerReplaced: [{ index: number; pid: number }];
}

export class WorkerPool extends EventEmitter<PoolEvents> {
  private readonly slots: (PoolWorker | undefined)[] = [];
  private readonly replacing = new Map<number, Promise<PoolWorker>>();
  /** Sites placed per worker index; survives a worker's replacement, as the sites keep their index. */
  private readonly sitesByIndex: number[] = [];
  private sampler?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    super();
  }

  async start(): Promise<void> {
    for (let index = 0; index < this.options.count; index++) {
      this.slots[index] = await this.spawn(index);
    }
    this.sampler = setInterval(() => void this.sampleCpu(), this.options.cpuSampleMs ?? 5000);
    this.sampler.unref();
  }

  get size(): number {
    return this.options.count;
  }

  /** The live worker at `index`, waiting for its replacement if it just died. */
  async at(index: number): Promise<PoolWorker> {
    const live = this.slots[index];
    if (live) return live;
    const pending = this.replacing.get(index);
    if (pending) return pending;
    throw new Error(`no worker at index ${index}`);
  }

  /** The worker with the fewest sites, then routers, then the lowest CPU. */
  async leastLoaded(): Promise<PoolWorker> {
    const live = this.slots.filter((s): s is PoolWorker => s !== undefined);
    if (live.length === 0) {
      const pending = [...this.replacing.values()];
      if (pending.length === 0) throw new Error('worker pool is not running');
      return Promise.race(pending);
    }
    live.sort((a, b) => this.sitesAt(a.index) - this.sitesAt(b.index) || a.routers - b.routers || a.cpuPct - b.cpuPct);
    return live[0] as PoolWorker;
  }

  /** Picks the worker for a joining site's transports and counts the site there. */
  async placeSite(): Promise<PoolWorker> {
    const worker = await this.leastLoaded();
    this.sitesByIndex[worker.index] = this.sitesAt(worker.index) + 1;
    return worker;
  }

  releaseSite(index: number): void {
    this.sitesByIndex[index] = Math.max(0, this.sitesAt(index) - 1);
  }

  private sitesAt(index: number): number {
    return this.sitesByIndex[index] ?? 0;
  }

  summaries(): WorkerSummary[] {
    return this.slots
      .filter((s): s is PoolWorker => s !== undefined)
      .map((s) => ({
        index: s.index,
        pid: s.worker.pid,
        port: this.options.portBase + s.index,
        cpuPct: Math.round(s.cpuPct * 10) / 10,
        routers: s.routers,
        sites: this.sitesAt(s.index),
      }));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sampler);
    for (const slot of this.slots) slot?.worker.close();
    this.slots.length = 0;
  }

  private async spawn(index: number): Promise<PoolWorker> {
    const { log } = this.options;
    const worker = await mediasoup.createWorker({
      logLevel: this.options.logLevel,
      rtcMinPort: this.options.transportPortRange[0],
      rtcMaxPort: this.options.transportPortRange[1],
      appData: { index },
    });
    const port = this.options.portBase + index;
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
        protocol,
        ip: this.options.listenIp,
        announcedIp: this.options.announcedAddress,
        port,
      })),
    });
    const slot: PoolWorker = {
      index,
      worker,
      webRtcServer,
      routers: 0,
      cpuPct: 0,
      lastCpuMs: 0,
      lastSampleAt: Date.now(),
    };
    worker.observer.on('newrouter', (router) => {
      slot.routers++;
      router.observer.once('close', () => slot.routers--);
    });
    worker.on('died', (error) => this.onDied(slot, error));
    log.info({ index, pid: worker.pid, port }, 'mediasoup worker started');
    return slot;
  }

  private onDied(slot: PoolWorker, error: Error): void {
    if (this.closed) return;
    const { index } = slot;
    this.options.log.error({ index, pid: slot.worker.pid, err: error.message }, 'mediasoup worker died; replacing it');
    this.slots[index] = undefined;
    const replacement = this.spawn(index);
    this.replacing.set(index, replacement);
    this.emit('workerDied', { index, pid: slot.worker.pid });
    replacement
      .then((fresh) => {
        this.replacing.delete(index);
        if (this.closed) {
          fresh.worker.close();
          return;
        }
        this.slots[index] = fresh;
        this.emit('workerReplaced', { index, pid: fresh.worker.pid });
      })
      .catch((err: Error) => {
        this.replacing.delete(index);
        this.options.log.fatal({ index, err: err.message }, 'could not replace a mediasoup worker');
      });
  }

  private async sampleCpu(): Promise<void> {
    const now = Date.now();
    await Promise.all(
      this.slots.map(async (slot) => {
        if (!slot || slot.worker.closed) return;
        try {
          const usage = await slot.worker.getResourceUsage();
          const cpuMs = usage.ru_utime + usage.ru_stime;
          const elapsed = now - slot.lastSampleAt;
          if (slot.lastCpuMs > 0 && elapsed > 0) slot.cpuPct = ((cpuMs - slot.lastCpuMs) / elapsed) * 100;
          slot.lastCpuMs = cpuMs;
          slot.lastSampleAt = now;
        } catch {
          // The worker closed between the check and the request; the next sample skips it.
        }
      }),
    );
  }
}
