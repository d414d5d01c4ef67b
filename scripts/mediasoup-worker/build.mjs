// Builds the mediasoup worker from Debian's libraries, offline, and caches the
// binary outside node_modules so `npm ci` never triggers a rebuild.
//
// mediasoup's own postinstall downloads a prebuilt worker or meson wraps from
// the internet; neither is reachable here. Instead we copy the worker sources
// from node_modules, replace every wrap with a small subproject that points
// at the system library (scripts/mediasoup-worker/subprojects), apply our
// patches, and build only the `mediasoup-worker` target.
// See ../../docs/bootstrap.md and ../shared/OFFLINE-BUILD.md.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export const MEDIASOUP_VERSION = '3.12.16';

/**
 * Every file whose content changes the built binary, in a stable order: the
 * patches and the subproject stand-ins (this script's own edits do not count).
 */
function buildInputs() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.patch') || full.includes(`${path.sep}subprojects${path.sep}`)) files.push(full);
    }
  };
  walk(here);
  return files;
}

function cacheRoot() {
  if (process.env.DIEMCAU_CACHE_DIR) return process.env.DIEMCAU_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'diemcau');
}

/** Where the worker for this mediasoup version and these patches lives. */
export function workerBinaryPath() {
  const hash = createHash('sha256').update(MEDIASOUP_VERSION);
  for (const file of buildInputs()) {
    hash.update(path.relative(here, file));
    hash.update(fs.readFileSync(file));
  }
  const key = hash.digest('hex').slice(0, 12);
  return path.join(cacheRoot(), `mediasoup-worker-${MEDIASOUP_VERSION}-${key}`, 'mediasoup-worker');
}

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-8000);
      options.onOutput?.(chunk.toString());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${tail}`));
    });
  });
}

/** Prints ninja's "[n/total]" lines as a percentage, at most every 5 %. */
function ninjaProgress(log) {
  let lastShown = -5;
  let buffered = '';
  return (text) => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^\[(\d+)\/(\d+)\]/.exec(line);
      if (!match) continue;
      const pct = Math.floor((Number(match[1]) / Number(match[2])) * 100);
      if (pct - lastShown < 5 && pct !== 100) continue;
      lastShown = pct;
      log(`compiling mediasoup-worker: ${pct}% (${match[1]}/${match[2]})`);
    }
  };
}

function assertMediasoupInstalled() {
  const pkg = path.join(repoRoot, 'node_modules', 'mediasoup', 'package.json');
  if (!fs.existsSync(pkg)) throw new Error('node_modules/mediasoup is missing: run `npm ci` first.');
  const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
  if (version !== MEDIASOUP_VERSION) {
    throw new Error(`node_modules has mediasoup ${version}, this build is for ${MEDIASOUP_VERSION}: run \`npm ci\`.`);
  }
}

function prepareSources(buildDir) {
  const src = path.join(repoRoot, 'node_modules', 'mediasoup', 'worker');
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.cpSync(src, buildDir, { recursive: true });
  fs.cpSync(path.join(here, 'subprojects'), path.join(buildDir, 'subprojects'), { recursive: true });
  // Debian 12 ships meson 1.0.1, which builds this worker correctly.
  const mesonFile = path.join(buildDir, 'meson.build');
  const meson = fs.readFileSync(mesonFile, 'utf8').replace("meson_version: '>= 1.1.0'", "meson_version: '>= 1.0.0'");
  fs.writeFileSync(mesonFile, meson);
}

async function applyPatches(buildDir) {
  const patches = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.patch'))
    .sort();
  for (const patch of patches) {
    await run('patch', ['-p1', '--forward', '--input', path.join(here, patch)], { cwd: buildDir });
  }
  return patches;
}

/**
 * Returns the path of a worker binary built from this repo's recipe, building
 * it first (several minutes on 2 cores) when the cache lacks it.
 */
export async function ensureWorker(log = console.log) {
  const binary = workerBinaryPath();
  if (fs.existsSync(binary)) return binary;
  assertMediasoupInstalled();

  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-worker-'));
  log(
    `building mediasoup-worker ${MEDIASOUP_VERSION} from Debian's libraries in ${buildDir} (about 5 minutes on 2 cores)`,
  );
  prepareSources(buildDir);
  const patches = await applyPatches(buildDir);
  log(`applied patches: ${patches.join(', ')}`);
  await run('meson', ['setup', 'out', '--wrap-mode=nodownload', '--buildtype=release'], { cwd: buildDir });
  const jobs = String(Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  await run('ninja', ['-C', 'out', '-j', jobs, 'mediasoup-worker'], { cwd: buildDir, onOutput: ninjaProgress(log) });

  // Copy then rename so an interrupted build never leaves a half-written binary.
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  fs.copyFileSync(path.join(buildDir, 'out', 'mediasoup-worker'), partial);
  fs.chmodSync(partial, 0o755);
  fs.renameSync(partial, binary);
  fs.rmSync(buildDir, { recursive: true, force: true });
  log(`mediasoup-worker cached at ${binary}`);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureWorker((line) => console.log(`[worker] ${line}`))
    .then((bin) => console.log(bin))
    .catch((err) => {
      console.error(`[worker] ${err.message}`);
      process.exit(1);
    });
}
