// Global setup of the `scheduler-postgres` vitest project: one throwaway
// PostgreSQL 15 cluster for the run, holding a migrated template database
// (migrated the way the hub does it at start); each test hub gets its own copy
// (test/postgres/testDatabase.ts).
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../prisma/postgres/cluster.ts';
import { applyPostgresMigrations } from '../../scheduler/postgresMigrations.ts';

export const TEMPLATE_DATABASE = 'diemcau_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set only in the scheduler-postgres project. */
    postgres: { adminUrl: string; template: string } | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster();
  await applyPostgresMigrations(await cluster.createDatabase(TEMPLATE_DATABASE));
  project.provide('postgres', { adminUrl: cluster.url('postgres'), template: TEMPLATE_DATABASE });
  return () => cluster.stop();
}
