// Fits the SFU's CPU against the number of sites over the benchmark results
// the machine drove cleanly (not saturated, no other load), and prints the
// sites-per-core figure: `node --import tsx bench/fit.ts [bench/results]`.
// Writes bench/results/fit.json for docs/performance.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Phase {
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
  options: { video: boolean; workers: number; mode: string };
  diemcau: Phase;
  bare: Phase | null;
  ratioToBare: number | null;
}

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
const groups = new Map<string, { file: string; r: Result }[]>();
for (const file of files) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Result;
  if (!r.diemcau) continue;
  const key = `video ${r.options.video ? 'on' : 'off'}, ${r.options.workers} workers, ${r.options.mode}`;
  groups.set(key, [...(groups.get(key) ?? []), { file, r }]);
}

const out: Record<string, unknown>[] = [];
for (const [key, runs] of groups) {
  const clean = runs.filter(({ r }) => !r.diemcau.saturated && !r.diemcau.otherLoad);
  const workers = fitLine(clean.map(({ r }) => [r.diemcau.joined, r.diemcau.sfuWorkersCpuPct]));
  const withControl = fitLine(
    clean.map(({ r }) => [r.diemcau.joined, r.diemcau.sfuWorkersCpuPct + r.diemcau.controlPlaneCpuPct]),
  );
  const bare = fitLine(
    clean
      .filter(({ r }) => r.bare && !r.bare.saturated && !r.bare.otherLoad)
      .map(({ r }) => [r.bare?.joined ?? 0, r.bare?.sfuWorkersCpuPct ?? 0]),
  );
  const perCore = (f: ReturnType<typeof fitLine>) => (f && f.slope > 0 ? Math.round(100 / f.slope) : null);
  const entry = {
    group: key,
    cleanRuns: clean.map(({ file, r }) => ({
      file,
      sites: r.diemcau.joined,
      sfuWorkersCpuPct: r.diemcau.sfuWorkersCpuPct,
      controlPlaneCpuPct: r.diemcau.controlPlaneCpuPct,
      ratioToBare: r.ratioToBare,
      joinP95Ms: r.diemcau.joinMs.p95,
    })),
    excludedRuns: runs.filter((x) => !clean.includes(x)).map(({ file }) => file),
    fitWorkers: workers && { ...workers, sitesPerCore: perCore(workers) },
    fitWorkersAndControlPlane: withControl && { ...withControl, sitesPerCore: perCore(withControl) },
    fitBare: bare && { ...bare, sitesPerCore: perCore(bare) },
    /** Marginal forwarding cost per site, bare ÷ ours: our forwarding per core as a share of bare mediasoup's. */
    ratioToBareFromSlopes: workers && bare ? Math.round((1000 * bare.slope) / workers.slope) / 1000 : null,
  };
  out.push(entry);
  console.log(`${key}: ${clean.length} clean runs of ${runs.length}`);
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
