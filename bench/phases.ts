// One phase of the load benchmark, against our hub (`diemcau`) or bare
// mediasoup (`bare`): wait for a quiet machine, start the SFU, let the chair
// bot and then the site bots join at the join rate, settle, and measure a
// steady-state window of packets and CPU.
import type { BotConfig } from './bots/BotConfig.ts';
import { BotFleet } from './bots/BotFleet.ts';
import { CpuWindow, waitForQuiet } from './cpu.ts';
import { log } from './log.ts';
import type { LoadOptions } from './options.ts';
import { type MeetingSnapshot, type PhaseSummary, summarisePhase } from './phaseSummary.ts';
import { startBare, startDiemcau, type Target } from './targets.ts';

type PhaseName = 'diemcau' | 'bare';

const cores = (busy: number[]) => busy.map((c) => `${Math.round(c)}%`).join(' ');

export async function runPhase(name: PhaseName, options: LoadOptions): Promise<PhaseSummary> {
  const before = await waitForQuiet(options.waitQuietSec);
  log(
    `${name}: machine ${before.quiet ? 'quiet' : 'still busy'} before the phase (cores ${before.busyPct.map((c) => `${c}%`).join(' ')}, waited ${before.waitedSec} s)`,
  );
  log(
    `${name}: starting ${name === 'diemcau' ? 'the hub (fresh database, demo province)' : 'bare mediasoup'} with ${options.workers} workers`,
  );
  const target = name === 'diemcau' ? await startDiemcau(options) : await startBare(options);
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
    const bots = botConfigs(target, options);
    chairFleet.start([bots.chair], 0);
    const chairJoin = await chairFleet.settled(1, 30_000);
    if (chairJoin.joined !== 1) throw new Error(`${name}: the chair bot did not join`);

    const rampSec = await joinSites(name, siteFleet, bots.sites, options);
    await new Promise((r) => setTimeout(r, options.settleSec * 1000));

    const { a, b, report } = await measureWindow(name, target, chairFleet, siteFleet, options);
    const [siteResults, chairResults] = await Promise.all([siteFleet.finish(), chairFleet.finish()]);
    await target.close();
    return summarisePhase(name, options, target, {
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

/** The chair bot (sends, consumes nothing) and one site bot per site token (sends, consumes the chair). */
function botConfigs(target: Target, options: LoadOptions): { chair: BotConfig; sites: BotConfig[] } {
  const common = {
    url: target.url,
    connectTimeoutMs: options.connectTimeoutMs,
    maxTransportAttempts: 5,
    requestTimeoutMs: 30_000,
  };
  return {
    chair: {
      ...common,
      label: 'chair',
      token: target.tokens.chair.token,
      sendAudio: true,
      sendVideo: options.video ? options.chairVideo : null,
      consumeChair: false,
    },
    sites: target.tokens.sites.map((t, i) => ({
      ...common,
      label: `site-${i}`,
      token: t.token,
      sendAudio: true,
      sendVideo: options.video ? options.siteVideo : null,
      consumeChair: true,
    })),
  };
}

/** Starts the site bots at the join rate and waits until each joined or failed; returns the ramp's seconds. */
async function joinSites(name: PhaseName, siteFleet: BotFleet, bots: BotConfig[], options: LoadOptions) {
  const { sites } = options;
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
      `${name}: started ${p.started}/${sites} joined ${p.joined} failed ${p.failed} receiving ${p.receiving} retries ${p.transportRetries} | cores ${cores(ramp.current)}`,
    );
  });
  ramp.stop();
  const rampSec = (Date.now() - rampStarted) / 1000;
  log(
    `${name}: ${joined.joined}/${sites} joined, ${joined.failed} failed in ${rampSec.toFixed(1)} s; settling ${options.settleSec} s`,
  );
  return rampSec;
}

/** The steady-state window: bot counters at both ends, and the CPU of the SFU, this process and the bots. */
async function measureWindow(
  name: PhaseName,
  target: Target,
  chairFleet: BotFleet,
  siteFleet: BotFleet,
  options: LoadOptions,
) {
  const pids = [...target.workerPids, process.pid, ...chairFleet.pids, ...siteFleet.pids];
  const cpu = new CpuWindow(pids);
  const snap = async (): Promise<MeetingSnapshot> => {
    const [chair, sites] = await Promise.all([chairFleet.snapshot(), siteFleet.snapshot()]);
    return { chair, sites };
  };
  const a = await snap();
  cpu.start();
  const windowEnd = Date.now() + options.durationSec * 1000;
  while (Date.now() < windowEnd) {
    await new Promise((r) => setTimeout(r, Math.min(5000, windowEnd - Date.now())));
    const p = siteFleet.progress();
    log(
      `${name}: measuring ${Math.round((options.durationSec * 1000 - (windowEnd - Date.now())) / 1000)}/${options.durationSec} s | joined ${p.joined} | cores ${cores(cpu.current)}`,
    );
  }
  const b = await snap();
  const report = cpu.stop();
  return { a, b, report };
}
