// Who may read the hub's files. DATA_DIR holds the database (password hashes,
// session hashes, the schedule), the signing secret and the TLS key, so only
// the hub's own user may enter it. Applied at every start, which also tightens
// modes left looser by an older version, a copy or a restore.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** Sets `file`'s permission bits to `mode` when it exists and differs. */
export function tighten(file: string, mode: number): void {
  let current: number;
  try {
    current = fs.statSync(file).mode & 0o777;
  } catch {
    return;
  }
  if (current !== mode) fs.chmodSync(file, mode);
}

/** Creates DATA_DIR (0700) and makes it, its TLS folder, the secret and the key private. */
export function secureDataDir(config: Config, log: Logger): void {
  fs.mkdirSync(config.DATA_DIR, { recursive: true, mode: PRIVATE_DIR });
  tighten(config.DATA_DIR, PRIVATE_DIR);
  tighten(path.join(config.DATA_DIR, 'tls'), PRIVATE_DIR);
  tighten(path.join(config.DATA_DIR, 'tls', 'key.pem'), PRIVATE_FILE);
  tighten(path.join(config.DATA_DIR, 'secrets.json'), PRIVATE_FILE);
  // A configured key belongs to whoever installed it (often group ssl-cert): say so, change nothing.
  if (config.TLS_KEY_FILE && (fs.statSync(config.TLS_KEY_FILE).mode & 0o004) !== 0) {
    log.warn({ file: config.TLS_KEY_FILE }, 'TLS_KEY_FILE is readable by every user of this machine: chmod o-r it');
  }
}
