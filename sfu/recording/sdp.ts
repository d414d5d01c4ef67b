// The SDP FFmpeg reads to receive a recording's RTP: one m-line per consumer,
// each on the port pair (RTP, RTCP = RTP + 1) the hub found free for it. The
// payload type, codec and clock are the consumer's, as mediasoup sends them.
import type { types } from 'mediasoup';

export interface SdpStream {
  kind: types.MediaKind;
  port: number;
  rtpParameters: types.RtpParameters;
}

export function recordingSdp(streams: readonly SdpStream[]): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=diemcau recording', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const { kind, port, rtpParameters } of streams) {
    const codec = rtpParameters.codecs[0];
    if (!codec) throw new Error('a recorded consumer has no codec');
    const pt = codec.payloadType;
    const name = codec.mimeType.split('/')[1];
    const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
    lines.push(`m=${kind} ${port} RTP/AVP ${pt}`, `a=rtpmap:${pt} ${name}/${codec.clockRate}${channels}`);
    const fmtp = Object.entries(codec.parameters ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(';');
    if (fmtp) lines.push(`a=fmtp:${pt} ${fmtp}`);
    lines.push('a=recvonly');
  }
  return `${lines.join('\r\n')}\r\n`;
}
