// The hub as `npm start` runs it: a child process configured from the
// environment, HTTPS with a generated certificate, health with every worker,
// a clear refusal of bad configuration, and a clean stop on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/pool.ts';
import { rtcPortBlock } from '../helpers/ports.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

function startHubProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        let data = '';
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      })
      .on('error', reject);
  });
}

describe('hub process', () => {
  it('serves HTTPS with a generated certificate, reports every worker, and stops cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-proc-'));
    const ports = rtcPortBlock(3);
    const { child, output } = startHubProcess({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      MEDIASOUP_WORKERS: '2',
      RTC_PORT_BASE: String(ports.base),
      RTC_TRANSPORT_PORT_MIN: String(ports.transportMin),
      RTC_TRANSPORT_PORT_MAX: String(ports.transportMax),
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    });
    await waitFor(() => output().includes('hub listening'), 60_000, 'the hub to listen');
    const url = /"url":"([^"]+)"/.exec(output())?.[1];
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(path.join(dataDir, 'tls', 'cert.pem'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'secrets.json'))).toBe(true);

    const health = await getJson(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const workers = health.body.workers as { pid: number; port: number }[];
    expect(workers.map((w) => w.port)).toEqual([ports.base, ports.base + 1]);
    for (const w of workers) expect(isAlive(w.pid)).toBe(true);
    expect((health.body.database as { ok: boolean }).ok).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => workers.every((w) => !isAlive(w.pid)), 5000, 'the workers to exit');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    const { child, output } = startHubProcess({ PORT: 'eighty', HTTPS: 'false', HOST: '10.1.2.3' });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output()).toContain('PORT');
    expect(output()).toContain('Invalid configuration');
  });

  it('refuses plain HTTP on a non-loopback address', async () => {
    const { child, output } = startHubProcess({ HTTPS: 'false', HOST: '0.0.0.0' });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output()).toContain('HTTPS=false is only allowed');
  });
});
