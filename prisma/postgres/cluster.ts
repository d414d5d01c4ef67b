// A throwaway PostgreSQL 15 cluster (Debian's postgresql-15 binaries): initdb in
// a temporary folder, listening on 127.0.0.1 and a free port with its unix
// socket in that folder, trust authentication, no fsync. For the tests and for
// `npm run db:postgres-migrations` (Prisma's `migrate diff` needs a server to
// reach even though it only compares two schema files).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN_DIRS = [process.env.POSTGRES_BIN_DIR, '/usr/lib/postgresql/15/bin'].filter(Boolean) as string[];

/** Where initdb, pg_ctl and postgres are, or null when PostgreSQL 15 is not installed. */
export const POSTGRES_BIN = BIN_DIRS.find((d) => fs.existsSync(path.join(d, 'pg_ctl'))) ?? null;

/** Why a cluster cannot start here, or null. */
export function postgresMissing(): string | null {
  return POSTGRES_BIN
    ? null
    : 'PostgreSQL 15 is not installed (Debian package postgresql-15, or set POSTGRES_BIN_DIR); ' +
        'scripts/bootstrap.mjs installs it for `npm test`';
}

export interface Cluster {
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  /** Creates a database (a copy of `template` when given) and returns its URL. */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Runs SQL as the superuser on the `postgres` database. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<T[]>;
  stop(): void;
}

/** PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user (the Debian package creates it). */
function run(bin: string, args: string[], owner: string): void {
  const full = path.join(POSTGRES_BIN as string, bin);
  const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', owner, '--', full, ...args]] : [full, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${bin} failed (exit ${result.status}): ${result.error?.message ?? ''}${result.stderr}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const owner = 'postgres';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pg-'));
  if (process.getuid?.() === 0) spawnSync('chown', [owner, dir]);
  const data = path.join(dir, 'data');
  // C.UTF-8: text sorts by code point, as SQLite's BINARY collation does.
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], owner);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-h 127.0.0.1 -p ${port} -k ${dir} -F -c full_page_writes=off -c max_connections=200`;
    try {
      run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start'], owner);
      break;
    } catch (err) {
      if (attempt === 3) {
        const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : '';
        throw new Error(`${(err as Error).message}\n${log}`);
      }
    }
  }
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url,
    query,
    async createDatabase(name, template) {
      await query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
      return url(name);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], owner);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
