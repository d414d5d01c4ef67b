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

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const present = (values: (number | null)[]) => values.filter((v): v is number => v !== null);

/** Median and spread of per-round values. */
function spread(values: (number | null)[]) {
  const v = present(values);
  const m = median(v);
  return {
    median: m === null ? null : round(m, 3),
    min: v.length ? Math.min(...v) : null,
    max: v.length ? Math.max(...v) : null,
    values: v,
  };
}

function notes(options: LoadOptions, first: PhaseSummary): string[] {
  const camera = options.camera;
  const out = [
    ...first.tokens.notes,
    camera
      ? `Every bot's camera: VP8 simulcast ${camera.layers.map((l) => `${l.kbps}`).join('/')} kbit/s at ${camera.layers[0]?.fps} fps (filler payloads; a key frame every ${camera.keyFrameEverySec} s per layer and on request), send policy ${options.sendPolicy} (browser: a camera nobody watches is stopped, the top layer only while chairing or on stage).`
      : 'Audio only (--camera off).',
    'Opus: 50 packets/s of 160 B with ssrc-audio-level; loud only for the designated speakers (--speakers, changing every --speaker-change s), quiet (127) otherwise.',
    `Bots (Pion, bench/pion) receive what contract/receivePlan.ts gives them, as the browser does: the chair's audio and video, the staged camera, the K audio slots; the chair bot its stage and a ${options.mosaicPageSize}-tile mosaic page at the lowest layer, turning a page every ${options.pageTurnSec} s and moving the stage every ${options.stageMoveSec} s (setStage). The client's mosaic shows 12 tiles a page.`,
    'Bare mediasoup has the same topology without the audio slots (no speaker selection there): its sites hear the chair only.',
    `messagesPerJoin: events the hub sent the sites already in the meeting (the chair included) while ${options.extraJoins} more sites joined one at a time after the window, per join.`,
    'Bots and SFU share this machine: when saturated is true the SFU figures are distorted by bot load and are not the SFU’s capacity.',
    'cores.kernelIrqPct is irq+softirq time (the kernel moving loopback UDP, charged to no process); cores.otherProgramsPct is busy time of neither the benchmark nor the kernel irq (other programs on this shared machine); otherLoad is true when it exceeded 20 % of a core during the window.',
    'ratioToBare = (packets in + out per second per core of mediasoup worker CPU) diemcau ÷ bare mediasoup, per round (phases alternate diemcau, bare, diemcau, bare, …); the median over rounds, its spread in ratioToBareSpread.',
    'Top-level figures are the worst over the diemcau phases (fewest joined, highest join p95 and loss, most receive streams and messages per join) and the median for CPU per site; every phase is in `phases`.',
  ];
  if (options.mode === 'discussion')
    out.push(
      'Mode discussion: every site’s microphone is live, so the hub runs audio-level and active-speaker observers over every site’s audio (the bare baseline has no observers).',
    );
  return out;
}

/** The result of a run at one meeting size that started at `started`: its phases in the order they ran. */
export function loadResult(options: LoadOptions, started: Date, phases: PhaseSummary[]) {
  const ours = phases.filter((p) => p.name === 'diemcau');
  const bare = phases.filter((p) => p.name === 'bare');
  const first = ours[0];
  if (!first) throw new Error('no diemcau phase');
  const worst = <T>(pick: (p: PhaseSummary) => T | null, better: (a: T, b: T) => boolean) =>
    ours.reduce<T | null>((w, p) => {
      const v = pick(p);
      return v === null || (w !== null && better(w, v)) ? w : v;
    }, null);
  const slowest = ours.reduce((w, p) => ((p.joinMs.p95 ?? 0) > (w.joinMs.p95 ?? 0) ? p : w), first);
  const ratios = ours.map((p, i) => ratio(p.packetsPerWorkerCoreSec, bare[i]?.packetsPerWorkerCoreSec));
  const ratiosIncl = ours.map((p, i) => ratio(p.packetsPerSfuCoreSec, bare[i]?.packetsPerSfuCoreSec));
  const ratioSpread = spread(ratios);
  return {
    benchmark: 'load',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    sites: options.sites,
    joined: Math.min(...ours.map((p) => p.joined)),
    failed: Math.max(...ours.map((p) => p.failed)),
    joinMs: { p50: slowest.joinMs.p50, p95: slowest.joinMs.p95, p99: slowest.joinMs.p99 },
    lossPct: worst<number>(
      (p) => p.lossPct,
      (a, b) => a >= b,
    ),
    cpuPerWorker: first.cpuPerWorker,
    sfuCpuPerSitePct: spread(ours.map((p) => p.sfuCpuPerSitePct)).median,
    hubNodeCpuPerSitePct: spread(
      ours.map((p) =>
        p.joined > 0 && p.controlPlaneCpuPct !== null ? round(p.controlPlaneCpuPct / p.joined, 3) : null,
      ),
    ).median,
    botCpuPerSitePct: spread(ours.map((p) => p.botCpu.perSitePct)).median,
    maxReceiveStreamsPerSite: Math.max(...ours.map((p) => p.maxReceiveStreamsPerSite)),
    messagesPerJoin: worst<number>(
      (p) => p.messagesPerJoin,
      (a, b) => a >= b,
    ),
    siteVideoKbps: first.siteVideoKbps,
    saturated: phases.some((p) => p.saturated),
    otherLoad: phases.some((p) => p.otherLoad),
    ratioToBare: ratioSpread.median,
    ratioToBareSpread: ratioSpread,
    ratioToBareInclControlPlane: spread(ratiosIncl).median,
    botCpuPct: first.botCpu.siteTotalPct,
    machine: machineInfo(),
    options,
    notes: notes(options, first),
    diemcau: first,
    bare: bare[0] ?? null,
    phases,
  };
}

/** Writes `result` to --out, or to bench/results/<date>-<sites>sites[-tag].json; returns the file's path. */
export function writeResult(result: ReturnType<typeof loadResult>, command: LoadCommand, started: Date): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file =
    command.out ??
    path.join(
      RESULTS_DIR,
      `${started.toISOString().slice(0, 10)}-${result.sites}sites${command.tag ? `-${command.tag}` : ''}.json`,
    );
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
