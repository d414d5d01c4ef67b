// Debian's haproxy as a test's load balancer in front of several HTTPS hubs,
// the way a deployment puts one before them (docs/scaling.md): it holds the
// deployment's certificate (here a throwaway self-signed one), speaks HTTPS to
// the hubs again, checks /api/health, and sends a connection that fails on a
// dead hub to another. Sockets (websocket upgrades) and the other requests go
// to separate backends of the same hubs, so sockets spread with `leastconn`.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const HAPROXY = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find((p) => fs.existsSync(p)) ?? null;

/** Why haproxy cannot run here, or null. */
export function haproxyMissing(): string | null {
  if (!HAPROXY) return 'haproxy is not installed (Debian package haproxy; scripts/bootstrap.mjs installs it)';
  const probe = spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `haproxy does not run: ${probe.stderr.trim()}`;
}

export interface Backend {
  name: string;
  host: string;
  port: number;
}

export interface TestHaproxy {
  /** https://127.0.0.1:<port>: what sites open (self-signed). */
  url: string;
  stop(): Promise<void>;
}

function config(port: number, hubs: Backend[], certificate: string): string {
  const servers = hubs
    .map((h) => `    server ${h.name} ${h.host}:${h.port} ssl verify none check inter 500 fall 2 rise 2`)
    .join('\n');
  return `global
    maxconn 2000

defaults
    mode http
    # A connection refused by a dead hub goes to another hub on its first retry, not its last.
    option redispatch 1
    retries 3
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    # A signaling socket lives as long as the meeting.
    timeout tunnel 1h
    option httpchk GET /api/health
    http-check expect status 200

frontend sites
    bind 127.0.0.1:${port} ssl crt ${certificate}
    use_backend sockets if { hdr(upgrade) -i websocket }
    default_backend pages

backend pages
    balance roundrobin
${servers}

backend sockets
    balance leastconn
${servers}
`;
}

/** A key and self-signed certificate for 127.0.0.1 in one PEM file, as haproxy's `crt` wants. */
function selfSigned(dir: string): string {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const pem = path.join(dir, 'balancer.pem');
  fs.writeFileSync(pem, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'));
  return pem;
}

async function listening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`haproxy did not listen within 10 s:\n${output()}`);
}

export async function startHaproxy(port: number, hubs: Backend[]): Promise<TestHaproxy> {
  if (!HAPROXY) throw new Error(haproxyMissing() ?? 'no haproxy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-haproxy-'));
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config(port, hubs, selfSigned(dir)));
  // -db: in the foreground, logging to stderr; stopped with the test.
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  await listening(port, child, () => output);
  return {
    url: `https://127.0.0.1:${port}`,
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
