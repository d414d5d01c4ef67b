// What a Pion bot costs: `node --import tsx bench/pion/measure.ts --sites 50
// [--duration 30] [--processes 1] [--policy worst|browser] [--speakers 3]
// [--camera 150/500/1500@30|off] [--chair-camera <same, default: --camera>]
// [--chair-video on|off]`
// (MEDIASOUP_WORKER_BIN set as /work/tools/vt does, or a built worker).
//
// Starts a real hub (fresh database with the demo province), gets every join
// token from the scheduler (bench/tokens.ts), joins a chair bot and N site bots
// — sites send opus and a 3-layer VP8 simulcast camera and receive the chair's
// audio and video; the chair receives every site's audio — then measures a
// steady window: CPU of the bots' processes (Node drivers and Go engines),
// of the mediasoup workers and of this process (the hub), packets sent and
// received against what was expected. Prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MediaKind } from 'mediasoup-client/types';
import { loadConfig } from '../../hub/config.ts';
import { startHub } from '../../hub/Hub.ts';
import { createLogger } from '../../hub/logger.ts';
import { CpuWindow, machineInfo, waitForQuiet } from '../cpu.ts';
import { schedulerTokens } from '../tokens.ts';
import { PionFleet } from './PionFleet.ts';
import { addCounters, BROWSER_LIKE_CAMERA, type PionBotConfig, type SimulcastProfile } from './types.ts';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    processes: { type: 'string', default: '1' },
    policy: { type: 'string', default: 'worst' },
    speakers: { type: 'string', default: '3' },
    camera: { type: 'string', default: '150/500/1500@30' },
    'chair-camera': { type: 'string' },
    'chair-video': { type: 'string', default: 'on' },
    /** Before starting, wait up to 180 s for every core to be below this busy % (other programs). */
    'quiet-below': { type: 'string', default: '0' },
    'join-rate': { type: 'string', default: '10' },
    settle: { type: 'string', default: '8' },
  },
  strict: true,
});
const sites = Number(args.sites);
const durationSec = Number(args.duration);
const browserSendPolicy = args.policy === 'browser';
const camera = parseCamera(args.camera ?? 'off');
const chairCamera = parseCamera(args['chair-camera'] ?? args.camera ?? 'off');
const siteKinds: MediaKind[] = args['chair-video'] === 'off' ? ['audio'] : ['audio', 'video'];
const log = (line: string) => console.error(`[measure ${new Date().toISOString().slice(11, 19)}] ${line}`);
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

