// The hub's own backups: one a day at BACKUP_DAILY_AT (the server's local
// time), the newest BACKUP_KEEP kept, and what the health page says about them.
import type { Logger } from 'pino';
import { listBackups, pruneBackups } from './manifest.ts';
import { type BackupSource, type TakenBackup, takeBackup } from './takeBackup.ts';

export interface BackupSchedule extends BackupSource {
  /** "HH:MM", or null for no scheduled backups. */
  dailyAt: string | null;
  keep: number;
}

export interface BackupStatus {
  backupDir: string;
  dailyAt: string | null;
  keep: number;
  last: { at: string; dir: string; sizeBytes: number; verified: boolean; problems: string[] } | null;
  nextAt: string | null;
  /** The last scheduled backup's failure, cleared by the next success. */
  lastError: string | null;
}

export interface DailyBackups {
  status(): BackupStatus;
  /** Takes a backup now (and prunes); a second call while one runs waits for the same one. */
  runNow(): Promise<TakenBackup>;
  stop(): void;
}

/** Said where the hub's own backups do not apply: they copy a SQLite file. */
export const POSTGRES_BACKUPS =
  'The hub backs up a SQLite database only: back up a PostgreSQL database with pg_dump, and restore it with ' +
  'pg_restore (docs/operations.md, "Running on PostgreSQL").';

/** The backups of a hub on PostgreSQL: none scheduled, and the health page says why. */
export function noDailyBackups(backupDir: string, keep: number, reason: string): DailyBackups {
  return {
    runNow: () => Promise.reject(new Error(reason)),
    stop: () => undefined,
    status: () => ({ backupDir, dailyAt: null, keep, last: null, nextAt: null, lastError: reason }),
  };
}

/** The next local time `hh:mm` strictly after `now`. */
export function nextDailyRun(dailyAt: string, now: Date): Date {
  const [hours = 0, minutes = 0] = dailyAt.split(':').map(Number);
  const next = new Date(now);
  next.setHours(hours, minutes, 0, 0);
  if (next <= now) next.setDate(next.getDate() + 1);
  return next;
}

export function startDailyBackups(schedule: BackupSchedule, log: Logger): DailyBackups {
  let timer: NodeJS.Timeout | undefined;
  let nextAt: Date | null = null;
  let lastError: string | null = null;
  let running: Promise<TakenBackup> | undefined;

  const runNow = () => {
    running ??= takeBackup(schedule)
      .then((taken) => {
        const removed = pruneBackups(schedule.backupDir, schedule.keep);
        const { databaseBytes, verified, durationMs } = taken.manifest;
        log.info({ dir: taken.dir, databaseBytes, verified, durationMs, removed }, 'backup taken');
        if (!verified) log.error({ problems: taken.manifest.problems }, 'the backup failed its check');
        return taken;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const plan = () => {
    if (!schedule.dailyAt) return;
    nextAt = nextDailyRun(schedule.dailyAt, new Date());
    timer = setTimeout(scheduled, nextAt.getTime() - Date.now());
    timer.unref();
  };
  const scheduled = () => {
    runNow().then(
      () => {
        lastError = null;
      },
      (err: Error) => {
        lastError = err.message;
        log.error({ err: err.message }, 'the scheduled backup failed');
      },
    );
    plan();
  };
  plan();

  return {
    runNow,
    stop: () => clearTimeout(timer),
    status(): BackupStatus {
      const newest = listBackups(schedule.backupDir)[0];
      return {
        backupDir: schedule.backupDir,
        dailyAt: schedule.dailyAt,
        keep: schedule.keep,
        last: newest
          ? {
              at: newest.manifest.takenAt,
              dir: newest.dir,
              sizeBytes: newest.manifest.totalBytes,
              verified: newest.manifest.verified,
              problems: newest.manifest.problems,
            }
          : null,
        nextAt: nextAt?.toISOString() ?? null,
        lastError,
      };
    },
  };
}
