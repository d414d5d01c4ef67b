// Prisma 6.19 configuration: the JavaScript (WebAssembly) schema engine with the
// better-sqlite3 driver adapter, so generate and migrate work without downloading
// native engines (see shared/OFFLINE-BUILD.md, section "Prisma").
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// Same default as hub/config.ts (DATA_DIR=data). Set here too so `prisma generate`
// works without DATABASE_URL (the schema's env("DATABASE_URL") must resolve, or the
// CLI falls back to downloading a native query engine, which fails offline).
process.env.DATABASE_URL ||= `file:${path.resolve(process.env.DATA_DIR || 'data', 'diemcau.db')}`;

function databaseUrl(): string {
  return process.env.DATABASE_URL as string;
}

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  // Another folder only in the upgrade test (a deliberately failing migration in a copy).
  migrations: { path: process.env.DIEMCAU_MIGRATIONS_DIR || path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 10_000 });
  },
});
