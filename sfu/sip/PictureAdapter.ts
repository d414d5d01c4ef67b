// One meeting picture adapted for room systems: a picture that is not H.264
// (browsers send VP8 today) is consumed on a loopback PlainTransport, decoded
// by FFmpeg, encoded as constrained-baseline H.264 (packetization mode 1) and
// sent back into the same router, where it is a producer of its own. Every
// room system that shows this picture consumes that producer like an H.264
// source: one encoder however many rooms watch (sfu/sip/MeetingPictures.ts
// shares it).
//
// Key frames: FFmpeg cannot be told at run time to make one, and restarting
// it takes a second or more. It is started with `-force_key_frames
// source_no_drop`: an H.264 key frame follows every key frame of the source.
// A room's request (RTCP PLI/FIR on its leg's consumer, or SIP INFO
// picture_fast_update: sfu/sip/LegPicture.ts) is passed on to the source as a
// PLI; the browser answers with a VP8 key frame, which comes out as an H.264
// IDR about 0.1 s after it arrives (mediasoup does not pass a consumer's PLI to
// a PlainTransport producer's sender in a way FFmpeg could hear: FFmpeg reads
// no RTCP).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { types } from 'mediasoup';
import { recordingSdp } from '../recording/sdp.ts';
import { freePortPairs } from '../recording/udpPorts.ts';
import { MediaProcess } from './MediaProcess.ts';

/** How often the source is asked for a key frame until FFmpeg decoded one. */
const KEY_FRAME_RETRY_MS = 500;
/** A key frame at least this often (frames at 25/s) even if nobody asks: rooms that do not ask still recover. */
const GOP_FRAMES = 250;
/** The payload type and profile of the adapted picture in the router. */
const OUTPUT_PAYLOAD_TYPE = 102;
export const ADAPTED_PROFILE = '42e01f';

export interface PictureAdapterOptions {
  /** The router the source lives on: the adapted picture is produced there too. */
  router: types.Router;
  source: types.Producer;
  ffmpegPath: string;
  kbps: number;
  onDied(detail: string): void;
}

export class PictureAdapter {
  private input?: types.PlainTransport;
  private consumer?: types.Consumer;
  private output?: types.PlainTransport;
  private process?: MediaProcess;
  private sdpFile = '';
  private keyFrames?: NodeJS.Timeout;
  private stopped = false;
  /** The adapted picture: an H.264 producer in the source's router. */
  producer?: types.Producer;
  /** Frames FFmpeg encoded so far. */
  framesSent = 0;
  /** Key frames asked of the source on a room's behalf. */
  keyFrameRequests = 0;

  constructor(private readonly options: PictureAdapterOptions) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const { router, source } = this.options;
    const ssrc = 1 + Math.floor(Math.random() * 0x7ffffffe);
    this.output = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: true });
    this.producer = await this.output.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: OUTPUT_PAYLOAD_TYPE,
            clockRate: 90000,
            parameters: { 'packetization-mode': 1, 'profile-level-id': ADAPTED_PROFILE, 'level-asymmetry-allowed': 1 },
            rtcpFeedback: [
              { type: 'nack', parameter: 'pli' },
              { type: 'ccm', parameter: 'fir' },
            ],
          },
        ],
        encodings: [{ ssrc }],
        rtcp: { cname: `sip-adapter-${source.id}`, reducedSize: true },
      },
      appData: { adaptedFrom: source.id },
    });
    const [port] = await freePortPairs(1);
    this.input = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
    await this.input.connect({ ip: '127.0.0.1', port: port as number, rtcpPort: (port as number) + 1 });
    this.consumer = await this.input.consume({
      producerId: source.id,
      rtpCapabilities: sourceCapabilities(router, source),
      paused: true,
    });
    this.sdpFile = path.join(os.tmpdir(), `diemcau-sip-video-${this.consumer.id}.sdp`);
    fs.writeFileSync(
      this.sdpFile,
      recordingSdp([{ kind: 'video', port: port as number, rtpParameters: this.consumer.rtpParameters }]),
    );
    if (this.stopped) return;
    const process = new MediaProcess({
      ffmpegPath: this.options.ffmpegPath,
      args: this.args(ssrc),
      onDied: (detail) => this.options.onDied(detail),
    });
    this.process = process;
    process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const frames = /frame=(\d+)/.exec(chunk);
      if (frames) this.framesSent = Number(frames[1]);
    });
    await this.consumer.resume();
    const consumer = this.consumer;
    const ask = () => {
      if (this.framesSent > 0 || consumer.closed) return;
      consumer.requestKeyFrame().catch(() => {});
      this.keyFrames = setTimeout(ask, KEY_FRAME_RETRY_MS);
    };
    ask();
  }

  /** A room asked for a key frame: the source is asked for one, which FFmpeg turns into an IDR. */
  keyFrame(): void {
    if (!this.consumer || this.consumer.closed) return;
    this.keyFrameRequests++;
    this.consumer.requestKeyFrame().catch(() => {});
  }

  private args(ssrc: number): string[] {
    const { kbps } = this.options;
    const rtcpPort = this.output?.rtcpTuple?.localPort;
    const port = this.output?.tuple.localPort;
    // biome-ignore format: one option per line reads better
    return [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      '-fflags', 'nobuffer', '-max_delay', '100000', '-analyzeduration', '1000000', '-fpsprobesize', '0',
      '-i', this.sdpFile,
      '-map', '0:v', '-vf', "scale=-2:'min(720,ih)',fps=25",
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
      '-profile:v', 'baseline', '-level', '3.1', '-pix_fmt', 'yuv420p',
      '-g', String(GOP_FRAMES), '-bf', '0', '-force_key_frames', 'source_no_drop',
      // SPS and PPS before every key frame: mediasoup takes a key frame for one only where it sees an SPS.
      '-bsf:v', 'dump_extra=freq=keyframe',
      '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`,
      '-payload_type', String(OUTPUT_PAYLOAD_TYPE), '-ssrc', String(ssrc),
      '-f', 'rtp', `rtp://127.0.0.1:${port}?rtcpport=${rtcpPort}&pkt_size=1200`,
      '-progress', 'pipe:1', '-nostats',
    ];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.keyFrames);
    await this.process?.stop();
    this.input?.close();
    this.output?.close();
    if (this.sdpFile) fs.rmSync(this.sdpFile, { force: true });
  }
}

/** What FFmpeg consumes: the producer's own codec, no retransmission, no header extensions. */
function sourceCapabilities(router: types.Router, producer: types.Producer): types.RtpCapabilities {
  const mimeType = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase();
  const codecs = (router.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType.toLowerCase() === mimeType);
  return { codecs, headerExtensions: [] };
}
