/** Latency summaries: nearest-rank percentiles over the successful samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(latenciesMs: number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

export const ms = (v: number): string =>
  Number.isNaN(v) ? '—' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;

export const rate = (v: number): string =>
  Number.isNaN(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1);

export const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
