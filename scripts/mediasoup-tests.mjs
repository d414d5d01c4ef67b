// Runs mediasoup's own bundled test suite (node_modules/mediasoup/node/lib/tests,
// 157 jest tests) against the exact worker binary the hub uses, so a bad build
// of the worker fails CI before any of our tests run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWorker } from './mediasoup-worker/build.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testsDir = path.join(repoRoot, 'node_modules', 'mediasoup', 'node', 'lib', 'tests');

/** The npm package lacks the DTLS pair its tests load; any self-signed pair serves. */
function ensureDtlsFiles() {
  const dataDir = path.join(testsDir, 'data');
  const cert = path.join(dataDir, 'dtls-cert.pem');
  const key = path.join(dataDir, 'dtls-key.pem');
  if (fs.existsSync(cert) && fs.existsSync(key)) return;
  fs.mkdirSync(dataDir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=mediasoup-tests',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
}

export async function runMediasoupTests() {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN || (await ensureWorker());
  ensureDtlsFiles();
  const jestConfig = {
    rootDir: testsDir,
    testEnvironment: 'node',
    testRegex: 'test-.*\\.js$',
    testPathIgnorePatterns: [],
    haste: { retainAllFiles: true },
  };
  const result = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      JSON.stringify(jestConfig),
      '--runInBand',
    ],
    { stdio: 'inherit', env: { ...process.env, MEDIASOUP_WORKER_BIN: workerBin } },
  );
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runMediasoupTests().then((code) => process.exit(code));
}
