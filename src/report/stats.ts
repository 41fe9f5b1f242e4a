import type { Stats } from './report-model.js';

/** mean, median, sample standard deviation (n-1; 0 for one value), min and max. Empty input gives all zeros. */
export function stats(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) return { mean: 0, median: 0, stddev: 0, min: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, median, stddev: Math.sqrt(variance), min: sorted[0] ?? 0, max: sorted[n - 1] ?? 0 };
}
