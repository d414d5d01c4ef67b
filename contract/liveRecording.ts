// A meeting's recording as the sites see it while the meeting runs: whether it
// is being recorded and since when (every page shows "Đang ghi hình"), and why
// a recording stopped, in words for the chair when it stopped by itself.
// The archive of finished recordings is another matter (the REST API).

/** Why capture ended (Recording.stopReason). */
export const STOP_REASONS = [
  'chair',
  'meeting_ended',
  'everyone_left',
  'recorder_died',
  'disk_full',
  'hub_restart',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** The recording running in a meeting (MeetingState.recording), null when none. */
export interface LiveRecording {
  recordingId: string;
  /** When it started (ISO time, the hub's clock): pages show the elapsed time. */
  startedAt: string;
}

/** What the chair is told when a recording stopped by itself [vi, en]. */
export const RECORDING_FAULTS = {
  recorder_died: [
    'Bộ ghi hình đã dừng đột ngột nên việc ghi hình đã kết thúc. Phần đã ghi được giữ lại; cuộc họp vẫn tiếp tục.',
    'The recorder stopped unexpectedly, so recording ended. What was recorded is kept; the meeting goes on.',
  ],
  disk_full: [
    'Ổ đĩa lưu bản ghi đã đầy nên việc ghi hình đã dừng. Phần đã ghi được giữ lại; cuộc họp vẫn tiếp tục.',
    'The recordings disk is full, so recording stopped. What was recorded is kept; the meeting goes on.',
  ],
} as const satisfies Record<string, readonly [vi: string, en: string]>;

export type RecordingFault = keyof typeof RECORDING_FAULTS;
