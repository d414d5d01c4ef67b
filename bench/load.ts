// The load benchmark: `npm run bench:load -- --sites 300 [--duration 60]
// [--video on|off] [--workers 2] [--bot-processes K] [--join-rate 10]
// [--bare on|off] [--mode discussion|briefing] [--tag name]`.
//
// Runs a real hub (fresh temp database with the demo province), books a
// meeting through the scheduler's REST API, and lets one chair bot and N site
// bots — real WebRTC peers in separate processes — join it with
// scheduler-issued tokens. After the joins settle it measures a steady-state
// window: packets sent and received, sequence-number loss, the CPU of every
// mediasoup worker, of the hub process and of the bot processes, and every
// core's load (to say whether the machine was saturated). Then, in the same
// run, it does the same with a bare mediasoup SFU (bench/bare/bareSfu.ts) and
// reports our forwarding per core as a ratio of the bare one.
// Writes bench/results/<date>-<sites>sites[-tag].json. See docs/performance.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MEETING_MODES, type MeetingMode } from '../contract/enums.ts';
import { loadConfig } from '../hub/config.ts';
import { type Hub, startHub } from '../hub/Hub.ts';
import { createLogger } from '../hub/logger.ts';
import { bareToken, startBareSfu } from './bare/bareSfu.ts';
import { type BotConfig, type BotResult, subCounters } from './bots/Bot.ts';
import { BotFleet, type FleetSnapshot } from './bots/BotFleet.ts';
import { AudioStream, type VideoProfile } from './bots/media.ts';
import { CpuWindow, machineInfo, waitForQuiet } from './cpu.ts';
import { type BenchTokens, schedulerTokens, signedTokens } from './tokens.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

// ---------------------------------------------------------------------------
// Options

function parseVideo(spec: string): VideoProfile {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(spec);
  if (!m) throw new Error(`video profile "${spec}" must be <fps>x<packetsPerFrame>x<payloadBytes>, e.g. 25x2x1000`);
  return { fps: Number(m[1]), packetsPerFrame: Number(m[2]), payloadBytes: Number(m[3]), keyFrameEverySec: 1 };
}

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '300' },
    duration: { type: 'string', default: '60' },
    video: { type: 'string', default: 'on' },
    workers: { type: 'string', default: String(os.availableParallelism()) },
    'bot-processes': { type: 'string' },
    'join-rate': { type: 'string', default: '10' },
    settle: { type: 'string', default: '5' },
    bare: { type: 'string', default: 'on' },
    mode: { type: 'string', default: 'discussion' },
    tokens: { type: 'string', default: 'scheduler' },
    'chair-video': { type: 'string', default: '25x2x1000' },
    'site-video': { type: 'string', default: '10x1x1000' },
    'connect-timeout': { type: 'string', default: '8000' },
    'wait-quiet': { type: 'string', default: '180' },
    tag: { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});

const sites = Number(args.sites);
const options = {
  sites,
  durationSec: Number(args.duration),
  video: args.video !== 'off',
  workers: Number(args.workers),
  botProcesses: Number(args['bot-processes'] ?? Math.max(1, Math.ceil(sites / 100))),
  joinsPerSec: Number(args['join-rate']),
  settleSec: Number(args.settle),
  bare: args.bare !== 'off',
  mode: args.mode as MeetingMode,
  tokens: args.tokens as 'scheduler' | 'signed',
  chairVideo: parseVideo(args['chair-video']),
  siteVideo: parseVideo(args['site-video']),
  connectTimeoutMs: Number(args['connect-timeout']),
  /** Seconds to wait, before each phase, for other programs to leave the cores below 25 %. */
  waitQuietSec: Number(args['wait-quiet']),
};
if (!Number.isInteger(sites) || sites < 1) throw new Error('--sites must be a positive integer');
if (!(MEETING_MODES as readonly string[]).includes(options.mode))
  throw new Error(`--mode: ${MEETING_MODES.join(', ')}`);

