// The loudness of a room system's voice, which its RTP does not carry: the
// leg's FFmpeg hands the hub the decoded samples (16-bit mono), the hub
// measures them and writes the level into each Opus packet as the
// ssrc-audio-level extension (RFC 6464) a browser would have sent — so the
// audio slots (sfu/AudioSlots.ts) and the chair's level meters hear it.
import { SILENT_LEVEL } from '../rtpHeader.ts';

const FIXED_HEADER_BYTES = 12;

/** −dBov of 16-bit little-endian samples (0 loudest, 127 silent), as RFC 6464 counts. */
export function levelOfSamples(pcm: Buffer): number {
  const count = Math.floor(pcm.length / 2);
  if (count === 0) return SILENT_LEVEL;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const sample = pcm.readInt16LE(i * 2) / 32768;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / count);
  if (rms <= 0) return SILENT_LEVEL;
  return Math.min(SILENT_LEVEL, Math.max(0, Math.round(-20 * Math.log10(rms))));
}

/**
 * The packet with a one-byte header extension (RFC 8285) carrying `level`
 * under `id`. FFmpeg's packets carry no extension; one that does is returned as it is.
 */
export function withAudioLevel(packet: Buffer, id: number, level: number): Buffer {
  if (packet.length < FIXED_HEADER_BYTES) return packet;
  const first = packet[0] as number;
  if (first & 0x10) return packet;
  const headerEnd = FIXED_HEADER_BYTES + (first & 0x0f) * 4;
  // 0xBEDE, one 32-bit word: [id|len=0][level] and two bytes of padding.
  const extension = Buffer.from([0xbe, 0xde, 0x00, 0x01, (id << 4) & 0xf0, level & 0x7f, 0, 0]);
  const out = Buffer.concat([packet.subarray(0, headerEnd), extension, packet.subarray(headerEnd)]);
  out[0] = first | 0x10;
  return out;
}
