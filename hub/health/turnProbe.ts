// Whether a TURN server answers, as the health page asks it: over UDP a STUN
// Binding request (RFC 5389), which coturn answers without credentials; over
// TCP or TLS, that the port accepts a connection.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';

const PROBE_TIMEOUT_MS = 3000;
const MAGIC_COOKIE = 0x2112a442;

export interface TurnTarget {
  url: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

/** "turn:host:3478?transport=udp" → its address; turns: is TCP (TLS) on 5349 by default. */
export function turnTarget(url: string): TurnTarget | null {
  const m = /^(turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/.exec(url.trim());
  if (!m) return null;
  const secure = m[1] === 'turns';
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  const port = m[3] ? Number(m[3]) : secure ? 5349 : 3478;
  const transport = secure || m[4] === 'tcp' ? 'tcp' : 'udp';
  return { url, host, port, transport };
}

/** Milliseconds to the answer, or the reason there was none. */
export function probeTurn(target: TurnTarget): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  return target.transport === 'udp' ? stunBinding(target) : tcpConnect(target);
}

function stunBinding(target: TurnTarget): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const started = Date.now();
  const transactionId = randomBytes(12);
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
  request.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(request, 8);
  const socket = dgram.createSocket(net.isIPv6(target.host) ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const done = (result: { ok: true; ms: number } | { ok: false; reason: string }) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: `no answer over UDP within ${PROBE_TIMEOUT_MS} ms` }),
      PROBE_TIMEOUT_MS,
    );
    socket.on('message', (message) => {
      if (message.length >= 20 && message.subarray(8, 20).equals(transactionId))
        done({ ok: true, ms: Date.now() - started });
    });
    socket.on('error', (err) => done({ ok: false, reason: err.message }));
    socket.send(request, target.port, target.host);
  });
}

function tcpConnect(target: TurnTarget): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port, timeout: PROBE_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, ms: Date.now() - started });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, reason: `no TCP connection within ${PROBE_TIMEOUT_MS} ms` });
    });
    socket.once('error', (err) => resolve({ ok: false, reason: err.message }));
  });
}
