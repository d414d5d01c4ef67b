// Free UDP port pairs on loopback for FFmpeg to receive a recording's RTP on
// (RTP on an even port, RTCP on the next). The OS picks the port; the pair is
// released just before FFmpeg binds it (a short window another program could
// take it in, after which FFmpeg fails to start and the capture says so).
import dgram from 'node:dgram';

function bind(port: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

async function onePair(): Promise<number | null> {
  const first = await bind(0);
  if (!first) return null;
  const port = first.address().port;
  const rtp = port % 2 === 0 ? port : port + 1;
  const held = [first];
  try {
    for (const p of rtp === port ? [port + 1] : [rtp, rtp + 1]) {
      const socket = await bind(p);
      if (!socket) return null;
      held.push(socket);
    }
    return rtp;
  } finally {
    for (const socket of held) socket.close();
  }
}

/** `count` distinct RTP ports, each with its RTCP port free too. */
export async function freePortPairs(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count && tries < count * 20; tries++) {
    const port = await onePair();
    if (port !== null && !ports.some((p) => Math.abs(p - port) < 2)) ports.push(port);
  }
  if (ports.length < count) throw new Error('no free UDP ports for the recorder');
  return ports;
}
