// The few RTP header fields the audio slots read and rewrite, on the raw packet
// a DirectTransport hands to Node (RFC 3550 header, RFC 8285 extensions).

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** The level a packet without a readable ssrc-audio-level counts as: silence. */
export const SILENT_LEVEL = 127;

const FIXED_HEADER_BYTES = 12;
const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/** Where the header extension's elements start and end, or null when the packet has none. */
function extensionBlock(packet: Buffer): { profile: number; start: number; end: number } | null {
  if (packet.length < FIXED_HEADER_BYTES) return null;
  const first = packet[0] as number;
  if ((first & 0x10) === 0) return null;
  const offset = FIXED_HEADER_BYTES + (first & 0x0f) * 4;
  if (packet.length < offset + 4) return null;
  const start = offset + 4;
  const end = start + packet.readUInt16BE(offset + 2) * 4;
  if (end > packet.length) return null;
  return { profile: packet.readUInt16BE(offset), start, end };
}

/**
 * The level in the packet's ssrc-audio-level extension (RFC 6464) with id
 * `id`: 0 is the loudest (0 dBov), 127 silence (−127 dBov). Null when absent.
 */
export function audioLevel(packet: Buffer, id: number): number | null {
  if (id <= 0) return null;
  const block = extensionBlock(packet);
  if (!block) return null;
  const { profile, end } = block;
  let p = block.start;
  if (profile === ONE_BYTE_PROFILE) {
    while (p < end) {
      const byte = packet[p] as number;
      if (byte === 0) {
        p++; // padding
        continue;
      }
      const elementId = byte >> 4;
      if (elementId === 15) return null; // reserved: stop parsing
      if (elementId === id) return p + 1 < end ? (packet[p + 1] as number) & 0x7f : null;
      p += 2 + (byte & 0x0f);
    }
    return null;
  }
  if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
    while (p + 1 < end) {
      const elementId = packet[p] as number;
      if (elementId === 0) {
        p++;
        continue;
      }
      const length = packet[p + 1] as number;
      if (elementId === id) return length >= 1 && p + 2 < end ? (packet[p + 2] as number) & 0x7f : null;
      p += 2 + length;
    }
  }
  return null;
}

export function sequenceNumber(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

export function timestamp(packet: Buffer): number {
  return packet.readUInt32BE(4);
}

export interface RtpRewrite {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Set the marker bit (first packet of a talk spurt); otherwise the source's bit is kept. */
  marker: boolean;
}

/** Rewrites the packet's header fields in place. */
export function rewriteHeader(packet: Buffer, fields: RtpRewrite): void {
  const markerBit = fields.marker ? 0x80 : (packet[1] as number) & 0x80;
  packet[1] = markerBit | (fields.payloadType & 0x7f);
  packet.writeUInt16BE(fields.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(fields.timestamp >>> 0, 4);
  packet.writeUInt32BE(fields.ssrc >>> 0, 8);
}

/** Whether packet is at least a whole RTP fixed header of version 2. */
export function isRtp(packet: Buffer): boolean {
  return packet.length >= FIXED_HEADER_BYTES && (packet[0] as number) >> 6 === 2;
}
