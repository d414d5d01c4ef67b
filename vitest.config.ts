import { defineConfig } from 'vitest/config';
import { postgresMissing } from './prisma/postgres/cluster.ts';
import { reportSkip } from './test/helpers/skip.ts';

// Server-side tests run in Node against real workers, sockets and SQLite files;
// the scheduler's tests run a second time against PostgreSQL (a throwaway
// cluster, docs/operations.md); client component tests run in jsdom.
const postgresAbsent = postgresMissing();
reportSkip('scheduler tests on PostgreSQL (vitest project scheduler-postgres)', postgresAbsent);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'hub',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      ...(postgresAbsent
        ? []
        : [
            {
              test: {
                name: 'scheduler-postgres',
                include: ['test/scheduler/*.test.ts'],
                environment: 'node',
                testTimeout: 60_000,
                hookTimeout: 120_000,
                pool: 'forks' as const,
                globalSetup: ['test/postgres/globalSetup.ts'],
              },
            },
          ]),
      {
        test: {
          name: 'client',
          include: ['client/**/*.test.tsx', 'client/**/*.test.ts'],
          environment: 'jsdom',
          testTimeout: 20_000,
        },
      },
    ],
  },
});
