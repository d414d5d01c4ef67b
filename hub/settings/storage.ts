// Settings of where the hub keeps its data: the database, backups, recordings and the tools that build them.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';

export const storageSettings = {
  /** Where the SQLite file, generated secrets and the self-signed certificate live. */
  DATA_DIR: z.string().default('data'),
  /** Default file:DATA_DIR/diemcau.db (SQLite, one machine); postgresql://… for several hubs (docs/operations.md). */
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:|postgres(ql)?:\/\/)/,
      'DATABASE_URL must be a SQLite "file:" path or a "postgresql://user:password@host:port/database" URL',
    )
    .optional(),
  /** Backups: one folder each (database, secret, certificate, manifest). Default DATA_DIR/backups; better another disk. */
  BACKUP_DIR: z.string().optional(),
  /** Local time of the daily backup, "HH:MM" (24-hour), or "off". */
  BACKUP_DAILY_AT: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'BACKUP_DAILY_AT must be HH:MM (24-hour) or off')
    .default('02:30'),
  /** Recordings: one folder per recording (raw tracks, timeline, the built MP4). Default DATA_DIR/recordings. */
  RECORDINGS_DIR: z.string().optional(),
  /** Days a recording is kept after it was made; the daily sweep deletes older ones. 0: keep for ever. */
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** FFmpeg and FFprobe (Debian's): the recorder, the post-meeting build and its check (docs/recording.md). */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** Backups kept in BACKUP_DIR; older ones are deleted after each new one. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(3650).default(14),
};
