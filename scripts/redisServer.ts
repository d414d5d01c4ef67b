// A throwaway redis-server (Debian's redis-server) for one test file or one
// benchmark run (the cluster tests, bench/twoHubs.ts): on the port given, in a
// folder of its own, nothing saved to disk, stopped at the end. Listens on every
// address so hubs in network namespaces reach it through their veth link.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

const SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p)) ?? null;

/** Why redis-server cannot start here, or null. */
export function redisMissing(): string | null {
  if (!SERVER) return 'redis-server is not installed (Debian package redis-server; scripts/bootstrap.mjs installs it)';
  const probe = spawnSync(SERVER, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `redis-server does not run: ${probe.stderr.trim()}`;
}

export interface RedisServer {
  /** redis://<host>:<port> as seen from this host; hubs in namespaces use their link's address instead. */
  url(host?: string): string;
  port: number;
  stop(): Promise<void>;
}

async function ready(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      const pid = /process_id:(\d+)/.exec(await probe.info('server'))?.[1];
      // Another redis-server on this port (one a crashed run left) must not stand in for ours.
      if (pid && Number(pid) !== child.pid)
        throw new Error(`port ${port} is taken by another redis-server (pid ${pid})`);
      if (pid) return;
    } catch (err) {
      if ((err as Error).message.startsWith(`port ${port} is taken`)) throw err;
      // not listening yet
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not answer within 10 s');
}

export async function startRedis(port: number): Promise<RedisServer> {
  if (!SERVER) throw new Error(redisMissing() ?? 'no redis-server');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-redis-'));
  const child = spawn(
    SERVER,
    ['--port', String(port), '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: 'ignore' },
  );
  await ready(port, child);
  return {
    port,
    url: (host = '127.0.0.1') => `redis://${host}:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
