// Starting a new release on an older database: its pending migrations are
// applied with a copy of the database taken first, and when one fails the
// copy is put back, so the database is exactly as the previous release left
// it and the hub says so instead of starting on a half-migrated schema.
// PostgreSQL needs no copy: each of its migrations runs in a transaction
// (postgresMigrations.ts).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { StartRefused } from './accountsAtStart.ts';
import {
  applyMigrations,
  committedMigrations,
  dialectOf,
  MIGRATIONS_DIR,
  type MigrateResult,
  sqlitePath,
} from './db.ts';
import { applyPostgresMigrations } from './postgresMigrations.ts';
import { copySqlite } from './sqliteCopy.ts';

export interface Upgrade extends MigrateResult {
  /** The migrations applied now (none on an up-to-date database). */
  applied: string[];
  /** The copy taken before migrating, kept beside the database; null when nothing was pending or the database was new. */
  copy: string | null;
}

/** The migrations of `dir` this database file has not finished (all of them for a new file). */
export function pendingIn(file: string, dir = MIGRATIONS_DIR): string[] {
  const committed = committedMigrations(dir);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return committed;
  const db = new Database(file, { readonly: true });
  try {
    const hasTable = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!hasTable) return committed;
    const rows = db
      .prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
      .all() as { migration_name: string }[];
    const applied = new Set(rows.map((r) => r.migration_name));
    return committed.filter((name) => !applied.has(name));
  } finally {
    db.close();
  }
}

export async function upgradeDatabase(databaseUrl: string, log: Logger, dir = MIGRATIONS_DIR): Promise<Upgrade> {
  if (dialectOf(databaseUrl) === 'postgresql') {
    const { ms, applied } = await applyPostgresMigrations(databaseUrl, dir);
    return { ms, applied, copy: null, output: '' };
  }
  const file = sqlitePath(databaseUrl);
  const pending = pendingIn(file, dir);
  const isNew = !fs.existsSync(file) || fs.statSync(file).size === 0;
  if (pending.length === 0 || isNew) {
    return { ...(await applyMigrations(databaseUrl, dir)), applied: pending, copy: null };
  }
  const copy = `${file}.before-${pending.at(-1)}`;
  await copySqlite(file, copy);
  log.info({ pending, copy }, 'upgrading the database: copy taken, applying migrations');
  try {
    return { ...(await applyMigrations(databaseUrl, dir)), applied: pending, copy };
  } catch (err) {
    putBack(copy, file);
    throw new StartRefused(
      `Upgrading the database failed, so the hub did not start. The database was put back exactly as it was before ` +
        `(nothing is lost; a copy also stays at ${copy}). Run the previous version again, and report this message.\n` +
        `Migrations pending: ${pending.join(', ')}\n${(err as Error).message}`,
    );
  }
}

/** The half-migrated file and its -wal/-shm are replaced by the copy (taken with everything the WAL held). */
function putBack(copy: string, file: string): void {
  for (const extra of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(extra, { force: true });
  const temporary = `${file}.putting-back`;
  fs.copyFileSync(copy, temporary);
  fs.renameSync(temporary, file);
}
