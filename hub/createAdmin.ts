// `npm run create-admin -- --login <name> [--name "<full name>"] [--reset]`:
// creates the first administrator (or, with --reset, gives an existing one a new
// password) in the hub's database and prints a generated password, shown once,
// which must be changed at first login. Reads the same configuration as
// `npm start` (.env, DATA_DIR, DATABASE_URL); the hub may be running.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminAccountError, issueAdministrator } from '../scheduler/adminAccount.ts';
import { type Db, dialectOf, openDb, prepareSqliteFile, sqlitePath } from '../scheduler/db.ts';
import { pendingIn, upgradeDatabase } from '../scheduler/upgrade.ts';
import { ConfigError, loadConfig } from './config.ts';
import { secureDataDir } from './fileModes.ts';
import { createLogger } from './logger.ts';

const USAGE = 'Usage: npm run create-admin -- --login <name> [--name "<full name>"] [--reset]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (fs.existsSync('.env')) process.loadEnvFile('.env');

let args: { login?: string; name?: string; reset: boolean };
try {
  args = parseArgs({
    options: { login: { type: 'string' }, name: { type: 'string' }, reset: { type: 'boolean', default: false } },
  }).values as typeof args;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
if (!args.login) fail(USAGE);

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  fail(err.message);
}

/** The database, migrated if it is new or older than this version (the hub must then be stopped). */
async function openMigrated(databaseUrl: string): Promise<Db> {
  if (dialectOf(databaseUrl) === 'postgresql') {
    // Safe while hubs run: they and this take the same lock to migrate (scheduler/postgresMigrations.ts).
    await upgradeDatabase(databaseUrl, createLogger('warn')).catch((err: Error) => fail(err.message));
    return openDb(databaseUrl);
  }
  prepareSqliteFile(databaseUrl);
  if (pendingIn(sqlitePath(databaseUrl)).length === 0) return openDb(databaseUrl);
  await upgradeDatabase(databaseUrl, createLogger('warn')).catch((err: Error) =>
    fail(
      `${err.message}\nThe database needs migrating and is in use: stop the hub (or start it once, it migrates), then retry.`,
    ),
  );
  return openDb(databaseUrl);
}

secureDataDir(config, createLogger('warn'));
const db = await openMigrated(config.DATABASE_URL);
try {
  const issued = await issueAdministrator(db, args.login, { reset: args.reset, name: args.name });
  console.log(
    `${issued.created ? 'Created administrator' : 'New password for administrator'} "${issued.login}".\n` +
      'One-time password (shown only now; the hub asks for a new one at the first login):\n\n' +
      `    ${issued.password}\n`,
  );
} catch (err) {
  if (!(err instanceof AdminAccountError)) throw err;
  fail(err.message);
} finally {
  await db.$disconnect();
}
