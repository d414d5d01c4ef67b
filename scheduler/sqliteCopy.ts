// A consistent copy of a SQLite database that may be in use: SQLite's online
// backup API (through better-sqlite3, the driver the hub already uses), page by
// page between turns of the event loop, so a running hub's meetings go on.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { PRIVATE_FILE } from './privateFiles.ts';

/** Pages copied per step (4 KiB each): about a millisecond of work between turns of the event loop. */
const PAGES_PER_STEP = 256;
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Copies `from` to `to` (readable by the owner only, one self-contained file).
 * A read transaction held over the whole copy pins one snapshot of the WAL
 * database: writes during the copy go on and are not in it, instead of
 * restarting the copy at every write.
 */
export async function copySqlite(from: string, to: string): Promise<void> {
  const source = new Database(from, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    await source.backup(to, { progress: () => PAGES_PER_STEP });
    source.exec('COMMIT');
  } finally {
    source.close();
  }
  fs.chmodSync(to, PRIVATE_FILE);
  // No -wal beside it to forget when the copy is moved elsewhere.
  const copy = new Database(to);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}
