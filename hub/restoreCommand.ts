// `npm run restore -- <backup folder>` (or `-- --latest`): puts a backup back as
// this hub's data. Refuses while the hub runs on DATA_DIR and refuses a backup
// that fails its check; the replaced files are kept in DATA_DIR/before-restore-….
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dialectOf, sqlitePath } from '../scheduler/db.ts';
import { POSTGRES_BACKUPS } from './backup/dailyBackups.ts';
import { listBackups } from './backup/manifest.ts';
import { RestoreRefused, restoreBackup } from './backup/restoreBackup.ts';
import { ConfigError, loadConfig } from './config.ts';

const USAGE = 'Usage: npm run restore -- <backup folder>   or   npm run restore -- --latest';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (fs.existsSync('.env')) process.loadEnvFile('.env');

let args: { values: { latest: boolean }; positionals: string[] };
try {
  args = parseArgs({ options: { latest: { type: 'boolean', default: false } }, allowPositionals: true }) as typeof args;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  fail(err.message);
}

if (dialectOf(config.DATABASE_URL) === 'postgresql') fail(POSTGRES_BACKUPS);

const from = args.values.latest ? listBackups(config.BACKUP_DIR)[0]?.dir : args.positionals[0];
if (!from) fail(args.values.latest ? `No backup in ${config.BACKUP_DIR}.` : USAGE);

try {
  const restored = restoreBackup(path.resolve(from), {
    dataDir: config.DATA_DIR,
    databaseFile: sqlitePath(config.DATABASE_URL),
  });
  const { takenAt, rows } = restored.manifest;
  console.log(
    `Restored the backup of ${takenAt} into ${config.DATA_DIR}: ` +
      `${rows.Meeting ?? 0} meetings, ${rows.EndpointRoom ?? 0} rooms, ${rows.User ?? 0} accounts.\n` +
      (restored.movedAside ? `The replaced files are in ${restored.movedAside}.\n` : '') +
      'Start the hub (sudo systemctl start diemcau, or npm start); it applies any newer migrations itself.',
  );
} catch (err) {
  if (!(err instanceof RestoreRefused)) throw err;
  fail(err.message);
}
