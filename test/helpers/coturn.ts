// A local coturn (Debian package `coturn`, binary `turnserver`) for tests: one
// static long-term-credential user, listening and relaying on 127.0.0.1 only,
// relay ports in a given range, log kept in memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TURNSERVER = ['/usr/bin/turnserver', '/usr/local/bin/turnserver'].find((p) => fs.existsSync(p)) ?? null;

export interface Coturn {
  port: number;
  url: string;
  username: string;
  password: string;
  realm: string;
  minPort: number;
  maxPort: number;
  /** Everything turnserver printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freeUdpTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const sock = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => resolve(sock.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    sock.close();
    if (tcpFree) return port;
  }
  throw new Error('no free UDP+TCP port on 127.0.0.1');
}

/** Sends a STUN Binding request and resolves true when any STUN answer comes back. */
export function stunAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0); // Binding request
    req.writeUInt16BE(0, 2);
    req.writeUInt32BE(0x2112a442, 4); // magic cookie
    randomBytes(12).copy(req, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('message', (msg) => done(msg.length >= 20 && msg.readUInt32BE(4) === 0x2112a442));
    sock.on('error', () => done(false));
    sock.send(req, port, '127.0.0.1');
  });
}

export async function startCoturn(opts: {
  minPort: number;
  maxPort: number;
  username?: string;
  password?: string;
  realm?: string;
}): Promise<Coturn> {
  if (!TURNSERVER) throw new Error('turnserver not found: install the Debian package coturn');
  const port = await freeUdpTcpPort();
  const username = opts.username ?? 'u';
  const password = opts.password ?? 'p';
  const realm = opts.realm ?? 'diemcau';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-coturn-'));
  const args = [
    '-n', // no configuration file
    '--listening-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--relay-ip=127.0.0.1',
    `--min-port=${opts.minPort}`,
    `--max-port=${opts.maxPort}`,
    '--lt-cred-mech',
    `--user=${username}:${password}`,
    `--realm=${realm}`,
    '--allow-loopback-peers',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-multicast-peers',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    `--userdb=${path.join(dir, 'turndb')}`,
    '--verbose',
  ];
  const child: ChildProcess = spawn(TURNSERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await stunAnswers(port))) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`turnserver exited (${child.exitCode}):\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not answer STUN on 127.0.0.1:${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    username,
    password,
    realm,
    minPort: opts.minPort,
    maxPort: opts.maxPort,
    log: () => output,
    stop,
  };
}
