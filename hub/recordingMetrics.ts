// The recordings' storage on /metrics: bytes under RECORDINGS_DIR, recordings
// by status and the free space left on their disk, read at scrape time (one
// read serves the three gauges of a scrape).
import { Gauge, type Registry } from 'prom-client';
import type { RecordingStorage } from '../scheduler/recordingArchive.ts';

/** Gauges of one scrape collect within this; a later scrape reads afresh. */
const SAME_SCRAPE_MS = 1000;

export function registerRecordingMetrics(registry: Registry, read: () => Promise<RecordingStorage>): void {
  let last: { at: number; storage: Promise<RecordingStorage> } | null = null;
  const storage = () => {
    const now = Date.now();
    if (!last || now - last.at > SAME_SCRAPE_MS) last = { at: now, storage: read() };
    return last.storage;
  };
  new Gauge({
    name: 'diemcau_recordings_bytes',
    help: 'Bytes on disk under RECORDINGS_DIR (built MP4s and any raw tracks kept)',
    registers: [registry],
    async collect() {
      this.set((await storage()).bytes);
    },
  });
  new Gauge({
    name: 'diemcau_recordings_free_bytes',
    help: 'Free bytes on the disk that holds RECORDINGS_DIR',
    registers: [registry],
    async collect() {
      this.set((await storage()).freeBytes);
    },
  });
  new Gauge({
    name: 'diemcau_recordings',
    help: 'Recordings by status (recording, building, ready, failed, deleted)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [status, n] of Object.entries((await storage()).byStatus)) this.set({ status }, n);
    },
  });
}
