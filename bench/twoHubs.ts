// One meeting across two hubs: `npx tsx bench/twoHubs.ts --sites 60 [--duration 30]
// [--rounds 2] [--camera 150/500/1500@30] [--workers 1]` (the load benchmark's
// options, bench/options.ts; --bare is not used).
//
// A throwaway Redis and PostgreSQL, two real hubs (each --workers mediasoup
// workers, one shared HUB_SECRET) in this process, the chair and N Pion site
// bots (bench/pion: they receive what the browser receives and follow the
// hub's hints, at real rates). Two phases alternate, each a fresh meeting:
//   one hub   the chair and every site on hub A (hub B idle in the deployment);
//   two hubs  the chair and every other site on A, the rest on B: B opens the
//             meeting as an edge of A over an SRTP pipe pair (sfu/span/).
// In both, two sites speak (one per hub in the second) and a site that lands
// on B is on the stage, and the chair's mosaic shows a page of 16 sites. Each
// window measures the CPU of every mediasoup worker (per hub) and the pipe's
// bitrate both ways (sampled from the home's pipe every 2 s). The home's extra
// cost for carrying an edge is A's workers in the second phase less what A's
// share of sites cost in the first (at the first phase's per-site rate).
// Writes bench/results/<date>-two-hubs-<N>sites.json (docs/performance.md).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signJoinToken } from '../contract/joinToken.ts';
import { loadConfig } from '../hub/config.ts';
import { type Hub, startHub } from '../hub/Hub.ts';
import { createLogger } from '../hub/logger.ts';
import { startCluster } from '../prisma/postgres/cluster.ts';
import { applyPostgresMigrations } from '../scheduler/postgresMigrations.ts';
import { startRedis } from '../scripts/redisServer.ts';
import { SpanHome } from '../sfu/span/SpanHome.ts';
import { CpuWindow, machineInfo, waitForQuiet } from './cpu.ts';
import { log } from './log.ts';
import { botDefaults, type LoadOptions, optionsFor, parseLoadCommand } from './options.ts';
import { PionFleet } from './pion/PionFleet.ts';
import type { PionBotConfig } from './pion/types.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
/** Below the ephemeral range, apart from bench/targets.ts's ports. */
const RTC_BASE = { a: 31000, b: 31500 };
const REDIS_PORT = 31990;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (values: number[]) => values.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
const round = (n: number) => Math.round(n * 100) / 100;
const mean = (values: number[]) => (values.length ? sum(values) / values.length : 0);

type PhaseName = 'one-hub' | 'two-hubs';

interface PhaseResult {
  name: PhaseName;
  joined: number;
  sitesOnA: number;
  sitesOnB: number;
  workersAPct: number;
  workersBPct: number;
  /** Both hubs' Node (one process here) and this driver. */
  nodePct: number;
  pipeDownKbps: number;
  pipeUpKbps: number;
  coreBusyPct: number[];
}

async function startBenchHub(
  id: 'a' | 'b',
  shared: { redis: string; database: string; secret: string },
  options: LoadOptions,
): Promise<Hub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `diemcau-bench-${id}-`));
  const base = RTC_BASE[id];
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    DATABASE_URL: shared.database,
    REDIS_URL: shared.redis,
    HUB_ID: `bench-${id}`,
    HUB_SECRET: shared.secret,
    MEDIASOUP_WORKERS: String(options.workers),
    RTC_PORT_BASE: String(base),
    RTC_TRANSPORT_PORT_MIN: String(base + 100),
    RTC_TRANSPORT_PORT_MAX: String(base + 499),
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    MAX_SITES_PER_MEETING: String(Math.max(500, options.sites + 10)),
    JOIN_TOKEN_TTL_SECONDS: '3600',
  });
  const hub = await startHub(config, createLogger('warn'));
  const close = hub.close;
  hub.close = async () => {
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return hub;
}

function token(hub: Hub, meetingId: string, roomId: string, role: 'chair' | 'site', options: LoadOptions) {
  const claims = { meetingId, roomId, role, displayName: roomId, maxSites: options.sites + 1, mode: options.mode };
  return signJoinToken(claims, hub.secret, 3600);
}

/** The home's pipe bitrates while the window runs, averaged (kbit/s). */
function samplePipe(hub: Hub, meetingId: string, stop: { done: boolean }): Promise<{ down: number; up: number }> {
  return (async () => {
    const down: number[] = [];
    const up: number[] = [];
    while (!stop.done) {
      const span = hub.meetings.get(meetingId)?.span;
      if (span instanceof SpanHome) {
        const pipes = await span.pipeBitrates();
        down.push(sum(pipes.map((p) => p.down)));
        up.push(sum(pipes.map((p) => p.up)));
      }
      await pause(2000);
    }
    return { down: round(mean(down) / 1000), up: round(mean(up) / 1000) };
  })();
}

