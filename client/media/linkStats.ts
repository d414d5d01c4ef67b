// The link figures a site shows itself and reports to the chair's board
// (reportLinkStats), from two successive getStats() samples of its transports:
// round-trip time of the selected candidate pairs, inbound packet loss, and
// send / receive kb/s over the interval. Pure: no timers, no WebRTC objects.
import type { LinkStats } from '../../contract/signaling.ts';

/** One getStats() result (an RTCStatsReport): stats objects by id. */
export type StatsReport = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** The running totals of one sample, taken at `at` (ms). */
export interface LinkSample {
  at: number;
  /** Mean RTT of the selected candidate pairs in this sample, ms; null when none reports one. */
  rttMs: number | null;
  bytesSent: number;
  bytesReceived: number;
  packetsLost: number;
  packetsReceived: number;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Sums one sample over every transport's report (the send and the receive transport). */
export function linkSample(reports: readonly StatsReport[], at: number): LinkSample {
  let rttSum = 0;
  let rttN = 0;
  const sample: LinkSample = { at, rttMs: null, bytesSent: 0, bytesReceived: 0, packetsLost: 0, packetsReceived: 0 };
  for (const report of reports) {
    for (const s of report.values()) {
      // Chrome marks the pair in use as nominated, Firefox as selected.
      if (s.type === 'candidate-pair' && (s.nominated || s.selected) && typeof s.currentRoundTripTime === 'number') {
        rttSum += s.currentRoundTripTime * 1000;
        rttN++;
      } else if (s.type === 'transport') {
        sample.bytesSent += count(s.bytesSent);
        sample.bytesReceived += count(s.bytesReceived);
      } else if (s.type === 'inbound-rtp') {
        sample.packetsLost += count(s.packetsLost);
        sample.packetsReceived += count(s.packetsReceived);
      }
    }
  }
  if (rttN > 0) sample.rttMs = rttSum / rttN;
  return sample;
}

/**
 * The figures between two samples of the same transports. Counters that went
 * down (a transport was re-created) count as no traffic, never as negative.
 */
export function linkStats(prev: LinkSample, next: LinkSample): LinkStats {
  const secs = Math.max(0.001, (next.at - prev.at) / 1000);
  const kbps = (bytesBefore: number, bytesAfter: number) =>
    Math.max(0, Math.round(((bytesAfter - bytesBefore) * 8) / 1000 / secs));
  const lost = Math.max(0, next.packetsLost - prev.packetsLost);
  const received = Math.max(0, next.packetsReceived - prev.packetsReceived);
  return {
    rttMs: next.rttMs === null ? 0 : Math.round(next.rttMs),
    lossPct: lost + received > 0 ? Math.round((1000 * lost) / (lost + received)) / 10 : 0,
    sendKbps: kbps(prev.bytesSent, next.bytesSent),
    recvKbps: kbps(prev.bytesReceived, next.bytesReceived),
  };
}
