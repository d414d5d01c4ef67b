// The post-meeting builds of the hub's recordings, one at a time in the
// background: each stopped recording is queued, its row follows the build
// (progress, then ready or failed), and at hub start the recordings an earlier
// run left capturing or building are built (again) from scratch.
import type { Logger } from 'pino';
import type { Db } from '../../scheduler/db.ts';
import {
  recordingFailed,
  recordingProgress,
  recordingReady,
  recordingsInterrupted,
} from '../../scheduler/recordingStatus.ts';
import { BuildError, BuildJob } from './BuildJob.ts';

export interface RecordingBuildsOptions {
  db: Db;
  recordingsDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  log: Logger;
}

export class RecordingBuilds {
  private tail: Promise<void> = Promise.resolve();
  private current?: BuildJob;
  private closed = false;

  constructor(private readonly options: RecordingBuildsOptions) {}

  /** Recordings the last run left unfinished are built now. */
  async resumeAtStart(): Promise<void> {
    for (const id of await recordingsInterrupted(this.options.db, new Date())) this.enqueue(id);
  }

  enqueue(recordingId: string): void {
    this.tail = this.tail.then(() => this.build(recordingId));
  }

  /** Resolves when every queued build is done (tests, the benchmark). */
  idle(): Promise<void> {
    return this.tail;
  }

  private async build(recordingId: string): Promise<void> {
    if (this.closed) return;
    const { db, log } = this.options;
    const started = Date.now();
    const job = new BuildJob({
      ...this.options,
      recordingId,
      onProgress: (fraction) => void recordingProgress(db, recordingId, fraction).catch(() => {}),
    });
    this.current = job;
    try {
      const built = await job.run();
      await recordingReady(db, recordingId, built.durationMs, built.sizeBytes);
      log.info({ recordingId, ...built, buildMs: Date.now() - started }, 'recording built');
    } catch (err) {
      // Stopped with the hub: still building, built again at the next start.
      if (this.closed) return;
      const words = err instanceof BuildError ? err.message : `Lỗi khi dựng tệp MP4: ${(err as Error).message}`;
      log.error({ recordingId, err: (err as Error).message }, 'recording build failed; raw tracks kept');
      await recordingFailed(db, recordingId, words).catch(() => {});
    } finally {
      this.current = undefined;
    }
  }

  close(): void {
    this.closed = true;
    this.current?.cancel();
  }
}
