// One phase of the load benchmark, against our hub (`diemcau`) or bare
// mediasoup (`bare`): wait for a quiet machine, start the SFU, let the chair
// bot and then the site bots (Pion, bench/pion) join at the join rate, settle,
// and measure a steady-state window of packets and CPU while the meeting runs
// as a meeting does: designated speakers change, the chair moves the stage and
// turns its mosaic's pages. Then a few more sites join one at a time and the
// events the hub sends the sites already there are counted (messages per join).
import { CpuWindow, waitForQuiet } from './cpu.ts';
import { log } from './log.ts';
import { botDefaults, type LoadOptions } from './options.ts';
import { type PhaseMeasurements, type PhaseSummary, summarisePhase } from './phaseSummary.ts';
import { PionFleet } from './pion/PionFleet.ts';
import { addMessages, type PionBotConfig } from './pion/types.ts';
import { startBare, startDiemcau, type Target } from './targets.ts';

export type PhaseName = 'diemcau' | 'bare';

const cores = (busy: number[]) => busy.map((c) => `${Math.round(c)}%`).join(' ');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPhase(name: PhaseName, options: LoadOptions): Promise<PhaseSummary> {
  const before = await waitForQuiet(options.waitQuietSec);
  log(
    `${name}: machine ${before.quiet ? 'quiet' : 'still busy'} before the phase (cores ${before.busyPct.map((c) => `${c}%`).join(' ')}, waited ${before.waitedSec} s)`,
  );
  log(
    `${name}: starting ${name === 'diemcau' ? 'the hub (fresh database, demo province)' : 'bare mediasoup'} with ${options.workers} workers`,
  );
  const target = name === 'diemcau' ? await startDiemcau(options) : await startBare(options);
  const fleets: PionFleet[] = [];
  const stopFleets = () => {
    for (const fleet of fleets) fleet.kill();
  };
  const onInterrupt = () => {
    stopFleets();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const [chairFleet, siteFleet] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(options.botProcesses)]);
    fleets.push(chairFleet, siteFleet);
    const bots = botConfigs(target, options);
    chairFleet.start([bots.chair], 0);
    const chairJoin = await chairFleet.settled(1, 30_000);
    if (chairJoin.joined !== 1) throw new Error(`${name}: the chair bot did not join`);

    const rampSec = await joinSites(name, siteFleet, bots.sites, options);
    await pause(options.settleSec * 1000);

    const window = await measureWindow(name, target, chairFleet, siteFleet, options);
    const joins = await extraJoins(name, chairFleet, siteFleet, bots.extra, fleets);
    const [siteResults, chairResults, extraResults] = await Promise.all([
      siteFleet.finish(),
      chairFleet.finish(),
      joins.fleet.finish(),
    ]);
    await target.close();
    const m: PhaseMeasurements = {
      ...window,
      siteResults,
      chairResult: chairResults[0],
      extraJoined: extraResults.filter((r) => r.joined).length,
      messages: joins.messages,
      rampSec,
      siteFleet,
      chairFleet,
      before,
    };
    return summarisePhase(name, options, target, m);
  } catch (err) {
    stopFleets();
    await target.close().catch(() => {});
    throw err;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** The chair bot and one site bot per site token, all receiving what the meeting's plan gives them. */
function botConfigs(target: Target, options: LoadOptions) {
  const common = { ...botDefaults(options), url: target.url };
  const chair: PionBotConfig = {
    ...common,
    label: 'chair',
    token: target.tokens.chair.token,
    mosaicPageSize: options.mosaicPageSize,
  };
  const sites: PionBotConfig[] = target.tokens.sites.map((t, i) => ({
    ...common,
    label: `site-${i}`,
    token: t.token,
    mosaicPageSize: 0,
  }));
  return { chair, sites: sites.slice(0, options.sites), extra: sites.slice(options.sites) };
}

/** Starts the site bots at the join rate and waits until each joined or failed; returns the ramp's seconds. */
async function joinSites(name: PhaseName, siteFleet: PionFleet, bots: PionBotConfig[], options: LoadOptions) {
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

/** Who speaks, in turns of `options.speakers` sites, every `speakerChangeSec`. */
function speakerTurns(siteFleet: PionFleet, options: LoadOptions): () => void {
  let turn = 0;
  let current: string[] = [];
  const next = () => {
    if (current.length > 0) siteFleet.setSpeaking(current, false);
    current = Array.from(
      { length: Math.min(options.speakers, options.sites) },
      (_, i) => `site-${(turn * options.speakers + i) % options.sites}`,
    );
    turn++;
    if (current.length > 0) siteFleet.setSpeaking(current, true);
  };
  next();
  const timer = setInterval(next, options.speakerChangeSec * 1000);
  return () => {
    clearInterval(timer);
    siteFleet.setSpeaking(current, false);
  };
}

/** The steady-state window: bot counters at both ends, and the CPU of the SFU, this process and the bots. */
async function measureWindow(
  name: PhaseName,
  target: Target,
  chairFleet: PionFleet,
  siteFleet: PionFleet,
  options: LoadOptions,
) {
  const pids = [...target.workerPids, process.pid, ...chairFleet.pids, ...siteFleet.pids];
  const cpu = new CpuWindow(pids);
  const snap = async () => {
    const [chair, sites] = await Promise.all([chairFleet.snapshot(), siteFleet.snapshot()]);
    return { chair, sites };
  };
  chairFleet.runConsole({ pageTurnSec: options.pageTurnSec, stageMoveSec: options.stageMoveSec });
  const stopSpeakers = speakerTurns(siteFleet, options);
  const a = await snap();
  cpu.start();
  const windowEnd = Date.now() + options.durationSec * 1000;
  while (Date.now() < windowEnd) {
    await pause(Math.min(5000, windowEnd - Date.now()));
    const p = siteFleet.progress();
    log(
      `${name}: measuring ${Math.round((options.durationSec * 1000 - (windowEnd - Date.now())) / 1000)}/${options.durationSec} s | joined ${p.joined} | cores ${cores(cpu.current)}`,
    );
  }
  const b = await snap();
  const report = cpu.stop();
  chairFleet.runConsole(null);
  stopSpeakers();
  return { a, b, report };
}

/** Sites joining one at a time into the running meeting; the events the others got meanwhile, by name. */
async function extraJoins(
  name: PhaseName,
  chairFleet: PionFleet,
  siteFleet: PionFleet,
  bots: PionBotConfig[],
  fleets: PionFleet[],
): Promise<{ fleet: PionFleet; messages: Record<string, number> }> {
  const fleet = await PionFleet.spawn(1);
  fleets.push(fleet);
  // Let the stage move and the last speakers' levels settle first.
  await pause(3000);
  const count = async () =>
    addMessages((await Promise.all([chairFleet.snapshot(), siteFleet.snapshot()])).map((s) => s.messages));
  const before = await count();
  for (const [i, bot] of bots.entries()) {
    fleet.start([bot], 0);
    await fleet.settled(i + 1, 30_000);
    await pause(1000);
  }
  const after = await count();
  const messages: Record<string, number> = {};
  for (const [event, n] of Object.entries(after)) {
    const d = n - (before[event] ?? 0);
    if (d > 0) messages[event] = d;
  }
  log(`${name}: ${bots.length} more sites joined one at a time; the others received ${JSON.stringify(messages)}`);
  return { fleet, messages };
}
