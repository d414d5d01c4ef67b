// The link figures from two getStats() samples shaped like Chrome's (and
// Firefox's) RTCStatsReport for a site's send and receive transports.
import { describe, expect, it } from 'vitest';
import { type LinkSample, linkSample, linkStats, type StatsReport } from './linkStats.ts';

type Stat = Readonly<Record<string, unknown>>;
const report = (...stats: Stat[]): StatsReport => new Map(stats.map((s) => [String(s.id), s]));

/** The send transport's report: our camera's simulcast out, what the hub says it lost of ours, the ICE pairs. */
function sendReport(o: { bytesSent: number; bytesReceived: number; rtt: number; remoteLost: number }): StatsReport {
  return report(
    {
      id: 'T01',
      type: 'transport',
      bytesSent: o.bytesSent,
      bytesReceived: o.bytesReceived,
      selectedCandidatePairId: 'CP1',
    },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: o.rtt },
    // A pair tried during ICE and not used: its RTT says nothing about the link.
    { id: 'CP2', type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 0.31 },
    { id: 'OT01V1', type: 'outbound-rtp', kind: 'video', rid: 'r1', packetsSent: 9000, bytesSent: 800_000 },
    // Loss of what we send, seen by the hub: not this site's inbound loss.
    { id: 'RI01V1', type: 'remote-inbound-rtp', kind: 'video', packetsLost: o.remoteLost, roundTripTime: 0.05 },
    { id: 'CIT01_0', type: 'codec', mimeType: 'video/VP8', payloadType: 101 },
  );
}

/** The receive transport's report: the other sites' audio and video in. */
function recvReport(o: {
  bytesSent: number;
  bytesReceived: number;
  rtt: number;
  audio: { received: number; lost: number };
  video: { received: number; lost: number };
}): StatsReport {
  return report(
    {
      id: 'T02',
      type: 'transport',
      bytesSent: o.bytesSent,
      bytesReceived: o.bytesReceived,
      selectedCandidatePairId: 'CP9',
    },
    { id: 'CP9', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: o.rtt },
    { id: 'IT02A1', type: 'inbound-rtp', kind: 'audio', packetsReceived: o.audio.received, packetsLost: o.audio.lost },
    { id: 'IT02V2', type: 'inbound-rtp', kind: 'video', packetsReceived: o.video.received, packetsLost: o.video.lost },
  );
}

describe('link figures between two samples', () => {
  const before = linkSample(
    [
      sendReport({ bytesSent: 1_200_000, bytesReceived: 30_000, rtt: 0.044, remoteLost: 7 }),
      recvReport({
        bytesSent: 25_000,
        bytesReceived: 2_400_000,
        rtt: 0.062,
        audio: { received: 4000, lost: 12 },
        video: { received: 16_000, lost: 30 },
      }),
    ],
    10_000,
  );
  // 3 s later: 375 kB out (372 kB media + 3 kB of RTCP on the receive side), 750 kB in,
  // 1000 packets due in of which 20 were lost (2 %); the hub lost 50 of ours (not counted here).
  const after = linkSample(
    [
      sendReport({ bytesSent: 1_572_000, bytesReceived: 33_000, rtt: 0.04, remoteLost: 57 }),
      recvReport({
        bytesSent: 28_000,
        bytesReceived: 3_147_000,
        rtt: 0.06,
        audio: { received: 4150, lost: 12 },
        video: { received: 16_830, lost: 50 },
      }),
    ],
    13_000,
  );

  it('sums both transports and averages the RTT of the pairs in use', () => {
    expect(after).toEqual({
      at: 13_000,
      rttMs: 50,
      bytesSent: 1_600_000,
      bytesReceived: 3_180_000,
      packetsLost: 62,
      packetsReceived: 20_980,
    });
  });

  it('gives RTT, inbound loss and kb/s over the interval', () => {
    expect(linkStats(before, after)).toEqual({ rttMs: 50, lossPct: 2, sendKbps: 1000, recvKbps: 2000 });
  });

  it('rounds loss to a tenth of a percent and rates to whole kb/s over any interval', () => {
    const a: LinkSample = {
      at: 0,
      rttMs: 123.4,
      bytesSent: 0,
      bytesReceived: 0,
      packetsLost: 0,
      packetsReceived: 0,
    };
    const b: LinkSample = {
      at: 2500,
      rttMs: 123.6,
      bytesSent: 250_000,
      bytesReceived: 100_001,
      packetsLost: 1,
      packetsReceived: 299,
    };
    // 1 of 300 packets lost = 0.33 %; 250 kB in 2.5 s = 800 kb/s; 100.001 kB in 2.5 s = 320.0032 kb/s.
    expect(linkStats(a, b)).toEqual({ rttMs: 124, lossPct: 0.3, sendKbps: 800, recvKbps: 320 });
  });

  it('counts the pair Firefox marks selected, and reports 0 ms when no pair is in use yet', () => {
    const firefox = linkSample(
      [
        report(
          { id: 'p1', type: 'candidate-pair', state: 'succeeded', selected: true, currentRoundTripTime: 0.12 },
          { id: 'p2', type: 'candidate-pair', state: 'in-progress', selected: false, currentRoundTripTime: 0.02 },
        ),
      ],
      1,
    );
    expect(firefox.rttMs).toBe(120);
    const checking = linkSample(
      [report({ id: 'p1', type: 'candidate-pair', state: 'in-progress', nominated: false })],
      3001,
    );
    expect(checking.rttMs).toBeNull();
    expect(linkStats(firefox, checking).rttMs).toBe(0);
  });

  it('reads counters that went down (transports re-created) as no traffic and no loss, never negative', () => {
    const rebuilt = linkSample(
      [
        sendReport({ bytesSent: 4_000, bytesReceived: 1_000, rtt: 0.05, remoteLost: 0 }),
        recvReport({
          bytesSent: 500,
          bytesReceived: 9_000,
          rtt: 0.05,
          audio: { received: 10, lost: 0 },
          video: { received: 40, lost: 0 },
        }),
      ],
      16_000,
    );
    expect(linkStats(after, rebuilt)).toEqual({ rttMs: 50, lossPct: 0, sendKbps: 0, recvKbps: 0 });
  });
});
