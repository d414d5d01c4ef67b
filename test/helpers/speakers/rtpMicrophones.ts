// A child process sending many synthetic microphones as plain RTP over UDP:
// opus-sized packets every 20 ms with the ssrc-audio-level extension (id 1),
// the first `loud` streams at speech level, the rest at room noise. Used to
// measure what the audio slots cost the hub (test/load/slotCost.test.ts).
// Args: JSON { targets: [{ port, ssrcs: number[] }], loud: number }.
import dgram from 'node:dgram';

interface Args {
  targets: { port: number; ssrcs: number[] }[];
  loud: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const socket = dgram.createSocket('udp4');
const payload = Buffer.alloc(160, 0xfc);
const streams = args.targets.flatMap(({ port, ssrcs }) =>
  ssrcs.map((ssrc) => ({ port, ssrc, seq: ssrc & 0xffff, ts: ssrc * 7 })),
);

function packet(s: (typeof streams)[number], level: number): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x90;
  header[1] = 111;
  header.writeUInt16BE(s.seq, 2);
  header.writeUInt32BE(s.ts >>> 0, 4);
  header.writeUInt32BE(s.ssrc, 8);
  header.writeUInt16BE(0xbede, 12);
  header.writeUInt16BE(1, 14);
  header[16] = 0x10; // id 1, one byte
  header[17] = 0x80 | level;
  return Buffer.concat([header, payload]);
}

let sent = 0;
setInterval(() => {
  for (const [i, s] of streams.entries()) {
    s.seq = (s.seq + 1) & 0xffff;
    s.ts = (s.ts + 960) >>> 0;
    const level = i < args.loud ? 20 + (s.seq % 5) : 70 + (s.seq % 10);
    socket.send(packet(s, level), s.port, '127.0.0.1');
    sent++;
  }
}, 20);
setInterval(() => process.send?.({ sent }), 1000);
process.on('disconnect', () => process.exit(0));
