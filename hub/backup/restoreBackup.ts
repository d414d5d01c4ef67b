// Puts a backup back in place of a stopped hub's data: refuses while a hub runs
// on that DATA_DIR and refuses a backup that fails verifyDatabase, then moves
// the current files aside (DATA_DIR/before-restore-<time>, nothing is deleted)
// and copies the backup's in, each under a temporary name renamed into place.
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../scheduler/privateFiles.ts';
import { runningHub } from '../hubLock.ts';
import { type BackupManifest, DATABASE_FILE, readManifest } from './manifest.ts';
import { verifyDatabase } from './verifyDatabase.ts';

export class RestoreRefused extends Error {}

export interface RestoreTarget {
  dataDir: string;
  databaseFile: string;
}

export interface Restored {
  manifest: BackupManifest;
  /** Where the replaced files went, or null when DATA_DIR held none. */
  movedAside: string | null;
}

export function restoreBackup(from: string, target: RestoreTarget, now = new Date()): Restored {
  const manifest = readManifest(from);
  if (!manifest) throw new RestoreRefused(`${from} is not a diemcau backup: it has no manifest.json.`);
  const check = verifyDatabase(path.join(from, DATABASE_FILE));
  if (!check.ok) {
    throw new RestoreRefused(
      `The backup ${from} fails its check, nothing was changed:\n  ${check.problems.join('\n  ')}`,
    );
  }
  const pid = runningHub(target.dataDir);
  if (pid !== null) {
    throw new RestoreRefused(
      `A hub is running on ${target.dataDir} (pid ${pid}); nothing was changed. Stop it first (sudo systemctl stop diemcau), then restore.`,
    );
  }
  fs.mkdirSync(target.dataDir, { recursive: true, mode: PRIVATE_DIR });
  const placed = placements(from, manifest, target);
  const movedAside = moveAside(placed, target.dataDir, now);
  for (const { source, destination } of placed) {
    fs.mkdirSync(path.dirname(destination), { recursive: true, mode: PRIVATE_DIR });
    const temporary = `${destination}.restoring`;
    fs.copyFileSync(source, temporary);
    fs.chmodSync(temporary, PRIVATE_FILE);
    fs.renameSync(temporary, destination);
  }
  markLastAlive(target.dataDir, new Date(manifest.takenAt));
  return { manifest, movedAside };
}

interface Placement {
  source: string;
  destination: string;
}

function placements(from: string, manifest: BackupManifest, target: RestoreTarget): Placement[] {
  return manifest.files.map((name) => ({
    source: path.join(from, name),
    destination: name === DATABASE_FILE ? target.databaseFile : path.join(target.dataDir, name),
  }));
}

/** The files the restore replaces (with the database's -wal and -shm, which belong to the old file), moved into one folder. */
function moveAside(placed: Placement[], dataDir: string, now: Date): string | null {
  const database = placed.find((p) => p.source.endsWith(DATABASE_FILE))?.destination;
  const current = [
    ...placed.map((p) => p.destination),
    ...(database ? [`${database}-wal`, `${database}-shm`] : []),
    path.join(dataDir, 'heartbeat'),
  ].filter((f) => fs.existsSync(f));
  if (current.length === 0) return null;
  const aside = path.join(
    dataDir,
    `before-restore-${now
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replaceAll(':', '-')}`,
  );
  fs.mkdirSync(aside, { mode: PRIVATE_DIR });
  for (const file of current) {
    const relative = file.startsWith(dataDir + path.sep) ? path.relative(dataDir, file) : path.basename(file);
    const to = path.join(aside, relative);
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: PRIVATE_DIR });
    fs.renameSync(file, to);
  }
  return aside;
}

/**
 * The backup's moment becomes the hub's last sign of life: at its next start the
 * hub closes the attendance intervals still open in the backup at that moment,
 * as it does after a crash (hub/heartbeat.ts).
 */
function markLastAlive(dataDir: string, at: Date): void {
  const file = path.join(dataDir, 'heartbeat');
  fs.writeFileSync(file, at.toISOString());
  fs.utimesSync(file, at, at);
}
