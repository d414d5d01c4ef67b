// Where a recording's files live: RECORDINGS_DIR/<recording id>/ holds the raw
// tracks captured while the meeting ran, the timeline of what the sites saw and
// heard, and (once built and verified) the one MP4 handed to users. The
// capture, the build and the archive all find them through these names.
import path from 'node:path';

/** The folder of one recording. */
export function recordingDir(recordingsDir: string, recordingId: string): string {
  return path.join(recordingsDir, recordingId);
}

/** The built, verified file users download (exists only when the recording's status is ready). */
export function recordingMp4(recordingsDir: string, recordingId: string): string {
  return path.join(recordingDir(recordingsDir, recordingId), 'recording.mp4');
}

/** The hub's events of the recording, one JSON object per line, appended while it runs. */
export function recordingTimeline(recordingsDir: string, recordingId: string): string {
  return path.join(recordingDir(recordingsDir, recordingId), 'timeline.jsonl');
}

/** The raw tracks' folder (kept until the MP4 is verified). */
export function recordingRawDir(recordingsDir: string, recordingId: string): string {
  return path.join(recordingDir(recordingsDir, recordingId), 'raw');
}
