// A local coturn (Debian package `coturn`, binary `turnserver`) for tests:
// either one static long-term-credential user or the REST-API shared secret
// (time-limited credentials, hub/turn.ts), listening and relaying on 127.0.0.1
// only, relay ports in a given range, log kept in memory; and a TURN Allocate
// from Node, to see whether coturn accepts a credential.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TURNSERVER = ['/usr/bin/turnserver', '/usr/local/bin/turnserver'].find((p) => fs.existsSync(p)) ?? null;

export interface Coturn {
  port: number;
  url: string;
  /** The static user (unused with a shared secret). */
  username: string;
  password: string;
  /** The REST-API shared secret, when coturn was started with one. */
  secret: string | null;
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
  /** Use the REST-API shared secret (`use-auth-secret`) instead of the static user. */
  secret?: string;
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
    ...(opts.secret
      ? ['--use-auth-secret', `--static-auth-secret=${opts.secret}`]
      : ['--lt-cred-mech', `--user=${username}:${password}`]),
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
    secret: opts.secret ?? null,
    realm,
    minPort: opts.minPort,
    maxPort: opts.maxPort,
    log: () => output,
    stop,
  };
}

// ---------------------------------------------------------------------------
// TURN Allocate (RFC 5766) with a long-term credential (RFC 5389 §10.2)

const MAGIC = 0x2112a442;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  REQUESTED_TRANSPORT: 0x0019,
} as const;

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

/** An Allocate request for a UDP relay; with `auth`, signed with MESSAGE-INTEGRITY. */
function allocateRequest(auth?: { username: string; credential: string; realm: string; nonce: Buffer }): Buffer {
  const attrs = [attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]))];
  if (auth) {
    attrs.push(attribute(ATTR.USERNAME, Buffer.from(auth.username)));
    attrs.push(attribute(ATTR.REALM, Buffer.from(auth.realm)));
    attrs.push(attribute(ATTR.NONCE, auth.nonce));
  }
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0003, 0);
  header.writeUInt32BE(MAGIC, 4);
  randomBytes(12).copy(header, 8);
  let body = Buffer.concat(attrs);
  if (auth) {
    // The length covers MESSAGE-INTEGRITY; the HMAC covers everything before it.
    header.writeUInt16BE(body.length + 24, 2);
    const key = createHash('md5').update(`${auth.username}:${auth.realm}:${auth.credential}`).digest();
    const mac = createHmac('sha1', key)
      .update(Buffer.concat([header, body]))
      .digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

interface StunAnswer {
  success: boolean;
  errorCode: number | null;
  attrs: Map<number, Buffer>;
}

function parseAnswer(msg: Buffer): StunAnswer {
  const attrs = new Map<number, Buffer>();
  for (let at = 20; at + 4 <= msg.length; ) {
    const type = msg.readUInt16BE(at);
    const length = msg.readUInt16BE(at + 2);
    attrs.set(type, msg.subarray(at + 4, at + 4 + length));
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  const error = attrs.get(ATTR.ERROR_CODE);
  return {
    success: msg.readUInt16BE(0) === 0x0103,
    errorCode: error ? (error[2] ?? 0) * 100 + (error[3] ?? 0) : null,
    attrs,
  };
}

/** Sends STUN requests from one local port (coturn ties its nonce to it) and reads each answer. */
async function stunSocket(port: number, timeoutMs = 2000) {
  const sock = dgram.createSocket('udp4');
  const answers: Buffer[] = [];
  const waiting: ((msg: Buffer) => void)[] = [];
  sock.on('message', (msg) => {
    const next = waiting.shift();
    if (next) next(msg);
    else answers.push(msg);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    exchange(request: Buffer): Promise<StunAnswer> {
      sock.send(request, port, '127.0.0.1');
      const ready = answers.shift();
      if (ready) return Promise.resolve(parseAnswer(ready));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no TURN answer on 127.0.0.1:${port}`)), timeoutMs);
        waiting.push((msg) => {
          clearTimeout(timer);
          resolve(parseAnswer(msg));
        });
      });
    },
    close: () => sock.close(),
  };
}

/**
 * Asks coturn for a relay with this credential, as a browser's ICE agent does:
 * an unsigned Allocate (answered 401 with the realm and a nonce), then a
 * signed one from the same port. 'allocated', or the error code coturn
 * answered (401: the credential refused).
 */
export async function turnAllocate(
  port: number,
  credential: { username: string; credential: string },
): Promise<'allocated' | number> {
  const sock = await stunSocket(port);
  try {
    const challenge = await sock.exchange(allocateRequest());
    const realm = challenge.attrs.get(ATTR.REALM)?.toString();
    const nonce = challenge.attrs.get(ATTR.NONCE);
    if (challenge.errorCode !== 401 || !realm || !nonce) throw new Error('coturn did not ask for a credential');
    const answer = await sock.exchange(allocateRequest({ ...credential, realm, nonce }));
    return answer.success ? 'allocated' : (answer.errorCode ?? 0);
  } finally {
    sock.close();
  }
}
