// The SDP offer/answer of a SIP call (RFC 3264): what the room system offers,
// what the hub takes of it — one audio codec it can mix into (G.722, Opus,
// G.711 µ-law or A-law, in that order of preference) and H.264 packetization
// mode 1 for video — and the answer naming the hub's ports. Anything else
// (a second video for content, BFCP, data) is declined with port 0.
import * as sdpTransform from 'sdp-transform';

export const AUDIO_CODECS = ['G722', 'opus', 'PCMU', 'PCMA'] as const;
export type AudioCodecName = (typeof AUDIO_CODECS)[number];

interface Endpoint {
  /** Where the room system receives this medium. */
  address: string;
  port: number;
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

export class SdpError extends Error {}

export function readOffer(sdp: string): SipOffer {
  const session = sdpTransform.parse(sdp);
  const media = session.media ?? [];
  const sessionAddress = session.connection?.ip;
  const firstAudio = media.find((m) => m.type === 'audio' && m.port !== 0);
  const firstVideo = media.find((m) => m.type === 'video' && m.port !== 0);
  const audio = firstAudio ? audioOf(firstAudio, sessionAddress) : null;
  if (!audio) throw new SdpError('the offer has no audio codec the hub can mix (G.722, Opus, G.711)');
  return { audio, video: firstVideo ? videoOf(firstVideo, sessionAddress) : null, media };
}

function addressOf(m: Media, sessionAddress: string | undefined): string {
  const address = m.connection?.ip ?? sessionAddress;
  if (!address) throw new SdpError('the offer names no connection address');
  return address;
}

function audioOf(m: Media, sessionAddress: string | undefined): OfferedAudio | null {
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
    };
  }
  return null;
}

function videoOf(m: Media, sessionAddress: string | undefined): OfferedVideo | null {
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
    protocol: 'RTP/AVP',
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
    protocol: 'RTP/AVP',
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
