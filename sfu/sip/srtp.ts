// SRTP and SRTCP (RFC 3711) for the AES_CM_128_HMAC_SHA1_80 and _32 suites,
// in Node: the room's picture passes through the hub's relay (which rewrites
// the payload type of what the room receives, so the packets must be clear
// there) and its sound leaves from Node (MixOutlet) — both encrypt and decrypt
// here. One context per medium and direction, keyed by that direction's
// SDES master key and salt (sfu/sip/sdes.ts); it keeps each SSRC's rollover
// counter and SRTCP index. Not done: replay protection (a replayed packet is
// decrypted again), key lifetimes and MKI (offers carrying an MKI are not
// taken), key derivation rates other than 0.
import { createCipheriv, createHmac } from 'node:crypto';

export const SRTP_SUITES = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const;
export type SrtpSuite = (typeof SRTP_SUITES)[number];

/** Master key (16 bytes) then master salt (14), as SDES carries them. */
export const MASTER_KEY_SALT_BYTES = 30;
const KEY_BYTES = 16;
const SALT_BYTES = 14;
const AUTH_KEY_BYTES = 20;
/**
 * SRTCP's tag: 80 bits with both suites (RFC 3711 §5.2 recommends it, libsrtp
 * and Asterisk do it), but some implementations (FFmpeg) tag SRTCP with 32 bits
 * under AES_CM_128_HMAC_SHA1_32: both are tried on what arrives.
 */
const RTCP_TAG_BYTES = 10;
const SHORT_TAG_BYTES = 4;
const RTCP_HEADER_BYTES = 8;
const E_FLAG = 0x8000_0000;

interface SessionKeys {
  cipherKey: Buffer;
  authKey: Buffer;
  salt: Buffer;
}

/** The AES-CM key derivation (RFC 3711 §4.3.3, key derivation rate 0): `length` bytes for `label`. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv);
  iv[7] = (iv[7] as number) ^ label;
  const cipher = createCipheriv('aes-128-ctr', masterKey, iv);
  return cipher.update(Buffer.alloc(length));
}

function sessionKeys(master: Buffer, firstLabel: number): SessionKeys {
  const key = master.subarray(0, KEY_BYTES);
  const salt = master.subarray(KEY_BYTES, KEY_BYTES + SALT_BYTES);
  return {
    cipherKey: derive(key, salt, firstLabel, KEY_BYTES),
    authKey: derive(key, salt, firstLabel + 1, AUTH_KEY_BYTES),
    salt: derive(key, salt, firstLabel + 2, SALT_BYTES),
  };
}

/** AES-CM over `data` in place: IV = salt ⊕ SSRC·2^64 ⊕ index·2^16 (RFC 3711 §4.1.1). */
function crypt(keys: SessionKeys, ssrc: number, index: bigint, data: Buffer): void {
  const iv = Buffer.alloc(16);
  keys.salt.copy(iv);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const high = Number(index >> 32n);
  const low = Number(index & 0xffff_ffffn);
  iv.writeUInt16BE(iv.readUInt16BE(8) ^ high, 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ low) >>> 0, 10);
  const cipher = createCipheriv('aes-128-ctr', keys.cipherKey, iv);
  cipher.update(data).copy(data);
}

function tag(keys: SessionKeys, parts: Buffer[], length: number): Buffer {
  const hmac = createHmac('sha1', keys.authKey);
  for (const part of parts) hmac.update(part);
  return hmac.digest().subarray(0, length);
}

/** Bytes of the RTP header: the fixed part, CSRCs and the extension. */
function rtpHeaderLength(packet: Buffer): number {
  const first = packet[0] as number;
  let length = 12 + (first & 0x0f) * 4;
  if (first & 0x10 && packet.length >= length + 4) length += 4 + packet.readUInt16BE(length + 2) * 4;
  return length;
}

function rocBytes(roc: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(roc >>> 0);
  return bytes;
}

/** Per SSRC: the highest sequence number seen and its rollover counter. */
interface RtpStream {
  seq: number;
  roc: number;
}

/** One direction of one medium: protects what the hub sends, or unprotects what it receives. */
export class SrtpContext {
  private readonly rtp: SessionKeys;
  private readonly rtcp: SessionKeys;
  private readonly tagBytes: number;
  private readonly streams = new Map<number, RtpStream>();
  private readonly rtcpIndex = new Map<number, number>();
  private readonly rtcpTagChoices: number[];
  /** The SRTCP tag length: 80 bits, or the one the peer was seen to use (set it on the context sending to it). */
  rtcpTagBytes = RTCP_TAG_BYTES;

