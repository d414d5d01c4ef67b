// Prometheus metrics for /metrics: worker CPU and memory, meetings, sites,
// producers, consumers, join latency and the consumer score distribution.
// Gauges are read from the live objects at scrape time, so they never drift.
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MeetingRegistry } from './MeetingRegistry.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface SfuMetrics {
  registry: Registry;
  /** Seconds from a join request to its ack. */
  joinSeconds: Histogram;
}

function countMedia(meetings: MeetingRegistry) {
  let sites = 0;
  let producers = 0;
  let consumers = 0;
  const scores: number[] = [];
  for (const meeting of meetings.all()) {
    for (const site of meeting.sites.values()) {
      sites++;
      producers += site.producers.size;
      consumers += site.consumers.size;
      for (const consumer of site.consumers.values()) scores.push(consumer.score.score);
    }
  }
  return { sites, producers, consumers, scores };
}

export function createSfuMetrics(pool: WorkerPool, meetings: MeetingRegistry): SfuMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'diemcau_hub_' });

  new Gauge({
    name: 'diemcau_worker_cpu_percent',
    help: 'CPU used by each mediasoup worker over the last sample window (100 = one core)',
    labelNames: ['worker'],
    registers: [registry],
    collect() {
      this.reset();
      for (const w of pool.summaries()) this.set({ worker: String(w.index) }, w.cpuPct);
    },
  });
  new Gauge({
    name: 'diemcau_worker_memory_bytes',
    help: 'Peak resident memory of each mediasoup worker',
    labelNames: ['worker'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        pool.summaries().map(async (w) => {
          const usage = await (await pool.at(w.index)).worker.getResourceUsage().catch(() => undefined);
          if (usage) this.set({ worker: String(w.index) }, usage.ru_maxrss * 1024);
        }),
      );
    },
  });
  new Gauge({
    name: 'diemcau_worker_sites',
    help: 'Sites whose transports live on each worker',
    labelNames: ['worker'],
    registers: [registry],
    collect() {
      this.reset();
      for (const w of pool.summaries()) this.set({ worker: String(w.index) }, w.sites);
    },
  });
  new Gauge({
    name: 'diemcau_meetings',
    help: 'Live meetings on this hub',
    registers: [registry],
    collect() {
      this.set(meetings.size);
    },
  });
  const media = (name: string, help: string, pick: (c: ReturnType<typeof countMedia>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(countMedia(meetings)));
      },
    });
  media('diemcau_sites', 'Connected sites across all meetings', (c) => c.sites);
  media('diemcau_producers', 'Producers (sent streams) across all meetings', (c) => c.producers);
  media('diemcau_consumers', 'Consumers (received streams) across all meetings', (c) => c.consumers);

  new Gauge({
    name: 'diemcau_consumer_score',
    help: 'Consumers by current score (0 = unusable, 10 = perfect)',
    labelNames: ['score'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<number, number>();
      for (const score of countMedia(meetings).scores) counts.set(score, (counts.get(score) ?? 0) + 1);
      for (const [score, n] of counts) this.set({ score: String(score) }, n);
    },
  });

  const joinSeconds = new Histogram({
    name: 'diemcau_join_seconds',
    help: 'Time from a join request to its acknowledgement',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return { registry, joinSeconds };
}
