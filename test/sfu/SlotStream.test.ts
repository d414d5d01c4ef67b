// A slot's outgoing RTP: one SSRC, sequence numbers one apart and a running
// clock across speaker changes; the audio level read from either extension form.
import { describe, expect, it } from 'vitest';
import { audioLevel, rewriteHeader, sequenceNumber, timestamp } from '../../sfu/rtpHeader.ts';
import { SlotStream } from '../../sfu/SlotStream.ts';

/** An opus packet with a one-byte ssrc-audio-level extension (id 10) and a payload naming its source. */
function packet(ssrc: number, seq: number, ts: number, level: number, marker = false): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x90; // version 2, extension
  header[1] = (marker ? 0x80 : 0) | 111;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(ts >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, (10 << 4) | 0, 0x80 | level, 0x00, 0x00]);
  return Buffer.concat([header, ext, Buffer.from(`from-${ssrc}`)]);
}

describe('rtpHeader', () => {
  it('reads the level from one-byte and two-byte extensions, and null when absent', () => {
    expect(audioLevel(packet(1, 1, 1, 33), 10)).toBe(33);
    expect(audioLevel(packet(1, 1, 1, 33), 3)).toBeNull();
    const twoByte = Buffer.concat([
      Buffer.from([0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
      Buffer.from([0x10, 0x00, 0x00, 0x01, 10, 1, 0x80 | 44, 0]),
    ]);
    expect(audioLevel(twoByte, 10)).toBe(44);
    const none = Buffer.from([0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xff]);
    expect(audioLevel(none, 10)).toBeNull();
    // A length running past the packet is not trusted.
    const truncated = Buffer.from([0x90, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0, 9, 0xa0, 5]);
    expect(audioLevel(truncated, 10)).toBeNull();
  });

  it('rewrites payload type, sequence number, timestamp and SSRC in place, keeping the payload', () => {
    const p = packet(5, 100, 1000, 20);
    rewriteHeader(p, { payloadType: 100, sequenceNumber: 7, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, marker: true });
    expect(p[1]).toBe(0x80 | 100);
    expect(sequenceNumber(p)).toBe(7);
    expect(timestamp(p)).toBe(0xfffffff0);
    expect(p.readUInt32BE(8)).toBe(0xdeadbeef);
    expect(audioLevel(p, 10)).toBe(20);
    expect(p.subarray(20).toString()).toBe('from-5');
  });
});

describe('SlotStream', () => {
  it('keeps one SSRC, consecutive sequence numbers and a running clock across a change of speaker', () => {
    let now = 0;
    const stream = new SlotStream(0xabcdef01, 100, () => now);
    const out: Buffer[] = [];
    const send = (p: Buffer) => {
      stream.rewrite(p);
      out.push(p);
    };
    for (let i = 0; i < 5; i++, now += 20) send(packet(1, 60_000 + i, 5_000_000 + i * 960, 20));
    // 300 ms of silence, then another site with unrelated numbering, wrapping its sequence.
    now += 300;
    stream.retarget();
    for (let i = 0; i < 5; i++, now += 20) send(packet(2, 65_534 + i, 9 + i * 960, 20));

    expect(new Set(out.map((p) => p.readUInt32BE(8)))).toEqual(new Set([0xabcdef01]));
    const seqs = out.map(sequenceNumber);
    for (let i = 1; i < seqs.length; i++)
      expect((seqs[i] as number) - (seqs[i - 1] as number)).toSatisfy((d: number) => ((d + 0x10000) & 0xffff) === 1);
    const ts = out.map(timestamp);
    const step = (i: number) => ((ts[i] as number) - (ts[i - 1] as number) + 0x1_0000_0000) % 0x1_0000_0000;
    expect(step(1)).toBe(960);
    // The gap: the last packet of the first speaker to the first of the second, 320 ms at 48 kHz.
    expect(step(5)).toBe(320 * 48);
    expect(step(6)).toBe(960);
    // A talk spurt starts with the marker bit; the payloads are the sources' own.
    expect(out.map((p) => (p[1] as number) >> 7)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(out[7]?.subarray(20).toString()).toBe('from-2');
  });
});
