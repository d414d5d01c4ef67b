// One entry point for `npm start`, `npm test`, `npm run create-admin`, `backup`, `restore` and `bench:load` on a
// fresh clone: installs whatever is missing (Debian packages, npm packages,
// the mediasoup worker, the Prisma client, the built web client), then runs
// the command. Every step is skipped in milliseconds when its inputs did not
// change. Plain Node with no dependencies, because it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePostgresSchema } from '../prisma/postgres/schema.mjs';
import { runMediasoupTests } from './mediasoup-tests.mjs';
import { ensureWorker, workerBinaryPath } from './mediasoup-worker/build.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repoRoot);

/**
 * Debian packages: the worker's build inputs and runtime libraries, FFmpeg
 * (recording), the test browser, the directory and database servers the
 * integration tests start, and the Go toolchain with Pion for the load bench's bots (built by
 * bench/pion/build.ts, which keys its cache on these two packages' versions).
 */
const DEBIAN_PACKAGES = {
  always: [
    'meson',
    'ninja-build',
    'pkg-config',
    'patch',
    'openssl',
    'libssl-dev',
    'libuv1-dev',
    'libabsl-dev',
    'libsrtp2-dev',
    'libusrsctp-dev',
    'nlohmann-json3-dev',
    'ffmpeg',
  ],
  test: [
    'chromium',
    'coturn',
    'iproute2',
    'slapd',
    'ldap-utils',
    'postgresql-15',
    'redis-server',
    'haproxy',
    'baresip-core',
    'baresip-ffmpeg',
  ],
  bots: ['golang-go', 'golang-github-pion-webrtc.v3-dev'],
};

function log(message) {
  console.log(`[bootstrap] ${message}`);
}

function fail(message) {
  console.error(`[bootstrap] ERROR: ${message}`);
  process.exit(1);
}

async function step(name, fn) {
  const started = Date.now();
  const outcome = await fn();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`${name}: ${outcome ?? 'done'} (${seconds} s)`);
}

function hashOf(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function hashTree(dir, skip = new Set()) {
  const hash = createHash('sha256');
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (skip.has(entry.name)) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function readStamp(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`Node ${process.versions.node} is too old: install Node 20 or 22.`);
}

function missingDebianPackages(names) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], { encoding: 'utf8' });
  const installed = new Set(
    (result.stdout ?? '')
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  );
  return names.filter((n) => !installed.has(n));
}

