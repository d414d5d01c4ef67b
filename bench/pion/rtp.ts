// The RTP side of a Pion bot's signaling, built by hand as mediasoup-client's
// handlers would from a browser's SDP: the capabilities it tells the hub
// (opus and VP8, no RTX, no bandwidth estimation), and the RTP parameters of
// what it produces (opus with ssrc-audio-level; VP8 as simulcast on SSRCs).

import type { RtpCapabilities, RtpParameters } from 'mediasoup-client/types';
import type { ConsumerOptions } from '../../contract/signaling.ts';
import type { EngineCommand } from './engine.ts';
import type { SimulcastProfile } from './types.ts';

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** Our own payload types and extension id: mediasoup maps them to the router's. */
const OPUS_PT = 111;
const VP8_PT = 96;
const AUDIO_LEVEL_ID = 1;

/** -dBov written while the bot "speaks", and while it is quiet (below the observer's threshold). */
export const LOUD_DBOV = 12;
export const QUIET_DBOV = 127;

/**
 * What the bot can receive: the router's opus and VP8 with NACK and PLI
 * feedback only. Leaving out RTX, transport-cc and REMB keeps the hub from
 * sending what the engine would not use (retransmissions, bandwidth probes).
 */
export function botCapabilities(router: RtpCapabilities): RtpCapabilities {
  const codecs = (router.codecs ?? [])
    .filter((c) => c.mimeType.toLowerCase() === 'audio/opus' || c.mimeType.toLowerCase() === 'video/vp8')
    .map((c) => ({
      ...c,
      rtcpFeedback: (c.rtcpFeedback ?? []).filter(
        (fb) => (fb.type === 'nack' && (!fb.parameter || fb.parameter === 'pli')) || fb.type === 'ccm',
      ),
    }));
  return { codecs, headerExtensions: [] };
}

function randomSsrc(): number {
  return 1 + Math.floor(Math.random() * 0xfffffffe);
}

export function audioParameters(cname: string): { rtpParameters: RtpParameters; ssrc: number } {
  const ssrc = randomSsrc();
  return {
    ssrc,
    rtpParameters: {
      codecs: [
        {
          mimeType: 'audio/opus',
          payloadType: OPUS_PT,
          clockRate: 48000,
          channels: 2,
          parameters: { useinbandfec: 1 },
          rtcpFeedback: [],
        },
      ],
      headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_ID }],
      encodings: [{ ssrc }],
      rtcp: { cname, reducedSize: true },
    },
  };
}

export function videoParameters(
  cname: string,
  profile: SimulcastProfile,
): { rtpParameters: RtpParameters; ssrcs: number[] } {
  const ssrcs = profile.layers.map(() => randomSsrc());
  return {
    ssrcs,
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/VP8',
          payloadType: VP8_PT,
          clockRate: 90000,
          parameters: {},
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        },
      ],
      headerExtensions: [],
      // Lowest layer first, as a browser lists them; L1T3 as the client's camera.
      encodings: profile.layers.map((layer, i) => ({
        ssrc: ssrcs[i],
        maxBitrate: layer.kbps * 1000,
        scalabilityMode: 'L1T3',
      })),
      rtcp: { cname, reducedSize: true },
    },
  };
}

export function audioSend(transport: string, stream: string, ssrc: number, speaking: boolean): EngineCommand {
  return {
    op: 'send',
    transport,
    stream,
    kind: 'audio',
    payloadType: OPUS_PT,
    ssrc,
    audioLevelId: AUDIO_LEVEL_ID,
    level: speaking ? LOUD_DBOV : QUIET_DBOV,
  };
}

export function videoSend(
  transport: string,
  stream: string,
  ssrcs: number[],
  profile: SimulcastProfile,
): EngineCommand {
  return {
    op: 'send',
    transport,
    stream,
    kind: 'video',
    payloadType: VP8_PT,
    layers: profile.layers.map((layer, i) => ({ ...layer, ssrc: ssrcs[i] ?? 0 })),
    keyFrameEverySec: profile.keyFrameEverySec,
  };
}

/** The engine's receive command for a consumer the hub created. */
export function receiveCommand(transport: string, consumer: ConsumerOptions): EngineCommand {
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (!ssrc) throw new Error(`consumer ${consumer.id} has no SSRC`);
  return { op: 'receive', transport, receiver: consumer.id, ssrc };
}
