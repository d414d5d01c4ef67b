import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import { isAlive, newTestPool } from '../helpers/pool.ts';
import { rtcPortBlock } from '../helpers/ports.ts';

let pool: WorkerPool | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('starts one worker per slot, each on its own WebRtcServer port', async () => {
    pool = newTestPool(3);
    await pool.start();
    const workers = pool.summaries();
    expect(workers).toHaveLength(3);
    expect(new Set(workers.map((w) => w.pid)).size).toBe(3);
    expect(workers.map((w) => w.port)).toEqual([0, 1, 2].map((i) => rtcPortBlock(0).base + i));
    for (const w of workers) expect(isAlive(w.pid)).toBe(true);
  });

  it('replaces a worker killed with SIGKILL at the same index and port', async () => {
    pool = newTestPool(2);
    await pool.start();
    const before = pool.summaries();
    const victim = before[1];
    if (!victim) throw new Error('pool has no second worker');
    const died = once(pool, 'workerDied');
    const replaced = once(pool, 'workerReplaced');
    process.kill(victim.pid, 'SIGKILL');
    const [diedEvent] = await died;
    expect(diedEvent).toEqual({ index: 1, pid: victim.pid });
    const [replacedEvent] = (await replaced) as [{ index: number; pid: number }];
    expect(replacedEvent.index).toBe(1);
    expect(replacedEvent.pid).not.toBe(victim.pid);

    const after = pool.summaries();
    expect(after).toHaveLength(2);
    expect(after[1]?.pid).toBe(replacedEvent.pid);
    expect(after[1]?.port).toBe(victim.port);
    expect(after[0]?.pid).toBe(before[0]?.pid);
    // The replacement is a working worker: it can host a router.
    const fresh = await pool.at(1);
    const router = await fresh.worker.createRouter({ mediaCodecs: [] });
    expect(fresh.routers).toBe(1);
    router.close();
  });

  it('places new routers on the least-loaded worker', async () => {
    pool = newTestPool(2);
    await pool.start();
    const first = await pool.leastLoaded();
    await first.worker.createRouter({ mediaCodecs: [] });
    const second = await pool.leastLoaded();
    expect(second.index).not.toBe(first.index);
  });
});
