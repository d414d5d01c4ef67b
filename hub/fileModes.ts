// Who may read the hub's files. DATA_DIR holds the database (password hashes,
// session hashes, the schedule), the signing secret and the TLS key, so only
// the hub's own user may enter it. Applied at every start, which also tightens
// modes left looser by an older version, a copy or a restore.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { PRIVATE_DIR, PRIVATE_FILE, tighten } from '../scheduler/privateFiles.ts';
import type { Config } from './config.ts';

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
