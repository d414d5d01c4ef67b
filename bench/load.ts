// The load benchmark: `npm run bench:load -- --sites 100,200,300 [--duration 60]
// [--rounds 2] [--camera 150/500/1500@30|off] [--workers 2] [--bot-processes K]
// [--join-rate 10] [--bare on|off] [--mode discussion|briefing] [--tag name]`
// (bench/options.ts).
//
// For each meeting size: runs a real hub (fresh temp database with the demo
// province), books a meeting through the scheduler's REST API, and lets one
// chair bot and N site bots — Pion WebRTC peers in separate processes
// (bench/pion) that receive what the browser receives — join it with
// scheduler-issued tokens. After the joins settle it measures a steady-state
// window while speakers change, the stage moves and the chair's mosaic pages
// turn: packets sent and received, sequence-number loss, the CPU of every
// mediasoup worker, of the hub process and of the bot processes, and every
// core's load (to say whether the machine was saturated); then counts the
// messages a join sends the other sites (bench/phases.ts). Phases alternate
// with a bare mediasoup SFU of the same topology (bench/bare/bareSfu.ts):
// diemcau, bare, diemcau, bare, …; our forwarding per core is reported as a
// ratio of the bare one, with its spread over the rounds. Writes
// bench/results/<date>-<sites>sites[-tag].json per size (bench/results.ts).
// See docs/performance.md.
import path from 'node:path';
import { log } from './log.ts';
import { optionsFor, parseLoadCommand } from './options.ts';
import type { PhaseSummary } from './phaseSummary.ts';
import { type PhaseName, runPhase } from './phases.ts';
import { loadResult, writeResult } from './results.ts';

const command = parseLoadCommand();
/** One line per meeting size, printed together at the end: how the figures grow with N. */
const growth: string[] = [];

for (const sites of command.sites) {
  const options = optionsFor(command, sites);
  const started = new Date();
  log(
    `sites ${sites}, ${options.rounds} rounds, ${options.durationSec} s window, camera ${options.camera ? options.camera.layers.map((l) => l.kbps).join('/') : 'off'} (${options.sendPolicy} policy), ${options.workers} workers, ${options.botProcesses} bot processes, ${options.joinsPerSec} joins/s, mode ${options.mode}, bare baseline ${options.bare ? 'on' : 'off'}`,
  );
  const order: PhaseName[] = options.bare ? ['diemcau', 'bare'] : ['diemcau'];
  const phases: PhaseSummary[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const name of order) {
      const p = await runPhase(name, options);
      phases.push(p);
      log(
        `round ${round} ${name}: joined ${p.joined}/${sites}, join p95 ${p.joinMs.p95} ms, workers ${p.cpuPerWorker.map((w) => `${w.cpuPct}%`).join(' ')}, loss ${p.lossPct} %, receive streams ≤ ${p.maxReceiveStreamsPerSite}, messages per join ${p.messagesPerJoin}, saturated ${p.saturated}`,
      );
    }
  }
  const result = loadResult(options, started, phases);
  const file = writeResult(result, command, started);
  log(
    `wrote ${path.relative(process.cwd(), file)}: joined ${result.joined}/${sites}, join p50/p95/p99 ${result.joinMs.p50}/${result.joinMs.p95}/${result.joinMs.p99} ms, loss ${result.lossPct} %, SFU ${result.sfuCpuPerSitePct} % of a core per site, bots ${result.botCpuPerSitePct} %, ratio to bare ${result.ratioToBare} (${result.ratioToBareSpread.min}–${result.ratioToBareSpread.max}), saturated ${result.saturated}`,
  );
  growth.push(
    `${sites} sites: join p95 ${result.joinMs.p95} ms, messages per join ${result.messagesPerJoin}, hub Node ${result.hubNodeCpuPerSitePct} % and workers ${result.sfuCpuPerSitePct} % of a core per site, receive streams ≤ ${result.maxReceiveStreamsPerSite}, saturated ${result.saturated}`,
  );
}
if (growth.length > 1) for (const line of growth) log(line);
process.exit(0);
