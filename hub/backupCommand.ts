// `npm run backup`: takes a backup now into BACKUP_DIR (the hub may be running:
// the copy does not pause meetings), verifies it, and deletes the oldest beyond
// BACKUP_KEEP. Reads the same configuration as `npm start`.
import fs from 'node:fs';
import { dialectOf, sqlitePath } from '../scheduler/db.ts';
import { POSTGRES_BACKUPS } from './backup/dailyBackups.ts';
import { pruneBackups } from './backup/manifest.ts';
import { takeBackup } from './backup/takeBackup.ts';
import { ConfigError, loadConfig } from './config.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

if (dialectOf(config.DATABASE_URL) === 'postgresql') {
  console.error(POSTGRES_BACKUPS);
  process.exit(1);
}
const databaseFile = sqlitePath(config.DATABASE_URL);
if (!fs.existsSync(databaseFile)) {
  console.error(`No database at ${databaseFile}: nothing to back up (check DATA_DIR / DATABASE_URL).`);
  process.exit(1);
}
const { dir, manifest } = await takeBackup({ dataDir: config.DATA_DIR, databaseFile, backupDir: config.BACKUP_DIR });
const removed = pruneBackups(config.BACKUP_DIR, config.BACKUP_KEEP);
console.log(
  `Backup written to ${dir} (${(manifest.totalBytes / 1e6).toFixed(1)} MB, ${manifest.durationMs} ms).\n` +
    (manifest.verified ? 'Verified: integrity check passed, every table present.' : 'NOT VERIFIED:') +
    manifest.problems.map((p) => `\n  ${p}`).join('') +
    (removed.length ? `\nDeleted ${removed.length} older backup(s) (BACKUP_KEEP=${config.BACKUP_KEEP}).` : ''),
);
process.exit(manifest.verified ? 0 : 1);
