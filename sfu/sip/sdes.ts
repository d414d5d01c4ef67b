// SDES (RFC 4568): the SRTP keys of a call cross in its SDP. A room system
// offering `RTP/SAVP` lists `a=crypto` lines, each a suite and the master key
// and salt the room encrypts what it sends with; the hub takes the first line
// of a suite it serves (sfu/sip/srtp.ts) and answers with that line's tag, the
// suite and a key of its own — fresh and random for each call and medium,
// never logged. The keys are readable to whoever reads the signalling: without
// SIP over TLS (not served) SDES keeps the media from a listener on the media
// path only (docs/sip.md).
import { randomBytes } from 'node:crypto';
import type * as sdpTransform from 'sdp-transform';
import { MASTER_KEY_SALT_BYTES, SRTP_SUITES, SrtpContext, type SrtpSuite } from './srtp.ts';

/** What the hub does with SRTP (SIP_SRTP): `off` refuses encrypted offers, `require` plain ones. */
export const SRTP_POLICIES = ['off', 'accept', 'require'] as const;
export type SrtpPolicy = (typeof SRTP_POLICIES)[number];

/** The crypto line the hub took from a medium of the offer. */
export interface OfferedCrypto {
  tag: number;
  suite: SrtpSuite;
  /** The room's master key and salt: what it sends is encrypted with them. */
  roomKey: Buffer;
}

/** One medium's SRTP for the call: decrypting what the room sends, encrypting what the hub sends. */
export interface MediumSrtp {
  crypto: OfferedCrypto;
  /** The hub's own master key and salt, named in the answer. */
  hubKey: Buffer;
}

/** Whether a medium's profile is RTP over SRTP (RFC 3711's SAVP, or SAVPF with feedback). */
export function isSecureProfile(protocol: string): boolean {
  return protocol === 'RTP/SAVP' || protocol === 'RTP/SAVPF';
}

/**
 * The first crypto line of a suite the hub serves, or null. Lines with an MKI,
 * several keys or session parameters (UNENCRYPTED_SRTP, KDR, …) are passed over:
 * the hub's SRTP does not do them.
 */
export function offeredCrypto(lines: sdpTransform.MediaDescription['crypto']): OfferedCrypto | null {
  for (const line of lines ?? []) {
    if (!(SRTP_SUITES as readonly string[]).includes(line.suite) || line.sessionConfig) continue;
    const match = /^inline:([A-Za-z0-9+/=]+)(?:\|(?:2\^\d+|\d+))?$/.exec(line.config);
    if (!match) continue;
    const roomKey = Buffer.from(match[1] as string, 'base64');
    if (roomKey.length !== MASTER_KEY_SALT_BYTES) continue;
    return { tag: line.id, suite: line.suite as SrtpSuite, roomKey };
  }
  return null;
}

/** The hub's side of a medium the room offered SRTP for: a fresh key. */
export function mediumSrtp(crypto: OfferedCrypto): MediumSrtp {
  return { crypto, hubKey: randomBytes(MASTER_KEY_SALT_BYTES) };
}

/** The answer's crypto line for the medium. */
export function answerCrypto(srtp: MediumSrtp): NonNullable<sdpTransform.MediaDescription['crypto']> {
  return [{ id: srtp.crypto.tag, suite: srtp.crypto.suite, config: `inline:${srtp.hubKey.toString('base64')}` }];
}

/** The two contexts of a medium: `inbound` unprotects the room's packets, `outbound` protects the hub's. */
export function srtpContexts(srtp: MediumSrtp): { inbound: SrtpContext; outbound: SrtpContext } {
  return {
    inbound: new SrtpContext(srtp.crypto.suite, srtp.crypto.roomKey),
    outbound: new SrtpContext(srtp.crypto.suite, srtp.hubKey),
  };
}
