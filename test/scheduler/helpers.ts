// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Test harness: a migrated template SQLite file built once (shared by test files
// through the temp dir, keyed by the migrations' hash), copied per test file —
// or, in the scheduler-postgres vitest project, a copy of a migrated PostgreSQL
// database (test/postgres/testDatabase.ts); the scheduler on a real Fastify
// server on 127.0.0.1, called with fetch.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Server as IoServer } from 'socket.io';
import { type Config, loadConfig, schedulerConfigOf } from '../../hub/config.ts';
import { applyMigrations, REPO_ROOT } from '../../scheduler/db.ts';
import { createScheduler, type Scheduler } from '../../scheduler/index.ts';
import { postgresTestDatabase, postgresTestDatabaseAt, type TestDatabase } from '../postgres/testDatabase.ts';

export const SECRET = 'test-secret-0123456789-0123456789-abcdef';

function migrationsHash(): string {
  const dir = path.join(REPO_ROOT, 'prisma', 'migrations');
  const h = crypto.createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const f = path.join(dir, name, 'migration.sql');
    if (fs.existsSync(f)) h.update(name).update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

/** Path of a migrated, empty database file (built once, then reused). */
export async function templateDb(): Promise<string> {
  const file = path.join(os.tmpdir(), `diemcau-scheduler-template-${migrationsHash()}.db`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  await applyMigrations(`file:${tmp}`);
  fs.renameSync(tmp, file); // atomic: parallel test files never see a half-built template
  return file;
}

/** Where a test hub's database is named, so a restart on the same directory finds it. */
const DATABASE_URL_FILE = 'database-url';

/** A new database for a test hub: its own PostgreSQL database in the scheduler-postgres project, else a SQLite copy. */
async function freshDatabase(dir: string): Promise<TestDatabase> {
  const postgres = await postgresTestDatabase();
  let url = postgres?.url;
  if (!url) {
    const dbFile = path.join(dir, 'test.db');
    fs.copyFileSync(await templateDb(), dbFile);
    url = `file:${dbFile}`;
  }
  fs.writeFileSync(path.join(dir, DATABASE_URL_FILE), url);
  return databaseOf(dir);
}

function databaseOf(dir: string): TestDatabase {
  const url = fs.readFileSync(path.join(dir, DATABASE_URL_FILE), 'utf8');
  // A SQLite file goes with the directory.
  return url.startsWith('file:') ? { url, drop: async () => {} } : postgresTestDatabaseAt(url);
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface Client {
  token: string;
  csrf: string;
  user: any;
  call<T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult<T>>;
}

export interface TestHub {
  url: string;
  app: FastifyInstance;
  scheduler: Scheduler;
  config: Config;
  dir: string;
  call<T = any>(
    method: string,
    url: string,
    init?: { body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResult<T>>;
  login(login: string, password: string): Promise<Client>;
  /** Stops the hub; `keepFiles` leaves its directory for a restart with startHub(env, { dir }). */
  close(opts?: { keepFiles?: boolean }): Promise<void>;
}

export async function startHub(
  env: Record<string, string> = {},
  opts: { io?: boolean; dir?: string } = {},
): Promise<TestHub> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sched-'));
  // A restart (opts.dir) finds the database the first start made in its directory.
  const database = opts.dir ? databaseOf(dir) : await freshDatabase(dir);
  const databaseUrl = database.url;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'silent',
    HTTP_BODY_LIMIT_BYTES: '65536',
    ...env,
  });
  const log = pino({ level: 'silent' });
  const app = Fastify({ bodyLimit: config.HTTP_BODY_LIMIT_BYTES, logger: false });
  const io = opts.io ? new IoServer(app.server) : undefined;
  const scheduler = await createScheduler({
    config: schedulerConfigOf(config),
    log,
    secret: SECRET,
    ...(io && { io }),
  });
  await scheduler.registerRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  async function call<T>(
    method: string,
    u: string,
    init: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + u, { method, headers, body });
    // Keep a byte-order mark visible (Response.text() strips it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  return {
    url,
    app,
    scheduler,
    config,
    dir,
    call,
    async login(login: string, password: string): Promise<Client> {
      const res = await call<any>('POST', '/api/auth/login', { body: { login, password } });
      if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${res.text}`);
      const token = res.body.token as string;
      return {
        token,
        csrf: res.body.csrfToken,
        user: res.body.user,
        call: (method, u, body, headers) =>
          call(method, u, { body, headers: { authorization: `Bearer ${token}`, ...headers } }),
      };
    },
    async close({ keepFiles = false } = {}) {
      io?.close();
      await app.close();
      await scheduler.close();
      if (keepFiles) return;
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ISO string with +07:00 for a UTC instant (what a Vietnamese client sends). */
export function vn(d: Date): string {
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

export const hours = (n: number) => n * 3600_000;
