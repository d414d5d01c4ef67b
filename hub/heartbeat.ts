// A file touched every few seconds while the hub runs: after a crash or a
// stop, its time tells when the hub was last alive, so attendance records the
// outage as a gap.
import fs from 'node:fs';
import path from 'node:path';

const HEARTBEAT_MS = 5000;

export function lastHeartbeat(dataDir: string): Date | null {
  try {
    return fs.statSync(path.join(dataDir, 'heartbeat')).mtime;
  } catch {
    return null;
  }
}

export function startHeartbeat(dataDir: string): () => void {
  const file = path.join(dataDir, 'heartbeat');
  const beat = () => fs.writeFileSync(file, new Date().toISOString());
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  // The last beat stays on disk after a stop too: the next start closes the
  // intervals of sites still connected at that moment.
  return () => {
    clearInterval(timer);
    beat();
  };
}
