// The SDP offer/answer of a SIP call (RFC 3264): what the room system offers,
// what the hub takes of it — one audio codec it can mix into (G.722, Opus,
// G.711 µ-law or A-law, in that order of preference) and H.264 packetization
// mode 1 for video — and the answer naming the hub's ports. Anything else
// (a second video for content, BFCP, data) is declined with port 0. A medium
// offered over SRTP (RTP/SAVP, SDES keys: sfu/sip/sdes.ts) is answered over
// SRTP with the hub's own key, as SIP_SRTP allows.
import * as sdpTransform from 'sdp-transform';
import { answerCrypto, isSecureProfile, type MediumSrtp, mediumSrtp, offeredCrypto, type SrtpPolicy } from './sdes.ts';

export const AUDIO_CODECS = ['G722', 'opus', 'PCMU', 'PCMA'] as const;
export type AudioCodecName = (typeof AUDIO_CODECS)[number];

interface Endpoint {
  /** Where the room system receives this medium. */
  address: string;
  port: number;
  /** The medium's profile as offered (RTP/AVP, RTP/SAVP, …): the answer's. */
  protocol: string;
  /** Its SRTP (the room's key and the hub's), null: plain RTP. */
  srtp: MediumSrtp | null;
}

export interface OfferedAudio extends Endpoint {
  codec: AudioCodecName;
  payloadType: number;
  /** The RTP clock (8000 for G.722, as RFC 3551 says, though it samples at 16 kHz). */
  clockRate: number;
  channels: number;
}

export interface OfferedVideo extends Endpoint {
  payloadType: number;
  profileLevelId: string;
  rtcpMux: boolean;
  /** The SSRC the room system announced for its picture (a=ssrc), if it did. */
  ssrc: number | null;
}

export interface SipOffer {
  audio: OfferedAudio | null;
  video: OfferedVideo | null;
  /** The offer's m-lines, in order (the answer has one per m-line). */
  media: sdpTransform.MediaDescription[];
}

type Media = sdpTransform.MediaDescription;

/** An offer the hub cannot answer; `hint` is what the 488's reason phrase tells the room. */
export class SdpError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const NO_CODEC = new SdpError(
  'the offer has no audio codec the hub can mix (G.722, Opus, G.711)',
  'offer G.722, G.711 or Opus',
);

/** The offer as the hub takes it; `policy` is SIP_SRTP. */
export function readOffer(sdp: string, policy: SrtpPolicy): SipOffer {
  const session = sdpTransform.parse(sdp);
  const media = session.media ?? [];
  const sessionAddress = session.connection?.ip;
  const firstAudio = media.find((m) => m.type === 'audio' && m.port !== 0);
  const firstVideo = media.find((m) => m.type === 'video' && m.port !== 0);
  if (!firstAudio) throw NO_CODEC;
  const audioSrtp = srtpOf(firstAudio, policy);
  if (audioSrtp instanceof SdpError) throw audioSrtp;
  const audio = audioOf(firstAudio, sessionAddress, audioSrtp);
  if (!audio) throw NO_CODEC;
  // A video the hub cannot serve as offered (its SRTP, or plain RTP where SRTP is required) is declined.
  const videoSrtp = firstVideo ? srtpOf(firstVideo, policy) : null;
  const video = firstVideo && !(videoSrtp instanceof SdpError) ? videoOf(firstVideo, sessionAddress, videoSrtp) : null;
  return { audio, video, media };
}

/** The medium's SRTP as the policy allows it: the hub's side of it, null for plain RTP, or why not. */
function srtpOf(m: Media, policy: SrtpPolicy): MediumSrtp | null | SdpError {
  if (!isSecureProfile(m.protocol)) {
    if (!/^RTP\/AVPF?$/.test(m.protocol))
      return new SdpError(`media profile ${m.protocol}`, 'offer RTP/AVP or RTP/SAVP');
    if (policy === 'require') return new SdpError('plain RTP offered; SIP_SRTP=require', 'SRTP required');
    return null;
  }
  if (policy === 'off') return new SdpError('SRTP offered; SIP_SRTP=off', 'SRTP not served, offer RTP/AVP');
  const crypto = offeredCrypto(m.crypto);
  if (!crypto) {
    return new SdpError(
      `no a=crypto line the hub serves (${(m.crypto ?? []).map((c) => c.suite).join(', ') || 'none'})`,
      'offer SDES AES_CM_128_HMAC_SHA1_80',
    );
  }
  return mediumSrtp(crypto);
}

