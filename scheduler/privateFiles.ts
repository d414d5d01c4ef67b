// Files only the hub's own user may read: the database (password and session
// hashes, the schedule) here, and the hub's secret and TLS key (hub/fileModes.ts).
import fs from 'node:fs';

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
