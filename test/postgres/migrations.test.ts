// The PostgreSQL side of the migration list: every migration has its
// postgresql.sql, all of them together give schema.prisma's schema, and the
// hub applies them the way it promises (in order, once, a failed one rolled back).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { verifyMigrations } from '../../prisma/postgres/verify.ts';
import { StartRefused } from '../../scheduler/accountsAtStart.ts';
import { committedMigrations, MIGRATIONS_DIR } from '../../scheduler/db.ts';
import {
  APPLIED_TABLE,
  applyPostgresMigrations,
  missingCounterparts,
  POSTGRES_MIGRATION_FILE,
} from '../../scheduler/postgresMigrations.ts';
import { reportSkip } from '../helpers/skip.ts';

const missingServer = postgresMissing();
reportSkip('test/postgres/migrations', missingServer);

it('every migration folder has its PostgreSQL counterpart', () => {
  expect(committedMigrations().length).toBeGreaterThan(5);
  expect(missingCounterparts(), 'run `npm run db:postgres-migrations` and commit what it writes').toEqual([]);
});

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of the committed migrations plus one more folder with the given files. */
function migrationsWith(name: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pg-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, name));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name, file), text);
  return dir;
}

describe.skipIf(missingServer)('PostgreSQL migrations on a real PostgreSQL 15', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('all migrations applied to an empty database give exactly the schema of schema.prisma', async () => {
    const { applied, differences } = await verifyMigrations(cluster, 'whole');
    expect(applied).toEqual(committedMigrations());
    expect(differences).toEqual([]);
  }, 180_000);

  it('two hubs starting at once apply each migration once', async () => {
    const url = await cluster.createDatabase('two_hubs');
    const [a, b] = await Promise.all([applyPostgresMigrations(url), applyPostgresMigrations(url)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(committedMigrations());
    const recorded = await rows<{ name: string }>(url, `SELECT name FROM "${APPLIED_TABLE}" ORDER BY name`);
    expect(recorded.map((r) => r.name)).toEqual(committedMigrations());
    expect((await applyPostgresMigrations(url)).applied).toEqual([]);
  });

  it('a failing migration is rolled back whole and the hub says which one failed', async () => {
    const url = await cluster.createDatabase('failing');
    await applyPostgresMigrations(url);
    const dir = migrationsWith('29991231000000_broken', {
      'migration.sql': 'CREATE TABLE "Broken" ("id" TEXT);\n',
      [POSTGRES_MIGRATION_FILE]: 'CREATE TABLE "Broken" ("id" TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\n',
    });
    try {
      const attempt = applyPostgresMigrations(url, dir);
      await expect(attempt).rejects.toBeInstanceOf(StartRefused);
      await expect(attempt).rejects.toThrow(/failed at migration 29991231000000_broken.*rolled back/s);
      const broken = await rows(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Broken'`);
      expect(broken).toEqual([]);
      const recorded = await rows(url, `SELECT name FROM "${APPLIED_TABLE}"`);
      expect(recorded).toHaveLength(committedMigrations().length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a release with a migration lacking its postgresql.sql is refused before anything changes', async () => {
    const url = await cluster.createDatabase('no_counterpart');
    const dir = migrationsWith('29991231000000_sqlite_only', {
      'migration.sql': 'CREATE TABLE "Lonely" ("id" TEXT);\n',
    });
    try {
      await expect(applyPostgresMigrations(url, dir)).rejects.toThrow(
        /29991231000000_sqlite_only have no postgresql\.sql.*npm run db:postgres-migrations.*Nothing was changed/s,
      );
      expect(await rows(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Unit'`)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
