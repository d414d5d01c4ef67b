// The Prisma CLI as the repository installs it (WebAssembly engines, offline),
// for the steps PostgreSQL migrations are made and checked with.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../scheduler/db.ts';
import { writePostgresSchema } from './schema.mjs';

export const POSTGRES_CONFIG = path.join(REPO_ROOT, 'prisma', 'postgres', 'prisma.config.ts');

/** Runs `prisma <args>` at the repository root and resolves its standard output; rejects with everything it printed. */
export function prisma(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'prisma', 'build', 'index.js'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`prisma ${args.join(' ')} failed (exit ${code}):\n${err}${out}`));
    });
  });
}

/**
 * PostgreSQL DDL taking a database from the schema `from` (null: empty) to `to`
 * (both .prisma files with a postgresql datasource). Prisma reaches the server
 * at `serverUrl` before it compares, though the comparison needs no database.
 * The `CREATE SCHEMA "public"` it starts from-empty scripts with is left out:
 * every new database has that schema, and creating it needs a right the hub's role may lack.
 */
export async function postgresDiff(from: string | null, to: string, serverUrl: string): Promise<string> {
  const fromArgs = from ? ['--from-schema-datamodel', from] : ['--from-empty'];
  const sql = await prisma(
    ['migrate', 'diff', '--config', POSTGRES_CONFIG, ...fromArgs, '--to-schema-datamodel', to, '--script'],
    { DATABASE_URL: serverUrl },
  );
  return sql.replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n*/, '');
}

/** The whole PostgreSQL schema of prisma/schema.prisma, as `migrate diff --from-empty` writes it. */
export function currentSchemaSql(serverUrl: string): Promise<string> {
  return postgresDiff(null, writePostgresSchema(REPO_ROOT), serverUrl);
}
