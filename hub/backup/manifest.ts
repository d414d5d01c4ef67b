// What a backup folder holds, described by its manifest.json, and the list of
// the backups in BACKUP_DIR, newest first.
import fs from 'node:fs';
import path from 'node:path';

export const DATABASE_FILE = 'diemcau.db';
export const MANIFEST_FILE = 'manifest.json';
/** Beside the database, the files without which a restored hub would not be the same hub. */
export const SECRET_FILES = ['secrets.json', path.join('tls', 'cert.pem'), path.join('tls', 'key.pem')] as const;

export interface BackupManifest {
  format: 1;
  takenAt: string;
  /** The diemcau version that took it. */
  version: string;
  host: string;
  databaseBytes: number;
  totalBytes: number;
  /** The copy passed verifyDatabase (integrity check, every table, known migrations). */
  verified: boolean;
  problems: string[];
  rows: Record<string, number>;
  files: string[];
  durationMs: number;
}

export interface ListedBackup {
  dir: string;
  manifest: BackupManifest;
}

const NAME = /^diemcau-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?$/;

export function readManifest(dir: string): BackupManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch {
    return null;
  }
}

/** Complete backups (a manifest written), newest first. */
export function listBackups(backupDir: string): ListedBackup[] {
  if (!fs.existsSync(backupDir)) return [];
  return fs
    .readdirSync(backupDir)
    .filter((name) => NAME.test(name))
    .map((name) => ({ dir: path.join(backupDir, name), manifest: readManifest(path.join(backupDir, name)) }))
    .filter((b): b is ListedBackup => b.manifest !== null)
    .sort((a, b) => b.manifest.takenAt.localeCompare(a.manifest.takenAt) || b.dir.localeCompare(a.dir));
}

/** A ".partial" folder this old is a crash's leftover, not a backup in progress. */
const ABANDONED_MS = 6 * 3600_000;

/** Deletes the oldest backups beyond `keep`, and "partial" folders a crash left; the deleted folders. */
export function pruneBackups(backupDir: string, keep: number): string[] {
  const removed = listBackups(backupDir)
    .slice(keep)
    .map((b) => b.dir);
  if (fs.existsSync(backupDir)) {
    for (const name of fs.readdirSync(backupDir)) {
      const full = path.join(backupDir, name);
      if (!name.endsWith('.partial') || !NAME.test(name.slice(0, -'.partial'.length))) continue;
      if (Date.now() - fs.statSync(full).mtimeMs > ABANDONED_MS) removed.push(full);
    }
  }
  for (const dir of removed) fs.rmSync(dir, { recursive: true, force: true });
  return removed;
}
