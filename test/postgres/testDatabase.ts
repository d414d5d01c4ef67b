// A test's own PostgreSQL database, copied from the migrated template of the
// scheduler-postgres project (test/postgres/globalSetup.ts); null in the other
// projects, whose tests use SQLite files.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresTestDatabase(): Promise<TestDatabase | null> {
  const postgres = inject('postgres');
  if (!postgres) return null;
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(postgres.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${postgres.template}"`);
  const url = new URL(postgres.adminUrl);
  url.pathname = `/${name}`;
  return postgresTestDatabaseAt(url.toString());
}

/** The test database at `url` (made by postgresTestDatabase, maybe before a restart of the test's hub). */
export function postgresTestDatabaseAt(url: string): TestDatabase {
  const postgres = inject('postgres');
  const name = new URL(url).pathname.slice(1);
  return {
    url,
    drop: async () => {
      if (postgres) await admin(postgres.adminUrl, `DROP DATABASE "${name}" WITH (FORCE)`);
    },
  };
}
