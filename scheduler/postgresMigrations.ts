// The same migration list on PostgreSQL: each folder of prisma/migrations holds
// its SQLite `migration.sql` and its PostgreSQL counterpart `postgresql.sql`
// (made by `npm run db:postgres-migrations`, prisma/postgres/counterparts.ts).
// Prisma's WebAssembly schema engine cannot run `migrate deploy` on PostgreSQL
// (prisma#27403), so the hub applies the pending ones itself at start: in
// order, one transaction each (PostgreSQL rolls DDL back with the transaction),
// recorded in its own table, under an advisory lock so two hubs starting at
// once do not both migrate.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { StartRefused } from './accountsAtStart.ts';
import { committedMigrations, MIGRATIONS_DIR } from './db.ts';

/** The file beside each migration.sql. */
export const POSTGRES_MIGRATION_FILE = 'postgresql.sql';
/** The hub's record of applied migrations (Prisma's _prisma_migrations is the SQLite side's). */
export const APPLIED_TABLE = '_diemcau_migrations';
/** Any constant both hubs agree on: "diemcau" in ASCII. */
const LOCK_KEY = 0x6469656d636175n;

export interface PostgresUpgrade {
  ms: number;
  /** The migrations applied now (none on an up-to-date database). */
  applied: string[];
}

/** The committed migrations whose PostgreSQL counterpart is missing (a release must have none). */
export function missingCounterparts(dir = MIGRATIONS_DIR): string[] {
  return committedMigrations(dir).filter((name) => !fs.existsSync(path.join(dir, name, POSTGRES_MIGRATION_FILE)));
}

export async function applyPostgresMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<PostgresUpgrade> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY.toString()]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${APPLIED_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, ` +
        'applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>(`SELECT name FROM "${APPLIED_TABLE}"`)).rows.map((r) => r.name),
    );
    const pending = committedMigrations(dir).filter((name) => !done.has(name));
    const missing = missingCounterparts(dir).filter((name) => pending.includes(name));
    if (missing.length > 0) {
      throw new StartRefused(
        `The PostgreSQL database was not migrated, so the hub did not start: migration(s) ${missing.join(', ')} ` +
          `have no ${POSTGRES_MIGRATION_FILE} beside their migration.sql. This release was built without running ` +
          '`npm run db:postgres-migrations` (docs/operations.md, "Adding a migration"). Nothing was changed.',
      );
    }
    const applied: string[] = [];
    for (const name of pending) {
      await applyOne(client, dir, name, applied);
      applied.push(name);
    }
    return { ms: Date.now() - started, applied };
  } finally {
    // Ending the session releases the advisory lock.
    await client.end();
  }
}

async function applyOne(client: pg.Client, dir: string, name: string, appliedBefore: string[]): Promise<void> {
  const sql = fs.readFileSync(path.join(dir, name, POSTGRES_MIGRATION_FILE), 'utf8');
  const checksum = createHash('sha256').update(sql).digest('hex');
  try {
    await client.query('BEGIN');
    await client.query(sql);
    await client.query(`INSERT INTO "${APPLIED_TABLE}" (name, checksum) VALUES ($1, $2)`, [name, checksum]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new StartRefused(
      `Upgrading the PostgreSQL database failed at migration ${name}, so the hub did not start. ` +
        'That migration was rolled back: the database holds none of its changes. ' +
        (appliedBefore.length > 0
          ? `Applied before it in this start, and kept: ${appliedBefore.join(', ')}. `
          : 'No migration was applied in this start. ') +
        `Report this message with the release you started.\n${(err as Error).message}`,
    );
  }
}