const audioPps = AudioStream.PACKETS_PER_SEC;
const sitePps = audioPps + (options.video ? options.siteVideo.fps * options.siteVideo.packetsPerFrame : 0);
const chairPps = audioPps + (options.video ? options.chairVideo.fps * options.chairVideo.packetsPerFrame : 0);

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

// ---------------------------------------------------------------------------
// Statistics

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? null;
}

function dist(values: (number | null)[]) {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
    n: sorted.length,
  };
}

const round = (v: number, digits = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);

// ---------------------------------------------------------------------------
// One phase: diemcau or bare

interface Target {
  url: string;
  workerPids: number[];
  tokens: BenchTokens;
  close(): Promise<void>;
}

// Benchmark ports sit below the ephemeral range (32768–60999): hundreds of bot
// sockets take ephemeral ports and must never collide with the SFU's.
async function startDiemcau(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    MEDIASOUP_WORKERS: String(options.workers),
    RTC_PORT_BASE: '30000',
    RTC_TRANSPORT_PORT_MIN: '30100',
    RTC_TRANSPORT_PORT_MAX: '30399',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    MAX_SITES_PER_MEETING: String(Math.max(500, sites + 10)),
    JOIN_TOKEN_TTL_SECONDS: '3600',
  });
  const hub: Hub = await startHub(config, createLogger('warn'));
  let tokens: BenchTokens;
  if (options.tokens === 'signed') {
    tokens = await signedTokens(hub, sites, options.mode, '--tokens signed was given');
  } else {
    try {
      tokens = await schedulerTokens(hub, sites, options.mode);
    } catch (err) {
      log(`scheduler tokens failed (${(err as Error).message}); signing tokens with the hub secret`);
      tokens = await signedTokens(
        hub,
        sites,
        options.mode,
        `the scheduler could not issue them: ${(err as Error).message}`,
      );
    }
  }
  return {
    url: hub.url,
    workerPids: hub.pool.summaries().map((w) => w.pid),
    tokens,
    async close() {
      await hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startBare(): Promise<Target> {
  const bare = await startBareSfu({ workers: options.workers, portBase: 30500, listenIp: '127.0.0.1' });
  const siteTokens = Array.from({ length: sites }, (_, i) => ({
    roomId: `bare-${i}`,
    token: bareToken('site', `bare-${i}`),
  }));
  return {
    url: bare.url,
    workerPids: bare.workerPids,
    tokens: {
      meetingId: 'bare',
      chair: { roomId: 'bare-chair', token: bareToken('chair', 'bare-chair') },
      sites: siteTokens,
      source: 'signed',
      notes: [],
    },
    close: () => bare.close(),
  };
}

interface Snap {
  chair: FleetSnapshot;
  sites: FleetSnapshot;
}

async function runPhase(name: 'diemcau' | 'bare') {
  const before = await waitForQuiet(options.waitQuietSec);
  log(
    `${name}: machine ${before.quiet ? 'quiet' : 'still busy'} before the phase (cores ${before.busyPct.map((c) => `${c}%`).join(' ')}, waited ${before.waitedSec} s)`,
  );
  log(
    `${name}: starting ${name === 'diemcau' ? 'the hub (fresh database, demo province)' : 'bare mediasoup'} with ${options.workers} workers`,
  );
  const target = name === 'diemcau' ? await startDiemcau() : await startBare();
  const [chairFleet, siteFleet] = await Promise.all([BotFleet.spawn(1), BotFleet.spawn(options.botProcesses)]);
  const stopFleets = () => {
    chairFleet.kill();
    siteFleet.kill();
  };
  process.once('SIGINT', () => {
    stopFleets();
    process.exit(130);
  });
  try {
    const common = {
      url: target.url,
      connectTimeoutMs: options.connectTimeoutMs,
      maxTransportAttempts: 5,
      requestTimeoutMs: 30_000,
    };
    chairFleet.start(
      [
        {
          ...common,
          label: 'chair',
          token: target.tokens.chair.token,
          sendAudio: true,
          sendVideo: options.video ? options.chairVideo : null,
          consumeChair: false,
        },
      ],
      0,
    );
    const chairJoin = await chairFleet.settled(1, 30_000);
    if (chairJoin.joined !== 1) throw new Error(`${name}: the chair bot did not join`);

    const bots: BotConfig[] = target.tokens.sites.map((t, i) => ({
      ...common,
      label: `site-${i}`,
      token: t.token,
      sendAudio: true,
      sendVideo: options.video ? options.siteVideo : null,
      consumeChair: true,
    }));
    const ramp = new CpuWindow([]);
    ramp.start();
    const rampStarted = Date.now();
    siteFleet.start(bots, options.joinsPerSec);
    let lastLine = 0;
    const rampBudgetMs = (options.joinsPerSec > 0 ? (1000 * sites) / options.joinsPerSec : 0) + 60_000 + sites * 200;
    const joined = await siteFleet.settled(sites, rampBudgetMs, (p) => {
      if (Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      log(
        `${name}: started ${p.started}/${sites} joined ${p.joined} failed ${p.failed} receiving ${p.receiving} retries ${p.transportRetries} | cores ${ramp.current.map((c) => `${Math.round(c)}%`).join(' ')}`,
      );
    });
    ramp.stop();
    const rampSec = (Date.now() - rampStarted) / 1000;
    log(
      `${name}: ${joined.joined}/${sites} joined, ${joined.failed} failed in ${rampSec.toFixed(1)} s; settling ${options.settleSec} s`,
    );
    await new Promise((r) => setTimeout(r, options.settleSec * 1000));

    // Steady-state window.
    const pids = [...target.workerPids, process.pid, ...chairFleet.pids, ...siteFleet.pids];
    const cpu = new CpuWindow(pids);
    const snap = async (): Promise<Snap> => {
      const [chair, sitesSnap] = await Promise.all([chairFleet.snapshot(), siteFleet.snapshot()]);
      return { chair, sites: sitesSnap };
    };
    const a = await snap();
    cpu.start();
    const windowEnd = Date.now() + options.durationSec * 1000;
    while (Date.now() < windowEnd) {
      await new Promise((r) => setTimeout(r, Math.min(5000, windowEnd - Date.now())));
      const p = siteFleet.progress();
      log(
        `${name}: measuring ${Math.round((options.durationSec * 1000 - (windowEnd - Date.now())) / 1000)}/${options.durationSec} s | joined ${p.joined} | cores ${cpu.current.map((c) => `${Math.round(c)}%`).join(' ')}`,
      );
    }
    const b = await snap();
    const report = cpu.stop();
    const [siteResults, chairResults] = await Promise.all([siteFleet.finish(), chairFleet.finish()]);
    await target.close();
    return summarise(name, target, {
      a,
      b,
      report,
      siteResults,
      chairResult: chairResults[0],
      rampSec,
      siteFleet,
      chairFleet,
      before,
    });
  } catch (err) {
    stopFleets();
    await target.close().catch(() => {});
    throw err;
  }
}

function summarise(
  name: string,
  target: Target,
  m: {
    a: Snap;
    b: Snap;
    report: ReturnType<CpuWindow['stop']>;
    siteResults: BotResult[];
    chairResult: BotResult | undefined;
    rampSec: number;
    siteFleet: BotFleet;
    chairFleet: BotFleet;
    before: { quiet: boolean; busyPct: number[] };
  },
) {
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

// ---------------------------------------------------------------------------
// Main

const started = new Date();
log(
  `sites ${sites}, ${options.durationSec} s window, video ${options.video ? 'on' : 'off'}, ${options.workers} workers, ${options.botProcesses} bot processes, ${options.joinsPerSec} joins/s, mode ${options.mode}, bare baseline ${options.bare ? 'on' : 'off'}`,
);
const ours = await runPhase('diemcau');
log(
  `diemcau: joined ${ours.joined}/${sites}, join p95 ${ours.joinMs.p95} ms, workers ${ours.cpuPerWorker.map((w) => `${w.cpuPct}%`).join(' ')}, loss ${ours.lossPct} %, saturated ${ours.saturated}`,
);
const bare = options.bare ? await runPhase('bare') : null;
if (bare)
  log(
    `bare: joined ${bare.joined}/${sites}, workers ${bare.cpuPerWorker.map((w) => `${w.cpuPct}%`).join(' ')}, loss ${bare.lossPct} %, saturated ${bare.saturated}`,
  );

const ratio = (x: number | null | undefined, y: number | null | undefined) => (x && y ? round(x / y, 3) : null);
const notes = [
  ...ours.tokens.notes,
  options.video
    ? `Reduced video rates: chair ${options.chairVideo.fps} fps × ${options.chairVideo.packetsPerFrame} packets × ${options.chairVideo.payloadBytes} B (~${Math.round((options.chairVideo.fps * options.chairVideo.packetsPerFrame * options.chairVideo.payloadBytes * 8) / 1000)} kbit/s), sites ${options.siteVideo.fps} fps × ${options.siteVideo.packetsPerFrame} × ${options.siteVideo.payloadBytes} B (~${Math.round((options.siteVideo.fps * options.siteVideo.packetsPerFrame * options.siteVideo.payloadBytes * 8) / 1000)} kbit/s); blank VP8 payloads with a key frame every second; no simulcast.`
    : 'Audio only (--video off).',
  'Opus: 50 packets/s of 160 B with ssrc-audio-level. Site bots consume the chair’s audio and video only; the chair bot consumes nothing (the chair console’s mosaic is not simulated).',
  'Bots and SFU share this machine: when saturated is true the SFU figures are distorted by bot load and are not the SFU’s capacity.',
  'cores.kernelIrqPct is irq+softirq time (the kernel moving loopback UDP, charged to no process); cores.otherProgramsPct is busy time of neither the benchmark nor the kernel irq (other programs on this shared machine); otherLoad is true when it exceeded 20 % of a core during the window.',
  'ratioToBare = (packets in + out per second per core of mediasoup worker CPU) diemcau ÷ bare mediasoup, measured in the same run with the same bots.',
];
if (options.mode === 'discussion')
  notes.push(
    'Mode discussion: every site’s microphone is live, so the hub runs audio-level and active-speaker observers over every site’s audio (the bare baseline has no observers).',
  );
const result = {
  benchmark: 'load',
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  sites,
  joined: ours.joined,
  failed: ours.failed,
  joinMs: { p50: ours.joinMs.p50, p95: ours.joinMs.p95, p99: ours.joinMs.p99 },
  lossPct: ours.lossPct,
  cpuPerWorker: ours.cpuPerWorker,
  sfuCpuPerSitePct: ours.sfuCpuPerSitePct,
  saturated: ours.saturated || (bare?.saturated ?? false),
  otherLoad: ours.otherLoad || (bare?.otherLoad ?? false),
  ratioToBare: ratio(ours.packetsPerWorkerCoreSec, bare?.packetsPerWorkerCoreSec),
  ratioToBareInclControlPlane: ratio(ours.packetsPerSfuCoreSec, bare?.packetsPerSfuCoreSec),
  botCpuPct: ours.botCpu.siteTotalPct,
  machine: machineInfo(),
  options,
  notes,
  diemcau: ours,
  bare,
};
fs.mkdirSync(RESULTS_DIR, { recursive: true });
const file =
  args.out ??
  path.join(RESULTS_DIR, `${started.toISOString().slice(0, 10)}-${sites}sites${args.tag ? `-${args.tag}` : ''}.json`);
fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
log(
  `wrote ${path.relative(process.cwd(), file)}: joined ${result.joined}/${sites}, join p50/p95/p99 ${result.joinMs.p50}/${result.joinMs.p95}/${result.joinMs.p99} ms, loss ${result.lossPct} %, SFU ${result.sfuCpuPerSitePct} % of a core per site, ratio to bare ${result.ratioToBare}, saturated ${result.saturated}`,
);
process.exit(0);