function addressOf(m: Media, sessionAddress: string | undefined): string {
  const address = m.connection?.ip ?? sessionAddress;
  if (!address) throw new SdpError('the offer names no connection address', 'no connection address');
  return address;
}

function audioOf(m: Media, sessionAddress: string | undefined, srtp: MediumSrtp | null): OfferedAudio | null {
  for (const name of AUDIO_CODECS) {
    const rtp = m.rtp.find((r) => r.codec.toLowerCase() === name.toLowerCase());
    if (!rtp) continue;
    return {
      codec: name,
      payloadType: rtp.payload,
      clockRate: rtp.rate ?? 8000,
      channels: Number(rtp.encoding ?? 1),
      address: addressOf(m, sessionAddress),
      port: m.port,
      protocol: m.protocol,
      srtp,
    };
  }
  return null;
}

function videoOf(m: Media, sessionAddress: string | undefined, srtp: MediumSrtp | null): OfferedVideo | null {
  for (const rtp of m.rtp) {
    if (rtp.codec.toLowerCase() !== 'h264') continue;
    const params = sdpTransform.parseParams(m.fmtp.find((f) => f.payload === rtp.payload)?.config ?? '');
    if (String(params['packetization-mode'] ?? '0') !== '1') continue;
    const ssrc = m.ssrcs?.find((s) => s.attribute === 'cname')?.id;
    return {
      payloadType: rtp.payload,
      profileLevelId: String(params['profile-level-id'] ?? '42e01f'),
      rtcpMux: m.rtcpMux !== undefined,
      ssrc: ssrc === undefined ? null : Number(ssrc),
      address: addressOf(m, sessionAddress),
      port: m.port,
      protocol: m.protocol,
      srtp,
    };
  }
  return null;
}

export interface AnswerPorts {
  /** The hub's address the room system sends to. */
  address: string;
  audioPort: number;
  /** Null: the video m-line is declined. */
  video: { port: number; rtcpPort: number } | null;
}

/** The answer: the chosen codec on each accepted m-line, every other m-line declined. */
export function answerSdp(offer: SipOffer, ports: AnswerPorts, sessionId: number): string {
  const media = offer.media.map((m): Media => {
    if (offer.audio && m.type === 'audio' && m.port === offer.audio.port)
      return audioAnswer(offer.audio, ports.audioPort);
    if (offer.video && ports.video && m.type === 'video' && m.port === offer.video.port) {
      return videoAnswer(offer.video, ports.video);
    }
    return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] };
  });
  return sdpTransform.write({
    version: 0,
    origin: {
      username: 'diemcau',
      sessionId,
      sessionVersion: 1,
      netType: 'IN',
      ipVer: 4,
      address: ports.address,
    },
    name: 'diemcau',
    connection: { version: 4, ip: ports.address },
    timing: { start: 0, stop: 0 },
    media,
  });
}

function audioAnswer(audio: OfferedAudio, port: number): Media {
  const channels = audio.codec === 'opus' ? 2 : undefined;
  return {
    type: 'audio',
    port,
    protocol: audio.srtp ? audio.protocol : 'RTP/AVP',
    ...(audio.srtp && { crypto: answerCrypto(audio.srtp) }),
    payloads: String(audio.payloadType),
    rtp: [{ payload: audio.payloadType, codec: audio.codec, rate: audio.clockRate, encoding: channels }],
    fmtp: [],
    ptime: 20,
    direction: 'sendrecv',
  };
}

function videoAnswer(video: OfferedVideo, ports: { port: number; rtcpPort: number }): Media {
  const pt = video.payloadType;
  return {
    type: 'video',
    port: ports.port,
    protocol: video.srtp ? video.protocol : 'RTP/AVP',
    ...(video.srtp && { crypto: answerCrypto(video.srtp) }),
    payloads: String(pt),
    rtp: [{ payload: pt, codec: 'H264', rate: 90000 }],
    fmtp: [{ payload: pt, config: `packetization-mode=1;profile-level-id=${video.profileLevelId}` }],
    rtcpFb: [
      { payload: String(pt), type: 'nack' },
      { payload: String(pt), type: 'nack', subtype: 'pli' },
      { payload: String(pt), type: 'ccm', subtype: 'fir' },
    ],
    ...(video.rtcpMux ? { rtcpMux: 'rtcp-mux' } : { rtcp: { port: ports.rtcpPort } }),
    direction: 'sendrecv',
  };
}
