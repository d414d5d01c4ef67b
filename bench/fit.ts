// Fits the SFU's CPU against the number of sites over the benchmark results
// the machine drove cleanly (not saturated, no other load), and prints the
// sites-per-core figure: `node --import tsx bench/fit.ts [bench/results]`.
// Writes bench/results/fit.json for docs/performance.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Phase {
  name: 'diemcau' | 'bare';
  joined: number;
  sfuWorkersCpuPct: number;
  controlPlaneCpuPct: number;
  saturated: boolean;
  otherLoad?: boolean;
  joinMs: { p95: number | null };
  botCpu: { perSitePct: number | null };
}

interface Result {
  sites: number;
  /** `video`: runs of the werift bots (receiving the chair only); `camera`: the Pion bots following the receive plan. */
  options: {
    video?: boolean;
    camera?: { layers: { kbps: number }[] } | null;
    sendPolicy?: string;
    workers: number;
    mode: string;
  };
  diemcau: Phase;
  bare: Phase | null;
  /** Every phase in the order it ran (diemcau, bare, diemcau, …); absent before the phases alternated. */
  phases?: Phase[];
  ratioToBare: number | null;
}

/** Runs of one kind of meeting: the same bots, rates, workers and mode. */
function groupOf(r: Result): string {
  const { options: o } = r;
  const bots =
    o.camera === undefined
      ? `werift bots, video ${o.video ? 'on' : 'off'}`
      : `plan-following bots, camera ${o.camera ? o.camera.layers.map((l) => l.kbps).join('/') : 'off'} (${o.sendPolicy} policy)`;
  return `${bots}, ${o.workers} workers, ${o.mode}`;
}

const clean = (p: Phase) => !p.saturated && !p.otherLoad;

const dir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function fitLine(points: [number, number][]): { intercept: number; slope: number; r2: number } | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssRes = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { intercept, slope, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}

const files = fs
  .readdirSync(dir)
  .filter((f) => /^\d{4}-\d{2}-\d{2}-\d+sites.*\.json$/.test(f))
  .sort();
const groups = new Map<string, { file: string; r: Result; phases: Phase[] }[]>();
for (const file of files) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Result;
  if (!r.diemcau) continue;
  const phases = r.phases ?? [r.diemcau, ...(r.bare ? [r.bare] : [])];
  const key = groupOf(r);
  groups.set(key, [...(groups.get(key) ?? []), { file, r, phases }]);
}

const out: Record<string, unknown>[] = [];
for (const [key, runs] of groups) {
  const cleanRuns = runs.filter(({ phases }) => phases.some((p) => p.name === 'diemcau' && clean(p)));
  const ours = cleanRuns.flatMap(({ phases }) => phases.filter((p) => p.name === 'diemcau' && clean(p)));
  const bares = cleanRuns.flatMap(({ phases }) => phases.filter((p) => p.name === 'bare' && clean(p)));
  const workers = fitLine(ours.map((p) => [p.joined, p.sfuWorkersCpuPct]));
  const withControl = fitLine(ours.map((p) => [p.joined, p.sfuWorkersCpuPct + p.controlPlaneCpuPct]));
  const bare = fitLine(bares.map((p) => [p.joined, p.sfuWorkersCpuPct]));
  const perCore = (f: ReturnType<typeof fitLine>) => (f && f.slope > 0 ? Math.round(100 / f.slope) : null);
  const entry = {
    group: key,
    cleanRuns: cleanRuns.map(({ file, r }) => ({
      file,
      sites: r.diemcau.joined,
      sfuWorkersCpuPct: r.diemcau.sfuWorkersCpuPct,
      controlPlaneCpuPct: r.diemcau.controlPlaneCpuPct,
      ratioToBare: r.ratioToBare,
      joinP95Ms: r.diemcau.joinMs.p95,
    })),
    excludedRuns: runs.filter((x) => !cleanRuns.includes(x)).map(({ file }) => file),
    fitWorkers: workers && { ...workers, sitesPerCore: perCore(workers) },
    fitWorkersAndControlPlane: withControl && { ...withControl, sitesPerCore: perCore(withControl) },
    fitBare: bare && { ...bare, sitesPerCore: perCore(bare) },
    /** Marginal forwarding cost per site, bare ÷ ours: our forwarding per core as a share of bare mediasoup's. */
    ratioToBareFromSlopes: workers && bare ? Math.round((1000 * bare.slope) / workers.slope) / 1000 : null,
  };
  out.push(entry);
  console.log(`${key}: ${cleanRuns.length} clean runs of ${runs.length} (${ours.length} clean diemcau phases)`);
  if (workers) {
    console.log(
      `  workers: ${workers.intercept.toFixed(2)} % + ${workers.slope.toFixed(4)} % per site (r² ${workers.r2.toFixed(3)}) → ${perCore(workers)} sites per core`,
    );
  }
  if (withControl) console.log(`  workers + hub process: ${perCore(withControl)} sites per core`);
  if (bare)
    console.log(`  bare mediasoup workers: ${perCore(bare)} sites per core (ratio ${entry.ratioToBareFromSlopes})`);
}
fs.writeFileSync(path.join(dir, 'fit.json'), `${JSON.stringify(out, null, 2)}\n`);