const quietBelow = Number(args['quiet-below']);
const before = quietBelow > 0 ? await waitForQuiet(180, quietBelow) : null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pion-'));
const hub = await startHub(
  loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    MEDIASOUP_WORKERS: '2',
    RTC_PORT_BASE: '31000',
    RTC_TRANSPORT_PORT_MIN: '31100',
    RTC_TRANSPORT_PORT_MAX: '31399',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    MAX_SITES_PER_MEETING: String(Math.max(500, sites + 10)),
    JOIN_TOKEN_TTL_SECONDS: '3600',
  }),
  createLogger('warn'),
);
const tokens = await schedulerTokens(hub, sites, 'discussion');
const common = {
  url: hub.url,
  sendAudio: true,
  sendVideo: camera,
  browserSendPolicy,
  connectTimeoutMs: 8000,
  maxTransportAttempts: 5,
  requestTimeoutMs: 30_000,
};
const [chairFleet, siteFleet] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(Number(args.processes))]);
try {
  chairFleet.start(
    [
      {
        ...common,
        label: 'chair',
        token: tokens.chair.token,
        sendVideo: chairCamera,
        speaking: true,
        consume: { from: 'sites', kinds: ['audio'] },
      },
    ],
    0,
  );
  if ((await chairFleet.settled(1, 30_000)).joined !== 1) throw new Error('the chair bot did not join');
  const speakers = Number(args.speakers);
  const bots: PionBotConfig[] = tokens.sites.map((t, i) => ({
    ...common,
    label: `site-${i}`,
    token: t.token,
    speaking: i < speakers,
    consume: { from: 'chair', kinds: siteKinds },
  }));
  const rampStarted = Date.now();
  siteFleet.start(bots, Number(args['join-rate']));
  const joined = await siteFleet.settled(sites, 60_000 + sites * 300, (p) =>
    log(`joined ${p.joined}/${sites} failed ${p.failed} receiving ${p.receiving} retries ${p.transportRetries}`),
  );
  const rampSec = (Date.now() - rampStarted) / 1000;
  await new Promise((r) => setTimeout(r, Number(args.settle) * 1000));

  const workerPids = hub.pool.summaries().map((w) => w.pid);
  const cpu = new CpuWindow([...siteFleet.pids, ...chairFleet.pids, ...workerPids, process.pid]);
  const a = await siteFleet.snapshot();
  const ca = await chairFleet.snapshot();
  const splitBefore = siteFleet.enginePids.map(userSystemTicks);
  cpu.start();
  await new Promise((r) => setTimeout(r, durationSec * 1000));
  const b = await siteFleet.snapshot();
  const cb = await chairFleet.snapshot();
  const report = cpu.stop();
  const splitAfter = siteFleet.enginePids.map(userSystemTicks);
  const ticks = (i: 0 | 1) => splitAfter.reduce((sum, t, p) => sum + t[i] - (splitBefore[p]?.[i] ?? 0), 0);
  const engineSystemShare = ticks(1) / Math.max(1, ticks(0) + ticks(1));
  const windowSec = (b.at - a.at) / 1000;
  const d = addCounters(b.counters, a.counters, -1);
  const dc = addCounters(cb.counters, ca.counters, -1);
  const pct = (pid: number) => report.byPid.get(pid) ?? Number.NaN;
  const driversPct = siteFleet.driverPids.reduce((s, pid) => s + pct(pid), 0);
  const enginesPct = siteFleet.enginePids.reduce((s, pid) => s + pct(pid), 0);
  const rss = {
    drivers: round(siteFleet.driverPids.reduce((sum, pid) => sum + rssMb(pid), 0)),
    engines: round(siteFleet.enginePids.reduce((sum, pid) => sum + rssMb(pid), 0)),
  };
  const [siteResults, chairResults] = await Promise.all([siteFleet.finish(), chairFleet.finish()]);
  const chair = chairResults[0];
  const heard = siteResults.filter((r) => {
    const room = tokens.sites[Number(r.label.slice(5))]?.roomId ?? '';
    return (chair?.receivedFrom[room]?.audio ?? 0) > 0;
  }).length;
  const out = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    sites,
    processes: Number(args.processes),
    policy: browserSendPolicy ? 'browser' : 'worst',
    camera: args.camera,
    chairCamera: args['chair-camera'] ?? args.camera,
    chairVideo: args['chair-video'],
    joined: joined.joined,
    failed: joined.failed,
    rampSec: round(rampSec),
    transportRetries: joined.transportRetries,
    windowSec: round(windowSec),
    botCpuPct: { drivers: round(driversPct), engines: round(enginesPct), total: round(driversPct + enginesPct) },
    botCpuPerSitePct: round((driversPct + enginesPct) / Math.max(1, joined.joined), 3),
    engineCpuPerSitePct: round(enginesPct / Math.max(1, joined.joined), 3),
    /** Share of the engines' CPU spent in the kernel (on loopback, mostly delivering each UDP packet). */
    engineSystemShare: round(engineSystemShare, 2),
    chairBotCpuPct: round(chairFleet.pids.reduce((s, pid) => s + pct(pid), 0)),
    workersCpuPct: workerPids.map((pid) => round(pct(pid))),
    hubProcessCpuPct: round(pct(process.pid)),
    coresBusyPct: report.coreBusyPct.map((v) => round(v)),
    /** Cores' busy % before the hub started, when waited for (other programs on this shared machine). */
    coresBusyBeforePct: before?.busyPct ?? null,
    /** Busy core time during the window not used by this run's processes nor kernel irq: other programs. */
    otherProgramsPct: round(
      report.coreBusyPct.reduce((sum, v) => sum + v, 0) -
        [...report.byPid.values()].filter(Number.isFinite).reduce((sum, v) => sum + v, 0) -
        report.irqPct,
    ),
    rssMb: rss,
    kernelIrqPct: round(report.irqPct),
    sites_: {
      sentPps: round(d.sentPackets / windowSec),
      targetPps: b.targetSendPps,
      skippedPps: round(d.skippedPackets / windowSec),
      sendMbps: round((d.sentBytes * 8) / windowSec / 1e6, 2),
      recvAudioPps: round(d.audio.packets / windowSec),
      recvVideoPps: round(d.video.packets / windowSec),
      recvMbps: round(((d.audio.bytes + d.video.bytes) * 8) / windowSec / 1e6, 2),
      lossPct: round(
        (100 * (d.audio.expected + d.video.expected - d.audio.packets - d.video.packets)) /
          Math.max(1, d.audio.expected + d.video.expected),
        3,
      ),
      receivingChairMedia: siteResults.filter(
        (r) => r.counters.audio.packets > 0 && (siteKinds.length === 1 || r.counters.video.packets > 0),
      ).length,
      unknownPackets: b.unknownPackets,
      decryptErrors: b.decryptErrors,
      joinMsP50: median(siteResults.map((r) => r.firstMediaMs)),
      goroutines: b.goroutines,
      loopDelayP99Ms: b.loopDelayP99MsByProcess,
    },
    chair: {
      sentPps: round(dc.sentPackets / windowSec),
      recvAudioPps: round(dc.audio.packets / windowSec),
      sitesHeard: heard,
      audioLevelEvents: chair?.audioLevelEvents,
      mostLevelsInOneEvent: chair?.mostLevelsInOneEvent,
    },
    keyFrameRequests: siteResults.reduce((s, r) => s + r.keyFrameRequests, 0),
    errors: siteResults
      .filter((r) => r.error)
      .slice(0, 5)
      .map((r) => `${r.label}: ${r.error}`),
  };
  console.log(JSON.stringify(out));
} finally {
  siteFleet.kill();
  chairFleet.kill();
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);

/** "150/500/1500@30": one layer per kbit/s figure at that frame rate, sized as the browser's; "off": no camera. */
function parseCamera(spec: string): SimulcastProfile | null {
  if (spec === 'off') return null;
  const m = /^([\d/]+)@(\d+)$/.exec(spec);
  if (!m) throw new Error(`--camera ${spec}: expected e.g. 150/500/1500@30 or off`);
  const fps = Number(m[2]);
  const kbps = (m[1] ?? '').split('/').map(Number);
  const sizes = BROWSER_LIKE_CAMERA.layers.slice(-kbps.length);
  return {
    layers: kbps.map((k, i) => ({ ...(sizes[i] ?? { width: 1280, height: 720 }), kbps: k, fps })),
    keyFrameEverySec: BROWSER_LIKE_CAMERA.keyFrameEverySec,
  };
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** [utime, stime] clock ticks of a process. */
function userSystemTicks(pid: number): [number, number] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11]), Number(fields[12])];
}

function median(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((x, y) => x - y);
  return v.length ? (v[Math.floor(v.length / 2)] ?? null) : null;
}
