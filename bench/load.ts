// The load benchmark: `npm run bench:load -- --sites 300 [--duration 60]
// [--video on|off] [--workers 2] [--bot-processes K] [--join-rate 10]
// [--bare on|off] [--mode discussion|briefing] [--tag name]` (bench/options.ts).
//
// Runs a real hub (fresh temp database with the demo province), books a
// meeting through the scheduler's REST API, and lets one chair bot and N site
// bots — real WebRTC peers in separate processes — join it with
// scheduler-issued tokens. After the joins settle it measures a steady-state
// window: packets sent and received, sequence-number loss, the CPU of every
// mediasoup worker, of the hub process and of the bot processes, and every
// core's load (to say whether the machine was saturated) (bench/phases.ts).
// Then, in the same run, it does the same with a bare mediasoup SFU
// (bench/bare/bareSfu.ts) and reports our forwarding per core as a ratio of
// the bare one. Writes bench/results/<date>-<sites>sites[-tag].json
// (bench/results.ts). See docs/performance.md.
import path from 'node:path';
import { log } from './log.ts';
import { parseLoadCommand } from './options.ts';
import { runPhase } from './phases.ts';
import { loadResult, writeResult } from './results.ts';

const command = parseLoadCommand();
const { options } = command;
const { sites } = options;

const started = new Date();
log(
  `sites ${sites}, ${options.durationSec} s window, video ${options.video ? 'on' : 'off'}, ${options.workers} workers, ${options.botProcesses} bot processes, ${options.joinsPerSec} joins/s, mode ${options.mode}, bare baseline ${options.bare ? 'on' : 'off'}`,
);
const ours = await runPhase('diemcau', options);
log(
  `diemcau: joined ${ours.joined}/${sites}, join p95 ${ours.joinMs.p95} ms, workers ${ours.cpuPerWorker.map((w) => `${w.cpuPct}%`).join(' ')}, loss ${ours.lossPct} %, saturated ${ours.saturated}`,
);
const bare = options.bare ? await runPhase('bare', options) : null;
if (bare)
  log(
    `bare: joined ${bare.joined}/${sites}, workers ${bare.cpuPerWorker.map((w) => `${w.cpuPct}%`).join(' ')}, loss ${bare.lossPct} %, saturated ${bare.saturated}`,
  );

const result = loadResult(options, started, ours, bare);
const file = writeResult(result, command, started);
log(
  `wrote ${path.relative(process.cwd(), file)}: joined ${result.joined}/${sites}, join p50/p95/p99 ${result.joinMs.p50}/${result.joinMs.p95}/${result.joinMs.p99} ms, loss ${result.lossPct} %, SFU ${result.sfuCpuPerSitePct} % of a core per site, ratio to bare ${result.ratioToBare}, saturated ${result.saturated}`,
);
process.exit(0);