async function runPhase(name: PhaseName, roundNo: number, hubs: { a: Hub; b: Hub }, options: LoadOptions) {
  const meetingId = `bench-two-hubs-${name}-${roundNo}`;
  const onB = (i: number) => name === 'two-hubs' && i % 2 === 1;
  const common = { ...botDefaults(options), mosaicPageSize: 0 };
  const chair: PionBotConfig = {
    ...common,
    url: hubs.a.url,
    label: 'chair',
    token: await token(hubs.a, meetingId, 'chair', 'chair', options),
    mosaicPageSize: 16,
  };
  const sites: PionBotConfig[] = [];
  for (let i = 0; i < options.sites; i++) {
    const hub = onB(i) ? hubs.b : hubs.a;
    sites.push({
      ...common,
      url: hub.url,
      label: `site-${i}`,
      token: await token(hub, meetingId, `site-${i}`, 'site', options),
    });
  }
  const [chairFleet, siteFleet] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(options.botProcesses)]);
  try {
    chairFleet.start([chair], 0);
    if ((await chairFleet.settled(1, 30_000)).joined !== 1) throw new Error('the chair bot did not join');
    siteFleet.start(sites, options.joinsPerSec);
    const joined = await siteFleet.settled(options.sites, 60_000 + options.sites * 1000);
    const meeting = hubs.a.meetings.get(meetingId);
    if (!meeting) throw new Error('the meeting is not open on hub A');
    siteFleet.setSpeaking(['site-0', 'site-1'], true);
    meeting.moderation.setStage('site-1');
    await pause(options.settleSec * 1000);

    const workersA = hubs.a.pool.summaries().map((w) => w.pid);
    const workersB = hubs.b.pool.summaries().map((w) => w.pid);
    const cpu = new CpuWindow([...workersA, ...workersB, process.pid]);
    const stop = { done: false };
    const pipe = samplePipe(hubs.a, meetingId, stop);
    cpu.start();
    await pause(options.durationSec * 1000);
    const report = cpu.stop();
    stop.done = true;
    const sitesOnB = sites.filter((_, i) => onB(i)).length;
    const result: PhaseResult = {
      name,
      joined: joined.joined,
      sitesOnA: options.sites - sitesOnB,
      sitesOnB,
      workersAPct: round(sum(workersA.map((pid) => report.byPid.get(pid) ?? 0))),
      workersBPct: round(sum(workersB.map((pid) => report.byPid.get(pid) ?? 0))),
      nodePct: round(report.byPid.get(process.pid) ?? 0),
      pipeDownKbps: 0,
      pipeUpKbps: 0,
      coreBusyPct: report.coreBusyPct.map(round),
    };
    const { down, up } = await pipe;
    result.pipeDownKbps = down;
    result.pipeUpKbps = up;
    log(
      `round ${roundNo} ${name}: joined ${result.joined}/${options.sites} (A ${result.sitesOnA}, B ${result.sitesOnB}), workers A ${result.workersAPct} % B ${result.workersBPct} %, Node ${result.nodePct} %, pipe ${down} kbit/s down ${up} up`,
    );
    return result;
  } finally {
    chairFleet.kill();
    siteFleet.kill();
    // The bots are gone: the meeting closes on both hubs before the next phase.
    await pause(3000);
  }
}

function summary(phases: PhaseResult[]) {
  const of = (name: PhaseName) => phases.filter((p) => p.name === name);
  const one = of('one-hub');
  const two = of('two-hubs');
  // The chair is a site of A too.
  const perSiteOne = mean(one.map((p) => p.workersAPct / (p.sitesOnA + 1)));
  const perSiteA = mean(two.map((p) => p.workersAPct / (p.sitesOnA + 1)));
  const perSiteB = mean(two.map((p) => p.workersBPct / Math.max(1, p.sitesOnB)));
  const homeExtra = mean(two.map((p) => p.workersAPct - perSiteOne * (p.sitesOnA + 1)));
  return {
    perSiteOneHubPct: round(perSiteOne),
    perSiteHomePct: round(perSiteA),
    perSiteEdgePct: round(perSiteB),
    homeExtraPerEdgePct: round(homeExtra),
    pipeDownKbps: round(mean(two.map((p) => p.pipeDownKbps))),
    pipeUpKbps: round(mean(two.map((p) => p.pipeUpKbps))),
    nodeOneHubPct: round(mean(one.map((p) => p.nodePct))),
    nodeTwoHubsPct: round(mean(two.map((p) => p.nodePct))),
  };
}

const command = parseLoadCommand();
const options = optionsFor(command, command.sites[0] ?? 60);
const quiet = await waitForQuiet(options.waitQuietSec);
log(
  `two-hubs bench: ${options.sites} sites, ${options.rounds} rounds, ${options.durationSec} s windows, ${options.workers} worker(s) per hub; machine ${quiet.quiet ? 'quiet' : 'busy'}`,
);
const redis = await startRedis(REDIS_PORT);
const postgres = await startCluster();
let hubs: { a: Hub; b: Hub } | undefined;
try {
  const database = await postgres.createDatabase('bench');
  await applyPostgresMigrations(database);
  const shared = { redis: redis.url(), database, secret: randomBytes(32).toString('hex') };
  hubs = { a: await startBenchHub('a', shared, options), b: await startBenchHub('b', shared, options) };
  const phases: PhaseResult[] = [];
  for (let r = 1; r <= options.rounds; r++) {
    phases.push(await runPhase('one-hub', r, hubs, options));
    phases.push(await runPhase('two-hubs', r, hubs, options));
  }
  const result = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    machineQuietBefore: quiet.quiet,
    options,
    phases,
    summary: summary(phases),
    leftOut:
      'Both hubs and their Node processes run on one 2-core machine (one Node process for both); the pipe crosses loopback, not a LAN; no chair mosaic page turns or content.',
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file =
    command.out ??
    path.join(
      RESULTS_DIR,
      `${result.date.slice(0, 10)}-two-hubs-${options.sites}sites${command.tag ? `-${command.tag}` : ''}.json`,
    );
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const s = result.summary;
  log(
    `wrote ${path.relative(process.cwd(), file)}: per site ${s.perSiteOneHubPct} % (one hub), ${s.perSiteHomePct} % home / ${s.perSiteEdgePct} % edge (two hubs); home's extra per edge ${s.homeExtraPerEdgePct} %; pipe ${s.pipeDownKbps} kbit/s down, ${s.pipeUpKbps} up`,
  );
} finally {
  await hubs?.b.close();
  await hubs?.a.close();
  await redis.stop();
  postgres.stop();
}
process.exit(0);
