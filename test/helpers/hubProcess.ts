// A hub as its own process, started the way `npm start` starts it (node
// --import tsx hub/main.ts with its settings in the environment), optionally
// inside a network namespace: a test can kill it for real (SIGKILL).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './browser.ts';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => fs.existsSync(p)) ?? 'ip';

export interface HubProcess {
  /** The URL the hub logged once listening. */
  url: string;
  child: ChildProcess;
  /** Everything the hub logged so far. */
  output(): string;
  /** A crash: no chance to say goodbye to anyone. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** A clean stop (SIGTERM), then its data folder is removed. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a hub with `env` over its defaults; `netns`: the namespace it runs in (`ip netns exec`, no fork). */
export async function startHubProcess(env: Record<string, string>, netns?: string): Promise<HubProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-hubproc-'));
  const node = [process.execPath, '--import', 'tsx', 'hub/main.ts'];
  const [cmd, ...args] = netns ? [IP, 'netns', 'exec', netns, ...node] : node;
  const child = spawn(cmd as string, args, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const deadline = Date.now() + 90_000;
  while (!output.includes('hub listening')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`hub ${env.HUB_ID ?? ''} did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /"url":"([^"]+)"/.exec(output)?.[1];
  if (!url) throw new Error(`no url in the hub log:\n${output}`);
  const removeData = () => fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    url,
    child,
    output: () => output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
      removeData();
    },
  };
}
