// The meeting's main picture for a room system. An H.264 picture (another room
// system on stage, a browser sending H.264) is forwarded as it is, on the leg's
// own PlainTransport. Anything else (browsers send VP8 today) is adapted by
// one FFmpeg per leg: consumed on a loopback PlainTransport, decoded, encoded
// as constrained-baseline H.264 (packetization mode 1) and sent to the room.
// A new main picture replaces the adapter (a new FFmpeg starts on a key frame);
// until FFmpeg shows its first frame the hub asks the source for key frames.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { types } from 'mediasoup';
import { recordingSdp } from '../recording/sdp.ts';
import { freePortPairs } from '../recording/udpPorts.ts';
import { MediaProcess } from './MediaProcess.ts';
import type { OfferedVideo } from './sdpOffer.ts';

/** How often the source is asked for a key frame until FFmpeg decoded one. */
const KEY_FRAME_RETRY_MS = 500;
/** A key frame at least this often (frames): a room that lost one recovers within about two seconds. */
const GOP_FRAMES = 50;

export interface VideoAdapterOptions {
  router: types.Router;
  /** The leg's transport to the room (comedia): H.264 pictures go out on it as they are. */
  toRoom: types.PlainTransport;
  video: OfferedVideo;
  ffmpegPath: string;
  kbps: number;
  onDied(detail: string): void;
}

interface Showing {
  producerId: string;
  consumer: types.Consumer;
  transport?: types.PlainTransport;
  process?: MediaProcess;
  sdpFile?: string;
  keyFrames?: NodeJS.Timeout;
}

export class VideoAdapter {
  private showing: Showing | null = null;
  /** The call ended: no picture is shown any more, even one on its way. */
  private closed = false;
  /** Frames FFmpeg encoded for the room (0 while it forwards as it is). */
  framesSent = 0;

  constructor(private readonly options: VideoAdapterOptions) {}

  get pid(): number | undefined {
    return this.showing?.process?.pid;
  }

  /** What producer the room sees now. */
  get producerId(): string | null {
    return this.showing?.producerId ?? null;
  }

  /** Shows `producer` (null: nothing) to the room; the same producer again changes nothing. */
  async show(producer: types.Producer | null): Promise<void> {
    if (this.showing?.producerId === (producer?.id ?? null)) return;
    await this.stop();
    if (!producer || producer.closed || this.closed) return;
    const h264 = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase() === 'video/h264';
    this.showing = h264 ? await this.forward(producer) : await this.adapt(producer);
    // Closed while it was being set up: it goes at once.
    if (this.closed) await this.stop();
  }

  /** The call ended: stops what is shown, and anything still being set up once it is. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private async forward(producer: types.Producer): Promise<Showing> {
    const { router, toRoom } = this.options;
    const consumer = await toRoom.consume({ producerId: producer.id, rtpCapabilities: h264Capabilities(router) });
    return { producerId: producer.id, consumer };
  }

  private async adapt(producer: types.Producer): Promise<Showing> {
    const { router } = this.options;
    const [port] = await freePortPairs(1);
    const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
    await transport.connect({ ip: '127.0.0.1', port: port as number, rtcpPort: (port as number) + 1 });
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: sourceCapabilities(router, producer),
      paused: true,
    });
    const sdpFile = path.join(os.tmpdir(), `diemcau-sip-video-${consumer.id}.sdp`);
    fs.writeFileSync(
      sdpFile,
      recordingSdp([{ kind: 'video', port: port as number, rtpParameters: consumer.rtpParameters }]),
    );
    const showing: Showing = { producerId: producer.id, consumer, transport, sdpFile };
    this.framesSent = 0;
    const process = new MediaProcess({
      ffmpegPath: this.options.ffmpegPath,
      args: this.args(sdpFile),
      onDied: (detail) => this.options.onDied(detail),
    });
    showing.process = process;
    process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const frames = /frame=(\d+)/.exec(chunk);
      if (frames) this.framesSent = Number(frames[1]);
    });
    await consumer.resume();
    const ask = () => {
      if (this.framesSent > 0 || consumer.closed) return;
      consumer.requestKeyFrame().catch(() => {});
      showing.keyFrames = setTimeout(ask, KEY_FRAME_RETRY_MS);
    };
    ask();
    return showing;
  }

  private args(sdpFile: string): string[] {
    const { video, kbps } = this.options;
    // biome-ignore format: one option per line reads better
    return [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      '-fflags', 'nobuffer', '-max_delay', '100000', '-analyzeduration', '1000000', '-fpsprobesize', '0',
      '-i', sdpFile,
      '-map', '0:v', '-vf', "scale=-2:'min(720,ih)',fps=25",
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
      '-profile:v', 'baseline', '-level', '3.1', '-pix_fmt', 'yuv420p',
      '-g', String(GOP_FRAMES), '-bf', '0',
      '-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`,
      '-payload_type', String(video.payloadType),
      '-f', 'rtp', `rtp://${video.address}:${video.port}?pkt_size=1200`,
      '-progress', 'pipe:1', '-nostats',
    ];
  }

  async stop(): Promise<void> {
    const showing = this.showing;
    this.showing = null;
    if (!showing) return;
    clearTimeout(showing.keyFrames);
    await showing.process?.stop();
    showing.consumer.close();
    showing.transport?.close();
    if (showing.sdpFile) fs.rmSync(showing.sdpFile, { force: true });
  }
}

/** The router's H.264 (packetization mode 1) with its feedback: what a room system takes as it is. */
function h264Capabilities(router: types.Router): types.RtpCapabilities {
  const codecs = (router.rtpCapabilities.codecs ?? []).filter(
    (c) => c.mimeType.toLowerCase() === 'video/h264' && String(c.parameters?.['packetization-mode']) === '1',
  );
  return { codecs, headerExtensions: [] };
}

/** What FFmpeg consumes: the producer's own codec, no retransmission, no header extensions. */
function sourceCapabilities(router: types.Router, producer: types.Producer): types.RtpCapabilities {
  const mimeType = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase();
  const codecs = (router.rtpCapabilities.codecs ?? []).filter((c) => c.mimeType.toLowerCase() === mimeType);
  return { codecs, headerExtensions: [] };
}