function installDebianPackages(names) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return 'all present';
  if (process.getuid?.() !== 0) {
    fail(
      `missing Debian packages: ${missing.join(' ')}\n  Install them as root: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '--no-install-recommends', ...missing];
  if (run('apt-get', args, env) !== 0) {
    log('apt-get install failed; refreshing the package lists and trying again');
    if (run('apt-get', ['update'], env) !== 0 || run('apt-get', args, env) !== 0) {
      fail(`could not install ${missing.join(' ')} with apt-get: check the Debian mirror in /etc/apt/sources.list.`);
    }
  }
  return `installed ${missing.join(' ')}`;
}

function installNpmPackages() {
  const stampFile = path.join('node_modules', '.diemcau-install-stamp');
  const stamp = hashOf(fs.readFileSync('package-lock.json'), process.versions.modules);
  if (readStamp(stampFile) === stamp) return 'up to date';
  // mediasoup's postinstall would download a worker from GitHub; pointing it at
  // our own (cached or soon built) worker makes it skip that.
  if (run('npm', ['ci', '--no-audit', '--no-fund'], { MEDIASOUP_WORKER_BIN: workerBinaryPath() }) !== 0) {
    fail('npm ci failed: see the output above (the npm registry must be reachable).');
  }
  fs.writeFileSync(stampFile, stamp);
  return 'npm ci';
}

function generatePrismaClient() {
  const schema = path.join('prisma', 'schema.prisma');
  if (!fs.existsSync(schema)) return 'no schema';
  const stampFile = path.join('scheduler', 'generated', '.stamp');
  const stamp = hashOf(
    fs.readFileSync(schema),
    fs.readFileSync('package-lock.json'),
    fs.readFileSync(path.join('prisma', 'postgres', 'schema.mjs')),
  );
  if (readStamp(stampFile) === stamp) return 'up to date';
  if (run(process.execPath, ['node_modules/prisma/build/index.js', 'generate']) !== 0) fail('prisma generate failed.');
  // The same models for PostgreSQL (DATABASE_URL=postgresql://…): a client is tied to one provider.
  writePostgresSchema(repoRoot);
  const postgresConfig = path.join('prisma', 'postgres', 'prisma.config.ts');
  if (run(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--config', postgresConfig]) !== 0) {
    fail('prisma generate failed for the PostgreSQL client.');
  }
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, stamp);
  return 'generated (SQLite and PostgreSQL clients)';
}

function buildClient() {
  const config = path.join('client', 'vite.config.ts');
  if (!fs.existsSync(config)) return 'no client yet';
  const stampFile = path.join('client', 'dist', '.stamp');
  const stamp = hashOf(
    hashTree('client', new Set(['dist', 'node_modules'])),
    hashTree('contract'),
    fs.readFileSync('package-lock.json'),
  );
  if (readStamp(stampFile) === stamp) return 'up to date';
  if (run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', config]) !== 0) {
    fail('building the web client failed: see the output above.');
  }
  fs.writeFileSync(stampFile, stamp);
  return 'built client/dist';
}

async function prepare(command) {
  checkNode();
  const packages = [
    ...DEBIAN_PACKAGES.always,
    ...(command === 'test' ? DEBIAN_PACKAGES.test : []),
    ...(command === 'test' || command === 'bench-load' ? DEBIAN_PACKAGES.bots : []),
  ];
  await step('Debian packages', () => installDebianPackages(packages));
  await step('npm packages', installNpmPackages);
  let workerBin = '';
  await step('mediasoup worker', async () => {
    const cached = fs.existsSync(workerBinaryPath());
    workerBin = await ensureWorker((line) => log(line));
    return cached ? `cached at ${workerBin}` : `built ${workerBin}`;
  });
  await step('Prisma client', generatePrismaClient);
  await step('web client', buildClient);
  return { MEDIASOUP_WORKER_BIN: workerBin };
}

/** Runs the hub in the foreground, passing SIGINT/SIGTERM on so it shuts down cleanly. */
function runForeground(args, env) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runTests(env, extraArgs) {
  const results = [];
  const check = async (name, fn) => {
    const started = Date.now();
    const code = await fn();
    results.push({ name, code, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  };
  const node = (args) => run(process.execPath, args, env);
  await check('lint (biome)', () => node(['node_modules/@biomejs/biome/bin/biome', 'check', '.']));
  await check('typecheck (tsc)', () => node(['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']));
  await check('mediasoup suite (157 tests)', () => {
    Object.assign(process.env, env);
    return runMediasoupTests();
  });
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-test-report-'));
  const jsonReport = path.join(reportDir, 'vitest.json');
  const skipLog = path.join(reportDir, 'skipped.txt');
  await check('vitest', () =>
    run(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${jsonReport}`,
        ...extraArgs,
      ],
      { ...env, DIEMCAU_SKIP_LOG: skipLog },
    ),
  );
  console.log('\n[bootstrap] test summary');
  for (const r of results) console.log(`  ${r.code === 0 ? 'PASS' : 'FAIL'}  ${r.name} (${r.seconds} s)`);
  // The end of the output is what a CI log shows first: name every failure and skip here.
  for (const line of vitestProblems(jsonReport)) console.log(`  ${line}`);
  if (fs.existsSync(skipLog))
    for (const line of new Set(fs.readFileSync(skipLog, 'utf8').split('\n').filter(Boolean)))
      console.log(`  SKIP  ${line}`);
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
}

/** One line per failed test or failed file (a failing hook fails the whole file), from vitest's JSON report. */
function vitestProblems(file) {
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const firstLine = (text) =>
    String(text ?? '')
      .split('\n')
      .find((l) => l.trim()) ?? '';
  const lines = [];
  for (const suite of report.testResults ?? []) {
    const where = path.relative(repoRoot, suite.name);
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) lines.push(`FAIL  ${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    if (suite.status !== 'failed' || failed.length > 0) continue;
    lines.push(
      `FAIL  ${where}: ${firstLine(suite.message) || 'a beforeAll/afterAll hook failed (its error is printed above)'}`,
    );
  }
  return lines;
}

const [command = 'start', ...rest] = process.argv.slice(2);
const env = await prepare(command);
switch (command) {
  case 'start':
    runForeground(['--import', 'tsx', 'hub/main.ts', ...rest], env);
    break;
  case 'test':
    await runTests(env, rest);
    break;
  case 'create-admin':
    runForeground(['--import', 'tsx', 'hub/createAdmin.ts', ...rest], env);
    break;
  case 'backup':
    runForeground(['--import', 'tsx', 'hub/backupCommand.ts', ...rest], env);
    break;
  case 'restore':
    runForeground(['--import', 'tsx', 'hub/restoreCommand.ts', ...rest], env);
    break;
  case 'bench-load':
    runForeground(['--import', 'tsx', 'bench/load.ts', ...rest], env);
    break;
  case 'prepare':
    break;
  default:
    fail(`unknown command "${command}": use start, test, create-admin, backup, restore, bench-load or prepare.`);
}
