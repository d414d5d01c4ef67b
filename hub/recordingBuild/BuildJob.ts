// Builds one recording's MP4 after capture ended: places its raw tracks on the
// timeline, encodes them in a child FFmpeg run under `nice` (progress read from
// `-progress pipe:1`), checks the result with FFprobe (H.264 and AAC, as long
// as the recording within a second), and only then renames it to the name
// users download and deletes the raw tracks. Anything short of that leaves the
// raw tracks where they are and says what went wrong.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { recordingDir, recordingMp4, recordingRawDir, recordingTimeline } from '../../scheduler/recordingFiles.ts';
import { readTimeline, type TimelineLine } from '../../sfu/recording/Timeline.ts';
import { buildArgs, type PlacedTrack } from './buildPlan.ts';
import { probe } from './probe.ts';

/** How far the built file's length may be from the recorded time. */
const DURATION_TOLERANCE_S = 1;

export interface BuildJobOptions {
  recordingsDir: string;
  recordingId: string;
  ffmpegPath: string;
  ffprobePath: string;
  log: Logger;
  /** 0..1, at most once a second. */
  onProgress(fraction: number): void;
}

export interface Built {
  durationMs: number;
  sizeBytes: number;
}

/** A build that failed, with the words users see. */
export class BuildError extends Error {}

export class BuildJob {
  private child?: ChildProcess;
  private cancelled = false;

  constructor(private readonly options: BuildJobOptions) {}

  /** Stops the build (the hub stops); the recording stays building and is built again at the next start. */
  cancel(): void {
    this.cancelled = true;
    this.child?.kill('SIGKILL');
  }

  async run(): Promise<Built> {
    const { recordingsDir, recordingId } = this.options;
    const timeline = readTimeline(recordingTimeline(recordingsDir, recordingId));
    const started = timeline.find((l) => l.type === 'started');
    if (started?.type !== 'started') throw new BuildError('Không có dòng thời gian của bản ghi (no timeline).');
    const { tracks, durationS } = await this.place(timeline, Date.parse(started.at));
    if (durationS < 0.5 || tracks.length === 0) {
      throw new BuildError('Không có dữ liệu nào được ghi (nothing was recorded).');
    }
    const output = path.join(recordingDir(recordingsDir, recordingId), 'recording.building.mp4');
    fs.rmSync(output, { force: true });
    await this.encode(buildArgs(tracks, durationS, output), durationS);
    const sizeBytes = await this.verify(output, durationS);
    fs.renameSync(output, recordingMp4(recordingsDir, recordingId));
    fs.rmSync(recordingRawDir(recordingsDir, recordingId), { recursive: true, force: true });
    return { durationMs: Math.round(durationS * 1000), sizeBytes };
  }

  /**
   * Where each raw file sits: it starts where its own timestamps say, and ends
   * where the timeline says (or, cut by a crash, when it was last written). The
   * recording lasts until its stop, or until the last write before a crash.
   */
  private async place(
    timeline: TimelineLine[],
    startedAt: number,
  ): Promise<{ tracks: PlacedTrack[]; durationS: number }> {
    const { recordingsDir, recordingId, ffprobePath } = this.options;
    const raw = recordingRawDir(recordingsDir, recordingId);
    const ends = new Map<string, number>();
    let stoppedS: number | null = null;
    for (const line of timeline) {
      if (line.type === 'segmentEnd') ends.set(line.file, line.ms / 1000);
      if (line.type === 'stopped') stoppedS = line.ms / 1000;
    }
    const tracks: PlacedTrack[] = [];
    let lastWriteS = 0;
    for (const line of timeline) {
      if (line.type !== 'segment') continue;
      const file = path.join(raw, line.file);
      const probed = fs.existsSync(file) ? await probe(ffprobePath, file) : null;
      if (!probed) continue;
      const writtenS = (fs.statSync(file).mtimeMs - startedAt) / 1000;
      lastWriteS = Math.max(lastWriteS, writtenS);
      tracks.push({
        file,
        role: line.role,
        kind: line.kind,
        startS: probed.startS,
        endS: ends.get(line.file) ?? stoppedS ?? writtenS,
        audioStreams: probed.streams.filter((s) => s.kind === 'audio').length,
      });
    }
    return { tracks, durationS: stoppedS ?? lastWriteS };
  }

  private encode(args: string[], durationS: number): Promise<void> {
    const { ffmpegPath, onProgress, log, recordingId } = this.options;
    return new Promise((resolve, reject) => {
      if (this.cancelled) return reject(new BuildError('cancelled'));
      const child = spawn('nice', ['-n', '10', ffmpegPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let stderr = '';
      let reportedAt = 0;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const done = /out_time_us=(\d+)/.exec(chunk);
        if (!done || Date.now() - reportedAt < 1000) return;
        reportedAt = Date.now();
        onProgress(Math.min(0.99, Number(done[1]) / 1e6 / durationS));
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-4000);
      });
      child.once('error', (err) => reject(new BuildError(`Không chạy được FFmpeg (${err.message}).`)));
      child.once('exit', (code, signal) => {
        if (code === 0) return resolve();
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        log.warn({ recordingId, code, signal, stderr: tail }, 'recording build failed');
        if (/No space left/i.test(stderr)) return reject(new BuildError('Ổ đĩa đã đầy khi dựng tệp MP4 (disk full).'));
        reject(new BuildError(`FFmpeg dừng khi dựng tệp MP4 (exit ${code ?? signal}): ${tail}`));
      });
    });
  }

  /** The built file has H.264 video and AAC audio and lasts as long as the recording; its size. */
  private async verify(output: string, durationS: number): Promise<number> {
    const probed = await probe(this.options.ffprobePath, output);
    const codecs = probed?.streams.map((s) => `${s.kind}:${s.codec}`) ?? [];
    if (!probed || !codecs.includes('video:h264') || !codecs.includes('audio:aac')) {
      throw new BuildError(`Tệp MP4 dựng ra thiếu hình hoặc tiếng (streams: ${codecs.join(', ') || 'none'}).`);
    }
    if (probed.durationS === null || Math.abs(probed.durationS - durationS) > DURATION_TOLERANCE_S) {
      throw new BuildError(
        `Tệp MP4 dài ${probed.durationS ?? '?'} s thay vì ${durationS.toFixed(1)} s (duration check failed).`,
      );
    }
    return fs.statSync(output).size;
  }
}
