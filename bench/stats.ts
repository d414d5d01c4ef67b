// Distributions and rounding for the load benchmark's result JSON.

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? null;
}

/** p50, p95, p99 and max of the values that are not null, and how many there were. */
export function dist(values: (number | null)[]) {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
    n: sorted.length,
  };
}

/** `v` to `digits` decimals; null when it is not finite (a process gone before the window ended). */
export const round = (v: number, digits = 1) =>
  Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null;
