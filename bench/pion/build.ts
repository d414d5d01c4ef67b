// Builds the Pion bot media engine (bench/pion/engine/*.go) on demand, offline,
// from Debian's Go toolchain and Pion sources (installed by scripts/bootstrap.mjs
// for `npm test` and `npm run bench:load`), and caches the binary under
// ~/.cache/diemcau keyed by the Go sources and the Debian package versions.
// Run alone: `node --import tsx bench/pion/build.ts`.
//
// Debian keeps Pion in GOPATH layout without the major-version suffixes the
// code imports (pion/webrtc, not pion/webrtc/v3): a GOPATH entry of symlinks
// (the "shim", in the cache, never in the repository) supplies those paths.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGINE_SOURCES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine');
const GOCODE = '/usr/share/gocode/src';
export const DEBIAN_PACKAGES = ['golang-go', 'golang-github-pion-webrtc.v3-dev'];

/** The engine cannot be built here because its toolchain is not installed (not a build error). */
export class PionUnavailable extends Error {}

type Log = (line: string) => void;

function cacheRoot(): string {
  if (process.env.DIEMCAU_CACHE_DIR) return process.env.DIEMCAU_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'diemcau');
}

function packageVersions(): Map<string, string> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Version} ${Status}\\n', ...DEBIAN_PACKAGES], {
    encoding: 'utf8',
  });
  const versions = new Map<string, string>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const [name, version] = line.split(' ');
    if (name && version && line.endsWith(' installed')) versions.set(name, version);
  }
  return versions;
}

function sourceFiles(): string[] {
  return fs
    .readdirSync(ENGINE_SOURCES)
    .filter((f) => f.endsWith('.go'))
    .sort();
}

/** Symlinks every Debian Go module whose path has a /vN suffix at that path, in `shim`/src. */
function buildShim(shim: string): void {
  const walk = (dir: string, depth: number): void => {
    if (depth > 5) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.name === 'go.mod') {
        const module = /^module\s+(\S+)/m.exec(fs.readFileSync(full, 'utf8'))?.[1];
        const rel = path.relative(GOCODE, dir);
        if (!module || !/\/v\d+$/.test(module) || module === rel) continue;
        const link = path.join(shim, 'src', module);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.rmSync(link, { force: true });
        fs.symlinkSync(dir, link);
      }
    }
  };
  walk(GOCODE, 0);
}

/** Engines built from other versions of the sources are not run again: remove them. */
function pruneOtherBuilds(keep: string): void {
  const root = path.dirname(keep);
  for (const name of fs.readdirSync(root)) {
    const full = path.join(root, name);
    if (name.startsWith('pion-engine-') && full !== keep) fs.rmSync(full, { recursive: true, force: true });
  }
}

/**
 * Path of the engine binary, building it first if this version of the sources
 * was never built here. Throws PionUnavailable when Go or Pion cannot be
 * installed; any other error is a real build failure.
 */
export function pionEngineBinary(log: Log = (line) => console.log(`[pion build] ${line}`)): string {
  const versions = packageVersions();
  const missing = DEBIAN_PACKAGES.filter((p) => !versions.has(p));
  if (missing.length > 0) {
    throw new PionUnavailable(
      `missing Debian packages ${missing.join(' ')} (npm test and npm run bench:load install them, scripts/bootstrap.mjs; or as root: apt-get install -y ${missing.join(' ')})`,
    );
  }
  const hash = createHash('sha256');
  for (const p of DEBIAN_PACKAGES) hash.update(`${p} ${versions.get(p)}\n`);
  for (const f of sourceFiles()) hash.update(f).update(fs.readFileSync(path.join(ENGINE_SOURCES, f)));
  const key = hash.digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), `pion-engine-${key}`);
  const binary = path.join(dir, 'bot-engine');
  if (fs.existsSync(binary)) return binary;

  const started = Date.now();
  log(`building the Pion bot engine (${sourceFiles().length} Go files, key ${key})`);
  const shim = path.join(dir, 'gopath');
  fs.rmSync(shim, { recursive: true, force: true });
  buildShim(shim);
  // GOPATH mode builds a program from inside a GOPATH: copy the sources there.
  const program = path.join(shim, 'src', 'diemcau', 'botengine');
  fs.mkdirSync(program, { recursive: true });
  for (const f of sourceFiles()) fs.copyFileSync(path.join(ENGINE_SOURCES, f), path.join(program, f));
  const tmp = `${binary}.${process.pid}.tmp`;
  const result = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: program,
    encoding: 'utf8',
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: `${shim}:/usr/share/gocode`,
      GOFLAGS: '',
      GOPROXY: 'off',
      GOCACHE: path.join(cacheRoot(), 'go-build'),
    },
  });
  if (result.error) throw new Error(`could not run go: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go build failed:\n${result.stderr}${result.stdout}`);
  fs.renameSync(tmp, binary);
  fs.rmSync(shim, { recursive: true, force: true });
  log(`built ${binary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  pruneOtherBuilds(dir);
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(pionEngineBinary());
}
