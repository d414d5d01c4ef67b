// Synthetic RTP goes into a meeting room's router through a PlainTransport and
// must come out of a consumer on another transport.
import dgram from 'node:dgram';
import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingRoom } from '../../sfu/MeetingRoom.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import { newTestPool } from '../helpers/pool.ts';

const log = pino({ level: 'silent' });
let pool: WorkerPool;
let meeting: MeetingRoom;

beforeAll(async () => {
  pool = newTestPool(1, 1);
  await pool.start();
  meeting = await MeetingRoom.create({
    meetingId: 'media-flow',
    mode: 'discussion',
    maxSites: 10,
    pool,
    log,
    initialOutgoingBitrate: 1_000_000,
    resumeGraceMs: 0,
    audioSlots: 3,
    alarms: { lossPct: 5, jitterMs: 60, minVideoKbps: 20, floorSilentMs: 15_000, sampleMs: 2000 },
    hooks: { onPresence() {}, onEnded() {}, onClosed() {}, onLiveState() {}, onPresentation() {}, onCascade() {} },
  });
});

afterAll(async () => {
  meeting.close();
  await pool.close();
});

const SSRC = 0x11223344;
const PAYLOAD_TYPE = 100;

function rtpPacket(seq: number, timestamp: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2
  header[1] = PAYLOAD_TYPE;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(timestamp, 4);
  header.writeUInt32BE(SSRC, 8);
  return Buffer.concat([header, Buffer.alloc(160, 0xab)]);
}

/** The payload after the fixed header, CSRCs and header extension (mediasoup adds its own extensions). */
function rtpPayload(packet: Buffer): Buffer {
  const csrcCount = (packet[0] ?? 0) & 0x0f;
  let offset = 12 + csrcCount * 4;
  if ((packet[0] ?? 0) & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return packet.subarray(offset);
}

describe('media through a meeting room', () => {
  it('forwards RTP from a producer to a consumer on another transport', async () => {
    const router = await meeting.planes.homeRouter();
    const sender = dgram.createSocket('udp4');
    const receiver = dgram.createSocket('udp4');
    sender.bind(0, '127.0.0.1');
    receiver.bind(0, '127.0.0.1');
    await Promise.all([once(sender, 'listening'), once(receiver, 'listening')]);

    const ingress = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
    const producer = await ingress.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: SSRC }],
      },
    });

    const egress = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false });
    await egress.connect({ ip: '127.0.0.1', port: receiver.address().port });
    const consumer = await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    const consumerSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;

    const received: Buffer[] = [];
    receiver.on('message', (msg) => {
      if ((msg[1] ?? 0) >= 200 && (msg[1] ?? 0) <= 206) return; // RTCP
      received.push(msg);
    });

    for (let i = 0; i < 50; i++) {
      sender.send(rtpPacket(1000 + i, i * 960), ingress.tuple.localPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));

    expect(received.length).toBeGreaterThanOrEqual(45);
    const first = received[0] as Buffer;
    expect(first.readUInt32BE(8)).toBe(consumerSsrc);
    expect(rtpPayload(first)).toEqual(Buffer.alloc(160, 0xab));
    const stats = await producer.getStats();
    expect(stats[0]?.packetCount).toBeGreaterThanOrEqual(45);

    sender.close();
    receiver.close();
    ingress.close();
    egress.close();
  });
});
