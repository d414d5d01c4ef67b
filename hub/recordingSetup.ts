// How the hub records meetings: the SFU's recorders write under RECORDINGS_DIR
// with FFmpeg, the scheduler keeps the rows and the audit trail, and every
// stopped recording goes to the background builds (hub/recordingBuild/).
import type { Logger } from 'pino';
import type { Db } from '../scheduler/db.ts';
import { autoRecordAt, recordingStarted, recordingStopped } from '../scheduler/recordingStatus.ts';
import type { RecordingSetup } from '../sfu/recording/MeetingRecording.ts';
import type { Config } from './config.ts';
import { RecordingBuilds } from './recordingBuild/RecordingBuilds.ts';

export function recordingSetup(
  config: Config,
  db: Db,
  log: Logger,
): { setup: RecordingSetup; builds: RecordingBuilds } {
  const builds = new RecordingBuilds({
    db,
    recordingsDir: config.RECORDINGS_DIR,
    ffmpegPath: config.FFMPEG_PATH,
    ffprobePath: config.FFPROBE_PATH,
    log,
  });
  const setup: RecordingSetup = {
    recordingsDir: config.RECORDINGS_DIR,
    ffmpegPath: config.FFMPEG_PATH,
    store: {
      started: (meetingId, by, at) => recordingStarted(db, meetingId, by, at),
      stopped: async (recordingId, reason, by, at) => {
        await recordingStopped(db, recordingId, reason, by, at);
        builds.enqueue(recordingId);
      },
      autoRecordAt: (meetingId) => autoRecordAt(db, meetingId),
    },
  };
  return { setup, builds };
}
