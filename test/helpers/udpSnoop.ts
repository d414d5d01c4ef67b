// A packet capture on the loopback interface for tests: what crosses the wire
// between the hub and a room system, as a listener on the media path would
// see it. A packet socket (AF_PACKET, root) is opened by a small Python
// script (Node has none); each UDP datagram to or from the given ports is
// reported with its ports and payload. `snoopUnavailable()` says why not.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export interface SnoopedDatagram {
  from: number;
  to: number;
  payload: Buffer;
}

const SCRIPT = `
import socket, struct, sys
ports = set(int(p) for p in sys.argv[1:])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("lo", 0))
print("ready", flush=True)
while True:
    frame, address = s.recvfrom(65535)
    if address[2] != socket.PACKET_HOST or len(frame) < 42 or frame[12:14] != b"\\x08\\x00" or frame[23] != 17:
        continue
    ip = 14 + (frame[14] & 15) * 4
    sport, dport = struct.unpack("!HH", frame[ip:ip + 4])
    if sport in ports or dport in ports:
        print(sport, dport, frame[ip + 8:].hex(), flush=True)
`;

/** Null when a packet socket can be opened here (tried for real), else why not. */
export function snoopUnavailable(): string | null {
  const probe = spawnSync('python3', ['-c', 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW)'], {
    encoding: 'utf8',
  });
  if (probe.error) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0)
    return `no packet socket (needs root / CAP_NET_RAW): ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

export interface Snoop {
  datagrams: SnoopedDatagram[];
  stop(): void;
}

/** Captures the UDP datagrams from or to `ports` on loopback, from the moment it resolves. */
export async function snoopUdp(ports: number[]): Promise<Snoop> {
  const child: ChildProcess = spawn('python3', ['-c', SCRIPT, ...ports.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const datagrams: SnoopedDatagram[] = [];
  let rest = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`snoop exited (${code})`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve();
        const [from, to, hex] = line.split(' ');
        if (hex !== undefined) datagrams.push({ from: Number(from), to: Number(to), payload: Buffer.from(hex, 'hex') });
      }
    });
  });
  return { datagrams, stop: () => child.kill('SIGKILL') };
}
