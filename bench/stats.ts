// Percentiles for the benchmarks: nearest-rank (the smallest sample with at least p% of the samples
// at or below it), so p99 of 25 samples is the largest one and no value is interpolated.

export type Summary = { readonly n: number; readonly min: number; readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, min: sorted[0] ?? Number.NaN, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, mean };
}
