// The load benchmark's result: one JSON object comparing our hub's phase with
// bare mediasoup's, the options and the machine, with notes on what the
// figures mean; written to bench/results/<date>-<sites>sites[-tag].json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './cpu.ts';
import type { LoadCommand, LoadOptions } from './options.ts';
import type { PhaseSummary } from './phaseSummary.ts';
import { round } from './stats.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const ratio = (x: number | null | undefined, y: number | null | undefined) => (x && y ? round(x / y, 3) : null);

function notes(options: LoadOptions, ours: PhaseSummary): string[] {
  const { chairVideo, siteVideo } = options;
  const out = [
    ...ours.tokens.notes,
    options.video
      ? `Reduced video rates: chair ${chairVideo.fps} fps × ${chairVideo.packetsPerFrame} packets × ${chairVideo.payloadBytes} B (~${Math.round((chairVideo.fps * chairVideo.packetsPerFrame * chairVideo.payloadBytes * 8) / 1000)} kbit/s), sites ${siteVideo.fps} fps × ${siteVideo.packetsPerFrame} × ${siteVideo.payloadBytes} B (~${Math.round((siteVideo.fps * siteVideo.packetsPerFrame * siteVideo.payloadBytes * 8) / 1000)} kbit/s); blank VP8 payloads with a key frame every second; no simulcast.`
      : 'Audio only (--video off).',
    'Opus: 50 packets/s of 160 B with ssrc-audio-level. Site bots consume the chair’s audio and video only; the chair bot consumes nothing (the chair console’s mosaic is not simulated).',
    'Bots and SFU share this machine: when saturated is true the SFU figures are distorted by bot load and are not the SFU’s capacity.',
    'cores.kernelIrqPct is irq+softirq time (the kernel moving loopback UDP, charged to no process); cores.otherProgramsPct is busy time of neither the benchmark nor the kernel irq (other programs on this shared machine); otherLoad is true when it exceeded 20 % of a core during the window.',
    'ratioToBare = (packets in + out per second per core of mediasoup worker CPU) diemcau ÷ bare mediasoup, measured in the same run with the same bots.',
  ];
  if (options.mode === 'discussion')
    out.push(
      'Mode discussion: every site’s microphone is live, so the hub runs audio-level and active-speaker observers over every site’s audio (the bare baseline has no observers).',
    );
  return out;
}

/** The result of a run that started at `started`; `bare` is null with --bare off. */
export function loadResult(options: LoadOptions, started: Date, ours: PhaseSummary, bare: PhaseSummary | null) {
  return {
    benchmark: 'load',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    sites: options.sites,
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
    notes: notes(options, ours),
    diemcau: ours,
    bare,
  };
}

/** Writes `result` to --out, or to bench/results/<date>-<sites>sites[-tag].json; returns the file's path. */
export function writeResult(result: ReturnType<typeof loadResult>, command: LoadCommand, started: Date): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file =
    command.out ??
    path.join(
      RESULTS_DIR,
      `${started.toISOString().slice(0, 10)}-${command.options.sites}sites${command.tag ? `-${command.tag}` : ''}.json`,
    );
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
