// What choosing the speakers costs: 300 open microphones (plain RTP with
// ssrc-audio-level from a separate process, a few loud, the rest room noise)
// enter two workers' routers as 300 producers; the meeting's AudioSlots taps
// them all into Node, picks the K speakers and sends them out of the K slots,
// which a plain-RTP sink consumes. Logged: this (Node) process's CPU and the
// workers' over the window, packets in and out (docs/scaling.md). Asserted:
// the slots carry the loud microphones and nothing else.
import { type ChildProcess, fork } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioSlots } from '../../sfu/AudioSlots.ts';
import { MediaPlanes } from '../../sfu/MediaPlanes.ts';
import type { Peer, ProducerAppData } from '../../sfu/Peer.ts';
import { AUDIO_LEVEL_URI } from '../../sfu/rtpHeader.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import { newTestPool } from '../helpers/pool.ts';

const MICS = 300;
const LOUD = 4;
const K = 3;
const WINDOW_MS = 5000;
const SENDER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'helpers',
  'speakers',
  'rtpMicrophones.ts',
);

let pool: WorkerPool;
let planes: MediaPlanes;
let slots: AudioSlots;
let sender: ChildProcess | undefined;
const sink = dgram.createSocket('udp4');

function workerCpuMicros(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100; // USER_HZ
}

beforeAll(async () => {
  pool = newTestPool(2, 3);
  await pool.start();
  planes = new MediaPlanes({
    meetingId: 'slot-cost',
    pool,
    initialOutgoingBitrate: 1_000_000,
    onAudioLevels: () => {},
    onWorkerDied: () => {},
  });
  await planes.open();
  slots = new AudioSlots({
    meetingId: 'slot-cost',
    count: K,
    planes,
    log: pino({ level: 'silent' }),
    mayBeHeard: () => true,
    isPinned: () => false,
    excludeSelf: async () => {},
    onRecreated: () => {},
  });
  await slots.open();
}, 60_000);

afterAll(async () => {
  sender?.kill();
  sink.close();
  slots?.close();
  planes?.close();
  await pool?.close();
});

/** A worker's plain RTP entrance carrying `count` microphones, each a producer tapped by the slots as a site's mic is. */
async function microphones(worker: number, first: number, count: number): Promise<{ port: number; ssrcs: number[] }> {
  const site = (i: number) => ({ id: `site-${i}`, workerIndex: worker }) as Peer;
  const plane = await planes.of(site(first));
  const transport = await plane.router.createPlainTransport({
    listenIp: { ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
  });
  const ssrcs: number[] = [];
  for (let i = first; i < first + count; i++) {
    const ssrc = 10_000 + i;
    const producer = await transport.produce<ProducerAppData>({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: 1 }],
        encodings: [{ ssrc }],
      },
      appData: { peerId: `site-${i}`, source: 'mic', wanted: true },
    });
    await plane.audioLevels.addProducer({ producerId: producer.id });
    await slots.listen(site(i), producer);
    ssrcs.push(ssrc);
  }
  return { port: transport.tuple.localPort, ssrcs };
}

describe('audio slots: the cost of choosing the speakers among 300 microphones', () => {
  it('carries the loud microphones out of K slots; logs Node and worker CPU', { timeout: 120_000 }, async () => {
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
    const outBySsrc = new Map<number, number>();
    sink.on('message', (msg) => {
      if ((msg[1] as number) >= 192 && (msg[1] as number) <= 223) return; // RTCP (sender reports)
      const ssrc = msg.readUInt32BE(8);
      outBySsrc.set(ssrc, (outBySsrc.get(ssrc) ?? 0) + 1);
    });
    const home = await planes.homeRouter();
    const out = await home.createPlainTransport({ listenIp: { ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await out.connect({ ip: '127.0.0.1', port: sink.address().port });
    for (const { producerId } of slots.info()) {
      await out.consume({ producerId, rtpCapabilities: home.rtpCapabilities });
    }
    const targets = [await microphones(0, 0, MICS / 2), await microphones(1, MICS / 2, MICS / 2)];

    sender = fork(SENDER, [JSON.stringify({ targets, loud: LOUD })], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let sent = 0;
    sender.on('message', (m: { sent: number }) => {
      sent = m.sent;
    });
    await new Promise((r) => setTimeout(r, 2000)); // warm up: the slots are taken

    const pids = pool.summaries().map((w) => w.pid);
    const cpu0 = process.cpuUsage();
    const workers0 = pids.map(workerCpuMicros);
    const out0 = [...outBySsrc.values()].reduce((a, b) => a + b, 0);
    const sent0 = sent;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const workers = pids.map((pid, i) => workerCpuMicros(pid) - (workers0[i] as number));
    const outPackets = [...outBySsrc.values()].reduce((a, b) => a + b, 0) - out0;

    const pct = (micros: number) => Math.round((micros / 1e6 / seconds) * 1000) / 10;
    console.log(
      `${MICS} microphones (${LOUD} loud), K=${K}: in ${Math.round((sent - sent0) / seconds)} packets/s, out of the slots ${Math.round(outPackets / seconds)} packets/s; ` +
        `Node (this process) ${pct(cpu.user + cpu.system)} % of a core; workers ${workers.map(pct).join(' + ')} %`,
    );
    // K slots, each carrying a loud microphone (rates are logged: the machine is shared).
    expect(outBySsrc.size).toBe(K);
    expect(slots.holders().every((h) => h !== null && Number(h.split('-')[1]) < LOUD)).toBe(true);
  });
});
