// What one phase measured, from the counters at both ends of the steady-state
// window, the CPU report and every bot's result: the `diemcau` and `bare`
// objects of the result JSON, with the reasons to call the machine saturated.
import type { CpuReport } from './cpu.ts';
import type { LoadOptions } from './options.ts';
import type { PionFleet, PionFleetSnapshot } from './pion/PionFleet.ts';
import { addCounters, type PionBotResult } from './pion/types.ts';
import { dist, round } from './stats.ts';
import type { Target } from './targets.ts';

/** The chair's and the sites' bot counters at one moment. */
export interface MeetingSnapshot {
  chair: PionFleetSnapshot;
  sites: PionFleetSnapshot;
}

export interface PhaseMeasurements {
  a: MeetingSnapshot;
  b: MeetingSnapshot;
  report: CpuReport;
  siteResults: PionBotResult[];
  chairResult: PionBotResult | undefined;
  /** Sites of the extra joins after the window that joined, and the events the others got meanwhile. */
  extraJoined: number;
  messages: Record<string, number>;
  rampSec: number;
  siteFleet: PionFleet;
  chairFleet: PionFleet;
  before: { quiet: boolean; busyPct: number[] };
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

export type PhaseSummary = ReturnType<typeof summarisePhase>;

export function summarisePhase(name: string, options: LoadOptions, target: Target, m: PhaseMeasurements) {
  const { sites } = options;
  const { a, b, report } = m;
  const windowSec = (b.sites.at - a.sites.at) / 1000;
  const d = addCounters(b.sites.counters, a.sites.counters, -1);
  const dc = addCounters(b.chair.counters, a.chair.counters, -1);
  // What the bots were told to send, at both ends (the send policy changes it as the stage moves).
  const siteTargetPps = (a.sites.targetSendPps + b.sites.targetSendPps) / 2;
  const chairTargetPps = (a.chair.targetSendPps + b.chair.targetSendPps) / 2;
  const joinedResults = m.siteResults.filter((r) => r.joined);
  const joined = joinedResults.length;
  const failed = sites - joined;
  const expected = d.audio.expected + d.video.expected;
  const received = d.audio.packets + d.video.packets;
  const lossPct = expected > 0 ? Math.max(0, (100 * (expected - received)) / expected) : null;
  const siteSentPps = d.sentPackets / windowSec;
  const chairSentPps = dc.sentPackets / windowSec;
  const siteRecvPps = received / windowSec;
  const siteSendRatePct = siteTargetPps > 0 ? (100 * siteSentPps) / siteTargetPps : 100;
  const chairSendRatePct = chairTargetPps > 0 ? (100 * chairSentPps) / chairTargetPps : 100;
  const pct = (pid: number) => report.byPid.get(pid) ?? Number.NaN;
  const workerPcts = target.workerPids.map(pct);
  const sfuWorkersPct = workerPcts.reduce((s, v) => s + v, 0);
  const controlPct = pct(process.pid);
  const botPcts = m.siteFleet.pids.map(pct);
  const chairBotPct = sum(m.chairFleet.pids.map(pct));
  const ingressPps = siteSentPps + chairSentPps;
  const egressPps = siteRecvPps;
  const packetsPerWorkerCoreSec = (ingressPps + egressPps) / (sfuWorkersPct / 100);
  const packetsPerSfuCoreSec = (ingressPps + egressPps) / ((sfuWorkersPct + controlPct) / 100);
  const maxLoopDelay = Math.max(...b.sites.loopDelayP99MsByProcess, ...b.chair.loopDelayP99MsByProcess);
  // Core time not used by any process of this benchmark, less the kernel's
  // packet processing (irq/softirq, for loopback UDP mostly charged to no
  // process) and hypervisor steal: other programs on the machine.
  const oursPct = [...report.byPid.values()].filter(Number.isFinite).reduce((s, v) => s + v, 0);
  const otherPct = report.coreBusyPct.reduce((s, v) => s + v, 0) - oursPct - report.irqPct - report.stealPct;

  const reasons = saturationReasons(report, siteSendRatePct, chairSendRatePct, maxLoopDelay);

  const chairId = target.tokens.chair.roomId;
  const fromChair = (r: PionBotResult) => r.receivedFrom[chairId] ?? { audio: 0, video: 0 };
  const receivedBoth = joinedResults.filter(
    (r) => fromChair(r).audio > 0 && (!options.camera || fromChair(r).video > 0),
  ).length;
  const slotAudio = (r: PionBotResult) =>
    sum(Object.entries(r.receivedFrom).flatMap(([source, n]) => (source.startsWith('slot-') ? [n.audio] : [])));
  // Camera bytes of each site over the window (every layer it sent), from the per-bot counters at both ends.
  const videoBytesBefore = new Map(a.sites.received.map((r) => [r.label, r.sentVideoBytes]));
  const siteVideoKbps = b.sites.received.map(
    (r) => ((r.sentVideoBytes - (videoBytesBefore.get(r.label) ?? 0)) * 8) / windowSec / 1000,
  );
  const messageTotal = sum(Object.values(m.messages));
  return {
    name,
    sites,
    joined,
    failed,
    sitesReceivingChairAudioAndVideo: receivedBoth,
    /** Sites that received audio through the slots (the speakers' voices) during the run. */
    sitesHearingSlots: joinedResults.filter((r) => slotAudio(r) > 0).length,
    /** The most consumers any site (not the chair) held at once during the run. */
    maxReceiveStreamsPerSite: Math.max(0, ...m.siteResults.map((r) => r.maxReceiveStreams)),
    chairMaxReceiveStreams: m.chairResult?.maxReceiveStreams ?? null,
    /** Events the hub sent the sites already there (the chair included) per site joining after the window. */
    messagesPerJoin: m.extraJoined > 0 ? round(messageTotal / m.extraJoined, 2) : null,
    messagesPerJoinByEvent: Object.fromEntries(
      Object.entries(m.messages).map(([event, n]) => [event, round(n / Math.max(1, m.extraJoined), 2)]),
    ),
    extraJoins: { joined: m.extraJoined, of: options.extraJoins },
    /** Camera kbit/s per site over the window, every layer (0 for a camera nobody watched). */
    siteVideoKbps: {
      mean: round(sum(siteVideoKbps) / Math.max(1, siteVideoKbps.length)),
      max: round(Math.max(0, ...siteVideoKbps)),
      sendingSites: siteVideoKbps.filter((k) => k > 1).length,
    },
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
      siteTargetPps: round(siteTargetPps),
      siteSendRatePct: round(siteSendRatePct),
      chairSentPps: round(chairSentPps),
      chairTargetPps: round(chairTargetPps),
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
    chair: m.chairResult
      ? {
          joined: m.chairResult.joined,
          audioLevelEvents: m.chairResult.audioLevelEvents,
          stageMoves: m.chairResult.stageMoves,
          stageMoveErrors: m.chairResult.stageMoveErrors,
          pageTurns: m.chairResult.pageTurns,
          sitesSeen: Object.values(m.chairResult.receivedFrom).filter((n) => n.video > 0).length,
        }
      : null,
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
