// One backup, taken while the hub runs: the database copied with SQLite's
// online backup API (scheduler/sqliteCopy.ts), so meetings go on; then the
// hub's secret and self-signed TLS pair, and a manifest saying what was copied
// and whether the copy passed verifyDatabase. Written under a ".partial" name
// and renamed when complete, so a half-written backup is never listed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../scheduler/privateFiles.ts';
import { copySqlite } from '../../scheduler/sqliteCopy.ts';
import { VERSION } from '../version.ts';
import { type BackupManifest, DATABASE_FILE, MANIFEST_FILE, SECRET_FILES } from './manifest.ts';
import { verifyDatabase } from './verifyDatabase.ts';

export interface BackupSource {
  dataDir: string;
  databaseFile: string;
  backupDir: string;
}

export interface TakenBackup {
  dir: string;
  manifest: BackupManifest;
}

export async function takeBackup(source: BackupSource, now = new Date()): Promise<TakenBackup> {
  fs.mkdirSync(source.backupDir, { recursive: true, mode: PRIVATE_DIR });
  const dir = freeName(source.backupDir, now);
  const partial = `${dir}.partial`;
  fs.mkdirSync(partial, { mode: PRIVATE_DIR });
  try {
    const started = Date.now();
    const target = path.join(partial, DATABASE_FILE);
    await copySqlite(source.databaseFile, target);
    const copied = copySecrets(source.dataDir, partial);
    const check = verifyDatabase(target);
    const databaseBytes = fs.statSync(target).size;
    const manifest: BackupManifest = {
      format: 1,
      takenAt: now.toISOString(),
      version: VERSION,
      host: os.hostname(),
      databaseBytes,
      totalBytes: databaseBytes + copied.bytes,
      verified: check.ok,
      problems: check.problems,
      rows: check.rows,
      files: [DATABASE_FILE, ...copied.files],
      durationMs: Date.now() - started,
    };
    fs.writeFileSync(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: PRIVATE_FILE,
    });
    fs.renameSync(partial, dir);
    return { dir, manifest };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/** "diemcau-2026-11-29T02-30-00Z", with "-2", "-3"… when a backup of that second exists. */
function freeName(backupDir: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  let dir = path.join(backupDir, `diemcau-${stamp}`);
  for (let n = 2; fs.existsSync(dir) || fs.existsSync(`${dir}.partial`); n++) {
    dir = path.join(backupDir, `diemcau-${stamp}-${n}`);
  }
  return dir;
}

function copySecrets(dataDir: string, into: string): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const name of SECRET_FILES) {
    const from = path.join(dataDir, name);
    if (!fs.existsSync(from)) continue;
    const to = path.join(into, name);
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: PRIVATE_DIR });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, PRIVATE_FILE);
    files.push(name);
    bytes += fs.statSync(to).size;
  }
  return { files, bytes };
}
