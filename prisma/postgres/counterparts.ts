// `npm run db:postgres-migrations`: writes the PostgreSQL counterpart
// (postgresql.sql) of every migration folder that lacks one, then checks the
// whole list on a throwaway PostgreSQL.
//
// How a step is computed: the SQLite migrations are applied one by one to a
// scratch SQLite file, and the schema is read back (`prisma db pull`) before
// and after the migration in question; both are given the postgresql provider
// and `prisma migrate diff` writes the DDL between them. Each step therefore
// comes from its own migration.sql, not from today's schema.prisma: when
// several migrations arrive at once from merged branches, each gets exactly its
// own change, in the order the hub applies them, and a fresh database applying
// them all ends at schema.prisma (the check below proves it). Existing
// postgresql.sql files are never rewritten: a deployed database may have run them.
//
// Data changes (UPDATE, DELETE, INSERT) in a migration.sql are not schema and
// are not carried over: the script names those migrations; write their
// PostgreSQL form into postgresql.sql by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { committedMigrations, MIGRATIONS_DIR } from '../../scheduler/db.ts';
import { missingCounterparts, POSTGRES_MIGRATION_FILE } from '../../scheduler/postgresMigrations.ts';
import { postgresMissing, startCluster } from './cluster.ts';
import { postgresDiff, prisma } from './prismaCli.ts';
import { verifyMigrations } from './verify.ts';

const POSTGRES_DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';

/** The migrations applied one at a time to a scratch SQLite file, its schema read back after any of them. */
class SqliteReplay {
  private readonly dbUrl: string;
  private readonly subset: string;
  private appliedUpTo = -1;

  constructor(
    private readonly work: string,
    private readonly names: string[],
  ) {
    this.dbUrl = `file:${path.join(work, 'replay.db')}`;
    this.subset = path.join(work, 'migrations');
    fs.mkdirSync(this.subset);
    fs.copyFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(this.subset, 'migration_lock.toml'));
  }

  /** A .prisma file (postgresql provider) of the schema after migration `index`, or null before the first. */
  async postgresSchemaAfter(index: number): Promise<string | null> {
    if (index < 0) return null;
    if (index < this.appliedUpTo) throw new Error('SqliteReplay only moves forward');
    for (const name of this.names.slice(this.appliedUpTo + 1, index + 1)) {
      fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(this.subset, name), { recursive: true });
    }
    if (index > this.appliedUpTo) {
      await prisma(['migrate', 'deploy'], { DATABASE_URL: this.dbUrl, DIEMCAU_MIGRATIONS_DIR: this.subset });
      this.appliedUpTo = index;
    }
    const pullSchema = path.join(this.work, 'pull.prisma');
    fs.writeFileSync(pullSchema, 'datasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n');
    const pulled = await prisma(['db', 'pull', '--print', '--schema', pullSchema], { DATABASE_URL: this.dbUrl });
    // Prisma prints a warning about the url (the adapter of prisma.config.ts connects) before the schema.
    const models = pulled.slice(pulled.search(/^model /m));
    const file = path.join(this.work, `after-${index}.prisma`);
    fs.writeFileSync(file, `${POSTGRES_DATASOURCE}\n${models}`);
    return file;
  }
}

/** The comment lines migration.sql starts with (what the migration is for), kept at the top of its counterpart. */
function purposeOf(sqliteSql: string): string {
  const lines = sqliteSql.split('\n');
  // Prisma's own section markers ("-- CreateTable") are not a purpose.
  const end = lines.findIndex((l) => !l.startsWith('--') || /^-- [A-Z][A-Za-z]+$/.test(l));
  return lines.slice(0, end === -1 ? lines.length : end).join('\n');
}

/** Statements that change rows rather than the schema (Prisma's own table rebuilds copy into "new_…" and are schema). */
function changesData(sqliteSql: string): boolean {
  return sqliteSql
    .split('\n')
    .some((l) => /^\s*(UPDATE|DELETE)\b/i.test(l) || (/^\s*INSERT\s+INTO\b/i.test(l) && !/INTO\s+"new_/i.test(l)));
}

function counterpartText(name: string, step: string): string {
  const purpose = purposeOf(fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'));
  return (
    `${purpose ? `${purpose}\n` : ''}` +
    '-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):\n' +
    '-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.\n\n' +
    step.trim() +
    '\n'
  );
}

async function main(): Promise<number> {
  const missingServer = postgresMissing();
  if (missingServer) {
    console.error(`Cannot make PostgreSQL migrations here: ${missingServer} (Prisma's migrate diff needs a server).`);
    return 1;
  }
  const names = committedMigrations();
  const missing = missingCounterparts();
  const lastWithCounterpart = names.findLast((n) => !missing.includes(n));
  const cluster = await startCluster();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pg-migrations-'));
  try {
    if (missing.length === 0) console.log(`All ${names.length} migrations have their ${POSTGRES_MIGRATION_FILE}.`);
    const replay = new SqliteReplay(work, names);
    for (const name of missing) {
      const index = names.indexOf(name);
      const before = await replay.postgresSchemaAfter(index - 1);
      const after = (await replay.postgresSchemaAfter(index)) as string;
      const step = await postgresDiff(before, after, cluster.url('postgres'));
      fs.writeFileSync(path.join(MIGRATIONS_DIR, name, POSTGRES_MIGRATION_FILE), counterpartText(name, step));
      const statements = step.split('\n').filter((l) => l.trim() && !l.startsWith('--')).length;
      console.log(`Wrote prisma/migrations/${name}/${POSTGRES_MIGRATION_FILE} (${statements} lines of DDL).`);
      if (lastWithCounterpart && name < lastWithCounterpart) {
        console.log(
          `  Note: ${name} sorts before ${lastWithCounterpart}, which already had its counterpart: a PostgreSQL ` +
            'database that ran that one applies this one after it (as SQLite databases do).',
        );
      }
      if (changesData(fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'))) {
        console.log(
          `  WARNING: ${name}/migration.sql changes data (UPDATE/DELETE/INSERT): only its schema change was carried ` +
            `over. Add the PostgreSQL form of those statements to ${POSTGRES_MIGRATION_FILE} by hand.`,
        );
      }
    }
    console.log('Checking: every postgresql.sql applied to an empty PostgreSQL database, compared with schema.prisma…');
    const { applied, differences } = await verifyMigrations(cluster, 'check');
    if (differences.length > 0) {
      console.error(
        `The ${applied.length} PostgreSQL migrations do NOT give schema.prisma's schema:\n  ${differences.join('\n  ')}\n` +
          'Either schema.prisma has a change no migration.sql makes (add the SQLite migration first), or a ' +
          `${POSTGRES_MIGRATION_FILE} was edited by hand wrongly.`,
      );
      return 1;
    }
    console.log(`OK: the ${applied.length} PostgreSQL migrations give exactly schema.prisma's schema.`);
    if (missing.length > 0) console.log(`Commit the new ${POSTGRES_MIGRATION_FILE} file(s) with their migrations.`);
    return 0;
  } finally {
    cluster.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
