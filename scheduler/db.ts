// Database access: the Prisma client over better-sqlite3 (WAL mode, busy timeout),
// or over PostgreSQL when DATABASE_URL says so (several hubs, docs/scaling.md),
// and applying the committed SQLite migrations at hub start (PostgreSQL's are
// applied by postgresMigrations.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from './generated/prisma/client.ts';
import { PrismaClient as PostgresClient } from './generated/prisma-postgres/client.ts';
import { PRIVATE_DIR, PRIVATE_FILE, tighten } from './privateFiles.ts';

export type Db = PrismaClient;
/** The interactive-transaction client handed to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BUSY_TIMEOUT_MS = 10_000;

/** The committed migrations; a test points `applyMigrations` at a copy (prisma.config.ts reads DIEMCAU_MIGRATIONS_DIR). */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

/** The migrations in `dir`, oldest first (their names start with their time). */
export function committedMigrations(dir = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'migration.sql')))
    .sort();
}

export type Dialect = 'sqlite' | 'postgresql';

/** "file:…" is SQLite (the one-machine default), "postgresql://…" or "postgres://…" is PostgreSQL. */
export function dialectOf(databaseUrl: string): Dialect {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  throw new Error(
    `DATABASE_URL must be a SQLite "file:" URL or a "postgresql://" URL, got ${databaseUrl.split(':')[0]}:…`,
  );
}

/**
 * A filter for text containing `text`, case aside, as a user searching a list
 * expects. SQLite's LIKE ignores case by itself (ASCII letters only);
 * PostgreSQL's needs `mode: 'insensitive'` (ILIKE, every letter, Vietnamese
 * ones too), which the SQLite client would refuse.
 */
export function containsText(databaseUrl: string, text: string): Prisma.StringFilter {
  if (dialectOf(databaseUrl) === 'sqlite') return { contains: text };
  return { contains: text, mode: 'insensitive' } as Prisma.StringFilter;
}

/** "file:/abs/path.db" or "file:./rel.db" → a filesystem path (relative to the working directory). */
export function sqlitePath(databaseUrl: string): string {
  if (dialectOf(databaseUrl) !== 'sqlite') {
    throw new Error('DATABASE_URL is a PostgreSQL URL: this needs a SQLite database file');
  }
  return path.resolve(databaseUrl.slice('file:'.length).split('?')[0] as string);
}

/**
 * Creates the database file (empty is a valid SQLite database) readable by the hub's
 * user only, and tightens an existing one: SQLite gives its -wal and -shm files the
 * database file's mode.
 */
export function prepareSqliteFile(databaseUrl: string): string {
  const file = sqlitePath(databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) tighten(f, PRIVATE_FILE);
  return file;
}

/** WAL (persistent in the file) lets readers run during a write; busy_timeout waits for locks instead of failing. */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
}

export interface MigrateResult {
  ms: number;
  output: string;
}

/**
 * Applies pending migrations from prisma/migrations with `prisma migrate deploy`
 * (Prisma's WebAssembly schema engine; about 0.7 s when nothing is pending).
 */
export function applyMigrations(databaseUrl: string, migrationsDir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const started = Date.now();
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'prisma');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: `file:${sqlitePath(databaseUrl)}`,
        DIEMCAU_MIGRATIONS_DIR: migrationsDir,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ ms: Date.now() - started, output });
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
    });
  });
}

export function openDb(databaseUrl: string): Db {
  if (dialectOf(databaseUrl) === 'postgresql') {
    // Both clients are generated from the same models (prisma/postgres/schema.mjs only swaps the
    // provider), so their model APIs are the same; the PostgreSQL one only accepts more (e.g.
    // `mode: 'insensitive'`). Code written against the SQLite types is valid for it.
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }) as unknown as Db;
    return oneWriterAtATime(client);
  }
  const adapter = new PrismaBetterSQLite3({ url: `file:${sqlitePath(databaseUrl)}`, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

/** Any constant every hub agrees on ("diemcau-tx"); postgresMigrations.ts uses another. */
const WRITER_LOCK_KEY = 0x64696d636175_7478n;

/**
 * The scheduler's interactive transactions check, then write: an idempotency key
 * not used yet, no identical meeting, rooms free at that time, the next chat
 * number. SQLite runs them one at a time, which makes that sound. PostgreSQL
 * (READ COMMITTED) would run two at once, both checks would pass, and both would
 * write: so on PostgreSQL each interactive transaction first takes one advisory
 * transaction lock, shared by every hub on the database, and each of its
 * statements then sees what the previous holder committed. Single statements and
 * reads outside a transaction are not held up.
 */
function oneWriterAtATime(client: Db): Db {
  const transaction = client.$transaction.bind(client) as (arg: unknown, options?: unknown) => Promise<unknown>;
  const serialized = (arg: unknown, options?: unknown) => {
    if (typeof arg !== 'function') return transaction(arg, options);
    return transaction(async (tx: Tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 FROM (SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})) AS locked`);
      return (arg as (tx: Tx) => Promise<unknown>)(tx);
    }, options);
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === '$transaction') return serialized;
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Prisma's refusal of a write that would duplicate a unique field (a unit code, a room code, a login). */
export function uniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'P2002';
}
