// The check that the PostgreSQL migrations are right: all of them applied to an
// empty database (the way the hub applies them at start) give the same schema
// as prisma/schema.prisma created whole (`migrate diff --from-empty`) in another.
import pg from 'pg';
import { applyPostgresMigrations } from '../../scheduler/postgresMigrations.ts';
import type { Cluster } from './cluster.ts';
import { currentSchemaSql } from './prismaCli.ts';
import { schemaShape, shapeDifferences } from './schemaShape.ts';

export interface Verification {
  /** Migrations applied to the empty database. */
  applied: string[];
  /** What the migrated database lacks ("missing:") or has beyond the schema ("extra:"); empty when they match. */
  differences: string[];
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Uses two new databases of `cluster`, named from `prefix`. */
export async function verifyMigrations(
  cluster: Cluster,
  prefix: string,
  migrationsDir?: string,
): Promise<Verification> {
  const migrated = await cluster.createDatabase(`${prefix}_migrated`);
  const expected = await cluster.createDatabase(`${prefix}_expected`);
  const [{ applied }, wholeSchema] = await Promise.all([
    applyPostgresMigrations(migrated, migrationsDir),
    currentSchemaSql(cluster.url('postgres')),
  ]);
  await execute(expected, wholeSchema);
  const [want, have] = await Promise.all([schemaShape(expected), schemaShape(migrated)]);
  return { applied, differences: shapeDifferences(want, have) };
}
