// What one phase measured, from the counters at both ends of the steady-state
// window, the CPU report and every bot's result: the `diemcau` and `bare`
// objects of the result JSON, with the reasons to call the machine saturated.
import type { BotResult } from './bots/Bot.ts';
import type { BotFleet, FleetSnapshot } from './bots/BotFleet.ts';
import { subCounters } from './bots/counters.ts';
import type { CpuReport } from './cpu.ts';
import { type LoadOptions, targetPps } from './options.ts';
import { dist, round } from './stats.ts';
import type { Target } from './targets.ts';

/** The chair's and the sites' bot counters at one moment. */
export interface MeetingSnapshot {
  chair: FleetSnapshot;
  sites: FleetSnapshot;
}

export interface PhaseMeasurements {
  a: MeetingSnapshot;
  b: MeetingSnapshot;
  report: CpuReport;
  siteResults: BotResult[];
  chairResult: BotResult | undefined;
  rampSec: number;
  siteFleet: BotFleet;
  chairFleet: BotFleet;
  before: { quiet: boolean; busyPct: number[] };
}

export type PhaseSummary = ReturnType<typeof summarisePhase>;

export function summarisePhase(name: string, options: LoadOptions, target: Target, m: PhaseMeasurements) {
  const { sites } = options;
  const { site: sitePps, chair: chairPps } = targetPps(options);
  const { a, b, report } = m;
  const windowSec = (b.sites.at - a.sites.at) / 1000;
  const d = subCounters(b.sites.counters, a.sites.counters);
  const dc = subCounters(b.chair.counters, a.chair.counters);
  const joinedResults = m.siteResults.filter((r) => r.joined);
  const joined = joinedResults.length;
  const failed = sites - joined;
  const expected = d.audio.expected + d.video.expected;
  const received = d.audio.packets + d.video.packets;
  const lossPct = expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : null;
  const siteSentPps = d.sentPackets / windowSec;
  const chairSentPps = dc.sentPackets / windowSec;
  const siteRecvPps = received / windowSec;
  const siteSendRatePct = joined > 0 ? (100 * siteSentPps) / (joined * sitePps) : 0;
  const chairSendRatePct = (100 * chairSentPps) / chairPps;
  const pct = (pid: number) => report.byPid.get(pid) ?? Number.NaN;
  const workerPcts = target.workerPids.map(pct);
  const sfuWorkersPct = workerPcts.reduce((s, v) => s + v, 0);
  const controlPct = pct(process.pid);
  const botPcts = m.siteFleet.pids.map(pct);
  const chairBotPct = pct(m.chairFleet.pids[0] ?? 0);
  const ingressPps = siteSentPps + chairSentPps;
  const egressPps = siteRecvPps;
  const packetsPerWorkerCoreSec = (ingressPps + egressPps) / (sfuWorkersPct / 100);
  const packetsPerSfuCoreSec = (ingressPps + egressPps) / ((sfuWorkersPct + controlPct) / 100);
  const maxLoopDelay = Math.max(...b.sites.loopDelayP99MsByProcess);
  // Core time not used by any process of this benchmark, less the kernel's
  // packet processing (irq/softirq, for loopback UDP mostly charged to no
  // process) and hypervisor steal: other programs on the machine.
  const oursPct = [...report.byPid.values()].filter(Number.isFinite).reduce((s, v) => s + v, 0);
  const otherPct = report.coreBusyPct.reduce((s, v) => s + v, 0) - oursPct - report.irqPct - report.stealPct;

  const reasons = saturationReasons(report, siteSendRatePct, chairSendRatePct, maxLoopDelay);

  const receivedBoth = joinedResults.filter(
    (r) => r.counters.audio.packets > 0 && (!options.video || r.counters.video.packets > 0),
  ).length;
  return {
    name,
    sites,
    joined,
    failed,
    sitesReceivingChairAudioAndVideo: receivedBoth,
    failures: m.siteResults
      .filter((r) => !r.joined)
      .map((r) => ({ label: r.label, error: r.error }))
      .slice(0, 20),
    joinMs: dist(joinedResults.map((r) => r.firstMediaMs)),
    joinAckMs: dist(joinedResults.map((r) => r.joinAckMs)),
    firstVideoMs: dist(joinedResults.map((r) => r.firstVideoMs)),
    rampSec: round(m.rampSec),
    transportRetries: m.siteResults.reduce((s, r) => s + r.transportRetries, 0),
    windowSec: round(windowSec),
    lossPct: lossPct === null ? null : round(lossPct, 3),
    lossPctByKind: {
      audio: d.audio.expected > 0 ? round((100 * (d.audio.expected - d.audio.packets)) / d.audio.expected, 3) : null,
      video: d.video.expected > 0 ? round((100 * (d.video.expected - d.video.packets)) / d.video.expected, 3) : null,
    },
    packets: {
      siteSentPps: round(siteSentPps),
      siteSendRatePct: round(siteSendRatePct),
      chairSentPps: round(chairSentPps),
      chairSendRatePct: round(chairSendRatePct),
      siteRecvPps: round(siteRecvPps),
      ingressPps: round(ingressPps),
      egressPps: round(egressPps),
      egressMbps: round(((d.audio.bytes + d.video.bytes) * 8) / windowSec / 1e6, 2),
      /** Retransmitted packets that had already arrived (NACK), not counted as received. */
      duplicatePps: round((d.audio.duplicates + d.video.duplicates) / windowSec),
    },
    cpuPerWorker: target.workerPids.map((pid, i) => ({ worker: i, pid, cpuPct: round(workerPcts[i] ?? Number.NaN) })),
    sfuWorkersCpuPct: round(sfuWorkersPct),
    controlPlaneCpuPct: round(controlPct),
    sfuCpuPerSitePct: joined > 0 ? round(sfuWorkersPct / joined, 3) : null,
    sfuCpuPerSiteInclControlPlanePct: joined > 0 ? round((sfuWorkersPct + controlPct) / joined, 3) : null,
    packetsPerWorkerCoreSec: round(packetsPerWorkerCoreSec, 0),
    packetsPerSfuCoreSec: round(packetsPerSfuCoreSec, 0),
    botCpu: {
      siteProcessesPct: botPcts.map((v) => round(v)),
      siteTotalPct: round(botPcts.reduce((s, v) => s + v, 0)),
      perSitePct: joined > 0 ? round(botPcts.reduce((s, v) => s + v, 0) / joined, 3) : null,
      chairProcessPct: round(chairBotPct),
      loopDelayP99MsByProcess: b.sites.loopDelayP99MsByProcess,
    },
    cores: {
      busyBeforePhasePct: m.before.busyPct,
      busyPct: report.coreBusyPct.map((v) => round(v)),
      benchmarkProcessesPct: round(oursPct),
      kernelIrqPct: round(report.irqPct),
      stealPct: round(report.stealPct),
      otherProgramsPct: round(otherPct),
      peakOneSecondPct: round(report.corePeakPct),
      secondsAnyCoreAbove90: report.secondsAnyCoreAbove90,
    },
    saturated: reasons.length > 0,
    saturationReasons: reasons,
    /** Other programs on the machine used more than a fifth of a core during the window. */
    otherLoad: otherPct > 20,
    chair: m.chairResult ? { joined: m.chairResult.joined, audioLevelEvents: m.chairResult.audioLevelEvents } : null,
    tokens: { source: target.tokens.source, meetingId: target.tokens.meetingId, notes: target.tokens.notes },
  };
}

/** Why the machine, not the SFU, may have limited this phase: hot cores, bots behind their send rate or lagging. */
function saturationReasons(
  report: CpuReport,
  siteSendRatePct: number,
  chairSendRatePct: number,
  maxLoopDelay: number,
): string[] {
  const reasons: string[] = [];
  report.coreBusyPct.forEach((busy, i) => {
    if (busy > 90) reasons.push(`core ${i} averaged ${Math.round(busy)} % busy`);
  });
  if (report.secondsAnyCoreAbove90 > report.seconds * 0.2) {
    reasons.push(`some core was above 90 % for ${report.secondsAnyCoreAbove90} of ${Math.round(report.seconds)} s`);
  }
  if (siteSendRatePct < 90) reasons.push(`site bots sent ${Math.round(siteSendRatePct)} % of their target packet rate`);
  if (chairSendRatePct < 90)
    reasons.push(`the chair bot sent ${Math.round(chairSendRatePct)} % of its target packet rate`);
  if (maxLoopDelay > 100) reasons.push(`a bot process's event loop lagged ${Math.round(maxLoopDelay)} ms (p99)`);
  return reasons;
}
