// Which process runs the hub on a DATA_DIR: its pid in DATA_DIR/hub.pid while
// it runs. Commands that must not work under a running hub (restore) ask
// runningHub. A pid file a crash left behind names a dead process, or one whose
// pid was reused; the heartbeat, fresh only while a hub runs, tells them apart.
import fs from 'node:fs';
import path from 'node:path';
import { lastHeartbeat } from './heartbeat.ts';

/** The heartbeat is written every 5 s: older than this, no hub runs here. */
const HEARTBEAT_STALE_MS = 20_000;

const pidFile = (dataDir: string) => path.join(dataDir, 'hub.pid');

/** Records this process as the hub of `dataDir`; the returned function removes the record. */
export function holdHubLock(dataDir: string): () => void {
  const file = pidFile(dataDir);
  fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    if (runningPid(file) === process.pid) fs.rmSync(file, { force: true });
  };
}

/** The pid of the hub running on `dataDir`, or null when none does. */
export function runningHub(dataDir: string, now = Date.now()): number | null {
  const pid = runningPid(pidFile(dataDir));
  if (pid === null || !alive(pid)) return null;
  const beat = lastHeartbeat(dataDir);
  return beat && now - beat.getTime() < HEARTBEAT_STALE_MS ? pid : null;
}

function runningPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user (the service's).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
