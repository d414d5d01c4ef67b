// The scheduler's REST contract for a meeting's recordings (the archive): the
// list with each recording's state, and what the client plays and downloads.
// The MP4 itself is served at /api/recordings/:id/file (attachment) and
// /api/recordings/:id/file?inline=true (for <video>), both with range requests.
import { z } from 'zod';

export const RECORDING_STATUSES = ['recording', 'building', 'ready', 'failed', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** Why capture ended (Recording.stopReason); the last three mean it was interrupted. */
export const RECORDING_STOP_REASONS = ['chair', 'meeting_ended', 'recorder_died', 'disk_full', 'hub_restart'] as const;
export type RecordingStopReason = (typeof RECORDING_STOP_REASONS)[number];

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const recordingSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  status: z.enum(RECORDING_STATUSES),
  startedAt: z.string().describe('ISO 8601'),
  stoppedAt: z.string().nullable(),
  /** Of the built MP4 once ready; while recording or building, the time captured so far (null if unknown). */
  durationMs: z.number().int().nullable(),
  /** Bytes of the MP4 (ready only). */
  sizeBytes: z.number().int().nullable(),
  /** 0..1 while building. */
  buildProgress: z.number(),
  stopReason: z.string().nullable().describe(RECORDING_STOP_REASONS.join(' | ')),
  /** What went wrong, in words (failed). */
  error: z.string().nullable(),
  /** Null when the hub started it by itself (the meeting's automatic recording). */
  startedBy: person,
  deletedAt: z.string().nullable(),
  deletedBy: person,
  /** Whether this user may delete it (the chairing unit's secretariat, or an administrator). */
  canDelete: z.boolean(),
});
export type Recording = z.infer<typeof recordingSchema>;

export const recordingsResponse = z.object({ recordings: z.array(recordingSchema) });
export type RecordingsResponse = z.infer<typeof recordingsResponse>;

export const recordingFileQuery = z.strictObject({
  inline: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: Content-Disposition inline, for playing in a <video>; default attachment'),
});
