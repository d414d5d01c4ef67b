// One FFmpeg process writing what some producers send to one Matroska file,
// without re-encoding: each producer is consumed on its own PlainTransport of
// the meeting's home router (comedia off: mediasoup sends to the ports FFmpeg
// listens on), and FFmpeg reads them through an SDP file. RTP never passes
// through Node; the worker sends it straight to FFmpeg.
//
// Every packet is stamped with the wall clock as it arrives, shifted so that
// the file's timestamps count from the recording's start: each raw file says
// by itself where it sits on the recording's timeline, even when its first
// packet came late (a silent audio slot) or the process was killed.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { recordingSdp } from './sdp.ts';
import { freePortPairs } from './udpPorts.ts';

/** How often a video capture asks for a key frame until FFmpeg wrote its first frame. */
const KEY_FRAME_RETRY_MS = 500;
/** How long a stopped FFmpeg may take to finish its file before it is killed. */
const STOP_GRACE_MS = 5000;

/** How a capture ended: stopped by the hub, or on its own (killed, crashed, out of disk). */
export type CaptureEnd = 'stopped' | 'died' | 'disk_full';

export interface CaptureOptions {
  router: types.Router;
  kind: types.MediaKind;
  producerIds: readonly string[];
  /** The Matroska file written, and the SDP file beside it. */
  file: string;
  /** The recording's start (epoch ms): the file's timestamps count from it. */
  startedAt: number;
  ffmpegPath: string;
  log: Logger;
  /** Called once when FFmpeg exits, with what ended it and the last words of its log. */
  onEnd(end: CaptureEnd, detail: string): void;
}

export class Capture {
  private readonly transports: types.PlainTransport[] = [];
  private readonly consumers: types.Consumer[] = [];
  private process?: ChildProcess;
  private stopping = false;
  private exited?: Promise<void>;
  private keyFrameTimer?: NodeJS.Timeout;
  private stderrTail = '';
  private ended = false;
  /** Frames (video) FFmpeg has written so far. */
  framesWritten = 0;
  private wroteFirstFrame!: () => void;
  /** Resolves once FFmpeg wrote its first video frame (a video capture shows something from then on). */
  readonly firstFrame = new Promise<void>((resolve) => {
    this.wroteFirstFrame = resolve;
  });

  private constructor(private readonly options: CaptureOptions) {}

  static async start(options: CaptureOptions): Promise<Capture> {
    const capture = new Capture(options);
    try {
      await capture.open();
    } catch (err) {
      await capture.stop();
      throw err;
    }
    return capture;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  private async open(): Promise<void> {
    const { router, kind, producerIds, file } = this.options;
    const ports = await freePortPairs(producerIds.length);
    const streams = [];
    for (const [index, producerId] of producerIds.entries()) {
      const port = ports[index] as number;
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
      this.transports.push(transport);
      await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
      const consumer = await transport.consume({
        producerId,
        rtpCapabilities: recordingCapabilities(router.rtpCapabilities, kind),
        paused: true,
      });
      this.consumers.push(consumer);
      streams.push({ kind, port, rtpParameters: consumer.rtpParameters });
    }
    const sdpFile = file.replace(/\.mkv$/, '.sdp');
    fs.writeFileSync(sdpFile, recordingSdp(streams));
    this.spawn(sdpFile);
    for (const consumer of this.consumers) await consumer.resume();
    if (kind === 'video') this.askForKeyFrames();
  }

  private spawn(sdpFile: string): void {
    const { file, startedAt, ffmpegPath } = this.options;
    const offset = `-${(startedAt / 1000).toFixed(3)}`;
    // biome-ignore format: one option per line reads better
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      '-use_wallclock_as_timestamps', '1',
      // Header as soon as the first key frame tells the picture's size; no frame-rate guessing.
      '-analyzeduration', '1000000', '-fpsprobesize', '0',
      '-i', sdpFile,
      '-map', '0', '-c', 'copy',
      '-copyts', '-output_ts_offset', offset,
      // Small clusters flushed at once: a killed process loses at most a second or two.
      '-cluster_time_limit', '1000', '-flush_packets', '1',
      '-f', 'matroska', '-progress', 'pipe:1', '-nostats', '-y', file,
    ];
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.onProgress(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
      child.once('error', (err) => {
        this.stderrTail += err.message;
        this.onExit(null, null);
        resolve();
      });
    });
  }

  private onProgress(chunk: string): void {
    const frames = /frame=(\d+)/.exec(chunk);
    if (frames) this.framesWritten = Number(frames[1]);
    if (this.framesWritten > 0) this.wroteFirstFrame();
  }

  /** Until FFmpeg wrote a first frame (it cannot start without a key frame), ask the sender for one. */
  private askForKeyFrames(): void {
    const ask = () => {
      if (this.stopping || this.framesWritten > 0) return;
      for (const consumer of this.consumers) consumer.requestKeyFrame().catch(() => {});
      this.keyFrameTimer = setTimeout(ask, KEY_FRAME_RETRY_MS);
    };
    ask();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.keyFrameTimer);
    this.closeMedia();
    const detail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    if (this.stopping) {
      this.options.onEnd('stopped', detail);
      return;
    }
    const full = /No space left on device/i.test(this.stderrTail);
    this.options.log.warn(
      { file: this.options.file, code, signal, detail },
      full ? 'recorder stopped: the disk is full' : 'recorder process ended by itself',
    );
    this.options.onEnd(full ? 'disk_full' : 'died', detail || `exit ${code ?? signal}`);
  }

  private closeMedia(): void {
    for (const transport of this.transports) transport.close();
  }

  /** Stops FFmpeg so that it finishes the file (SIGINT), killing it if it does not in time. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.keyFrameTimer);
    const child = this.process;
    if (!child || this.ended) {
      this.closeMedia();
      return;
    }
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killer);
  }
}

/** What a recorder consumes: the router's codecs of that kind without retransmission, and no header extensions. */
function recordingCapabilities(capabilities: types.RtpCapabilities, kind: types.MediaKind): types.RtpCapabilities {
  const codecs = (capabilities.codecs ?? []).filter(
    (c) => c.kind === kind && !c.mimeType.toLowerCase().endsWith('/rtx'),
  );
  return { codecs, headerExtensions: [] };
}
