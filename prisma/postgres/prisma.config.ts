// Prisma configuration for the PostgreSQL client and migration steps: the schema
// derived from prisma/schema.prisma (schema.mjs beside this file) and the pg driver
// adapter. With the SQLite adapter of prisma.config.ts, a PostgreSQL schema makes
// the CLI try to download a native engine, which fails offline.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// `generate` and `migrate diff` never connect; the URL only has to resolve.
process.env.DATABASE_URL ||= 'postgresql://localhost/diemcau';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: path.join(repoRoot, 'scheduler', 'generated', 'postgresql.prisma'),
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL as string });
  },
});