  constructor(suite: SrtpSuite, master: Buffer) {
    if (master.length !== MASTER_KEY_SALT_BYTES) throw new Error('SRTP master key and salt must be 30 bytes');
    this.rtp = sessionKeys(master, 0);
    this.rtcp = sessionKeys(master, 3);
    const short = suite === 'AES_CM_128_HMAC_SHA1_32';
    this.tagBytes = short ? SHORT_TAG_BYTES : RTCP_TAG_BYTES;
    this.rtcpTagChoices = short ? [RTCP_TAG_BYTES, SHORT_TAG_BYTES] : [RTCP_TAG_BYTES];
  }

  /** The rollover counter guessed for `seq` (RFC 3711 §3.3.1), not yet stored. */
  private guess(ssrc: number, seq: number): { stream: RtpStream | undefined; roc: number } {
    const stream = this.streams.get(ssrc);
    if (!stream) return { stream, roc: 0 };
    if (stream.seq < 0x8000) return { stream, roc: seq - stream.seq > 0x8000 ? stream.roc - 1 : stream.roc };
    return { stream, roc: stream.seq - 0x8000 > seq ? stream.roc + 1 : stream.roc };
  }

  private advance(ssrc: number, stream: RtpStream | undefined, seq: number, roc: number): void {
    if (!stream) this.streams.set(ssrc, { seq, roc });
    else if (roc > stream.roc || (roc === stream.roc && seq > stream.seq)) Object.assign(stream, { seq, roc });
  }

  /** An RTP packet encrypted and tagged (a new buffer). */
  protectRtp(packet: Buffer): Buffer {
    const headerLength = rtpHeaderLength(packet);
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const { stream, roc } = this.guess(ssrc, seq);
    this.advance(ssrc, stream, seq, roc);
    const out = Buffer.alloc(packet.length + this.tagBytes);
    packet.copy(out);
    crypt(this.rtp, ssrc, (BigInt(roc >>> 0) << 16n) | BigInt(seq), out.subarray(headerLength, packet.length));
    tag(this.rtp, [out.subarray(0, packet.length), rocBytes(roc)], this.tagBytes).copy(out, packet.length);
    return out;
  }

  /** The clear RTP packet, or null when it does not authenticate (not the room's, or damaged). */
  unprotectRtp(packet: Buffer): Buffer | null {
    const bodyEnd = packet.length - this.tagBytes;
    if (bodyEnd < 12) return null;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const { stream, roc } = this.guess(ssrc, seq);
    const expected = tag(this.rtp, [packet.subarray(0, bodyEnd), rocBytes(roc)], this.tagBytes);
    if (!expected.equals(packet.subarray(bodyEnd))) return null;
    this.advance(ssrc, stream, seq, roc);
    const out = Buffer.from(packet.subarray(0, bodyEnd));
    crypt(this.rtp, ssrc, (BigInt(roc >>> 0) << 16n) | BigInt(seq), out.subarray(rtpHeaderLength(out)));
    return out;
  }

  /** An RTCP compound packet encrypted, its SRTCP index and tag appended (a new buffer). */
  protectRtcp(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(4);
    const index = ((this.rtcpIndex.get(ssrc) ?? -1) + 1) & 0x7fff_ffff;
    this.rtcpIndex.set(ssrc, index);
    const out = Buffer.alloc(packet.length + 4 + this.rtcpTagBytes);
    packet.copy(out);
    crypt(this.rtcp, ssrc, BigInt(index), out.subarray(RTCP_HEADER_BYTES, packet.length));
    out.writeUInt32BE((E_FLAG | index) >>> 0, packet.length);
    tag(this.rtcp, [out.subarray(0, packet.length + 4)], this.rtcpTagBytes).copy(out, packet.length + 4);
    return out;
  }

  /** The clear RTCP packet, or null when it does not authenticate. */
  unprotectRtcp(packet: Buffer): Buffer | null {
    const tagBytes = this.rtcpTagChoices.find((bytes) => this.authenticRtcp(packet, bytes));
    if (tagBytes === undefined) return null;
    this.rtcpTagBytes = tagBytes;
    const indexAt = packet.length - tagBytes - 4;
    const word = packet.readUInt32BE(indexAt);
    const out = Buffer.from(packet.subarray(0, indexAt));
    if (word & E_FLAG)
      crypt(this.rtcp, out.readUInt32BE(4), BigInt(word & 0x7fff_ffff), out.subarray(RTCP_HEADER_BYTES));
    return out;
  }

  private authenticRtcp(packet: Buffer, tagBytes: number): boolean {
    const indexAt = packet.length - tagBytes - 4;
    if (indexAt < RTCP_HEADER_BYTES) return false;
    return tag(this.rtcp, [packet.subarray(0, indexAt + 4)], tagBytes).equals(packet.subarray(indexAt + 4));
  }
}
