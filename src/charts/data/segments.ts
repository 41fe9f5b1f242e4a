import type { MemorySample } from '../../sdk/types.js';
import type { ChartRun } from '../input/chart-input.js';

/**
 * Samples split by run (a benchmark's iterations, a report's tests), so that no line is drawn across the gap from
 * one run to the next: a sample belongs to the last run that starts at or before it. One segment without runs.
 * O(samples × log runs).
 */
export function splitByRuns(samples: readonly MemorySample[], runs: readonly ChartRun[] | undefined): (readonly MemorySample[])[] {
  const starts = (runs ?? []).map((r) => r.start).sort((a, b) => a - b).slice(1);
  if (starts.length === 0) return [samples];
  const out: MemorySample[][] = Array.from({ length: starts.length + 1 }, () => []);
  for (const s of samples) {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) <= s.time) lo = mid + 1;
      else hi = mid;
    }
    (out[lo] as MemorySample[]).push(s);
  }
  return out.filter((segment) => segment.length > 0);
}
