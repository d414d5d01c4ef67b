import { defineConfig } from 'vitest/config';

// Two projects: server-side tests run in Node against real workers, sockets and
// SQLite files; client component tests run in jsdom.
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
