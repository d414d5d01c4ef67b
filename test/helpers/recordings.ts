// Ready recordings without running a meeting's capture: a real MP4 made by
// FFmpeg (H.264 test pattern + AAC tone, playable by Chromium) placed where the
// build puts it, and the Recording row the build would leave.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../hub/Hub.ts';
import { recordingDir, recordingMp4, recordingRawDir } from '../../scheduler/recordingFiles.ts';

/** An MP4 of `seconds` in a temp folder (the caller removes it). */
export function makeTestMp4(seconds: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-mp4-'));
  const file = path.join(dir, 'test.mp4');
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc=d=${seconds}:size=320x240:rate=25`],
      ...['-f', 'lavfi', '-i', `sine=d=${seconds}`],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-movflags', '+faststart'],
      file,
    ],
    { stdio: 'inherit' },
  );
  return file;
}

export interface RecordingSeed {
  meetingId: string;
  status?: 'recording' | 'building' | 'ready' | 'failed';
  startedAt?: Date;
  startedById?: string | null;
  stopReason?: string | null;
  buildProgress?: number;
  error?: string | null;
}

/** A Recording row; a ready one gets `mp4` copied to its place, the others a raw track (capture's leftovers). */
export async function seedRecording(hub: Hub, seed: RecordingSeed, mp4: string, durationMs = 0): Promise<string> {
  const status = seed.status ?? 'ready';
  const startedAt = seed.startedAt ?? new Date(Date.now() - 3600_000);
  const size = status === 'ready' ? fs.statSync(mp4).size : null;
  const row = await hub.scheduler.db.recording.create({
    data: {
      meetingId: seed.meetingId,
      status,
      startedAt,
      stoppedAt: status === 'recording' ? null : new Date(startedAt.getTime() + durationMs),
      startedById: seed.startedById ?? null,
      stopReason: seed.stopReason ?? (status === 'recording' ? null : 'chair'),
      buildProgress: seed.buildProgress ?? (status === 'ready' ? 1 : 0),
      durationMs: status === 'ready' ? durationMs : null,
      sizeBytes: size === null ? null : BigInt(size),
      error: seed.error ?? null,
    },
  });
  const dir = hub.config.RECORDINGS_DIR;
  fs.mkdirSync(recordingDir(dir, row.id), { recursive: true });
  if (status === 'ready') fs.copyFileSync(mp4, recordingMp4(dir, row.id));
  else {
    fs.mkdirSync(recordingRawDir(dir, row.id), { recursive: true });
    fs.writeFileSync(path.join(recordingRawDir(dir, row.id), 'chair-video.mkv'), Buffer.alloc(4096, 1));
  }
  return row.id;
}
