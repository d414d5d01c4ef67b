// One input of a SIP leg's audio mix: the Opus packets of one meeting stream
// (the chair's microphone or an audio slot), sent on to FFmpeg one every 20 ms
// with a numbering of its own, and a silent frame whenever the stream has
// nothing (a slot nobody speaks in, a paused consumer). FFmpeg's mixer waits
// for every input before it mixes: a steady stream per input keeps it going.
import type dgram from 'node:dgram';
import { rewriteHeader } from '../rtpHeader.ts';

/** One 20 ms Opus frame: 960 ticks of the 48 kHz clock. */
export const FRAME_MS = 20;
const FRAME_TICKS = 960;
const FIXED_HEADER_BYTES = 12;
/** A CELT fullband 20 ms frame that decodes to silence (TOC 0xF8, then the silence code). */
const SILENT_OPUS = Buffer.from([0xf8, 0xff, 0xfe]);
/** Packets held back at most: a burst beyond this is late, the oldest go. */
const MAX_QUEUE = 4;

export class PacedStream {
  private readonly queue: Buffer[] = [];
  private seq = Math.floor(Math.random() * 0x10000);
  private ts = Math.floor(Math.random() * 0x1_0000_0000);
  readonly ssrc = 1 + Math.floor(Math.random() * 0xfffffffe);

  constructor(
    private readonly socket: dgram.Socket,
    /** FFmpeg's port for this input. */
    readonly port: number,
    readonly payloadType: number,
  ) {}

  /** A packet of the stream: its payload goes out at the next frame. */
  push(packet: Buffer): void {
    const payload = payloadOf(packet);
    if (!payload) return;
    this.queue.push(payload);
    if (this.queue.length > MAX_QUEUE) this.queue.shift();
  }

  /** Sends the next frame: the oldest queued payload, or silence. */
  tick(): void {
    const payload = this.queue.shift() ?? SILENT_OPUS;
    const packet = Buffer.alloc(FIXED_HEADER_BYTES + payload.length);
    packet[0] = 0x80;
    payload.copy(packet, FIXED_HEADER_BYTES);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME_TICKS) >>> 0;
    rewriteHeader(packet, {
      payloadType: this.payloadType,
      sequenceNumber: this.seq,
      timestamp: this.ts,
      ssrc: this.ssrc,
      marker: false,
    });
    this.socket.send(packet, this.port, '127.0.0.1');
  }
}

/** The RTP payload (after CSRCs, header extension and before padding), or null for a malformed packet. */
function payloadOf(packet: Buffer): Buffer | null {
  if (packet.length < FIXED_HEADER_BYTES) return null;
  const first = packet[0] as number;
  let offset = FIXED_HEADER_BYTES + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (packet.length < offset + 4) return null;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (first & 0x20) end -= packet[packet.length - 1] as number;
  return end > offset ? packet.subarray(offset, end) : null;
}
