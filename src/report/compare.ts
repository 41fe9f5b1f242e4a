import type { Comparable, Figure } from './comparable.js';

export type Verdict = 'improvement' | 'regression' | 'unchanged';

export interface Difference {
  /** e.g. "processing time", "phase classify: heap delta". */
  metric: string;
  unit: 'seconds' | 'bytes' | 'points/second';
  /** Which way is better. */
  better: 'lower' | 'higher';
  baseline: number;
  current: number;
  /** (current - baseline) / |baseline|; null when the baseline is 0. */
  change: number | null;
  /** The tolerance this difference was judged against (the larger of the given one and the measured noise). */
  tolerance: number;
  verdict: Verdict;
}

export interface Comparison {
  baseline: string;
  current: string;
  differences: Difference[];
  regressions: Difference[];
}

/** Relative noise of a figure: the coefficient of variation of its per-iteration values (0 when unknown). */
function noise(f: Figure): number {
  const n = f.values.length;
  if (n < 2 || f.mean === 0) return 0;
  const mean = f.values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(f.values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return sd / Math.abs(mean);
}

function judge(metric: string, unit: Difference['unit'], better: Difference['better'], a: Figure, b: Figure, tolerance: number, absoluteFloor: number): Difference {
  const change = a.mean === 0 ? null : (b.mean - a.mean) / Math.abs(a.mean);
  // Differences inside the run-to-run noise of either report are not differences: tolerance is widened to two
  // coefficients of variation; tiny absolute differences (below absoluteFloor) never count.
  const effective = Math.max(tolerance, 2 * noise(a), 2 * noise(b));
  let verdict: Verdict = 'unchanged';
  if (Math.abs(b.mean - a.mean) > absoluteFloor && (change === null || Math.abs(change) > effective)) {
    const worse = better === 'lower' ? b.mean > a.mean : b.mean < a.mean;
    verdict = worse ? 'regression' : 'improvement';
  }
  return { metric, unit, better, baseline: a.mean, current: b.mean, change, tolerance: effective, verdict };
}

/**
 * Compares two benchmark reports: processing time, memory and rate, then phase by phase, each classed as
 * improvement / regression / unchanged against a noise tolerance (default 5%, widened by the runs' own noise).
 */
export function compareReports(a: Comparable, b: Comparable, tolerance = 0.05): Comparison {
  const differences: Difference[] = [
    judge('processing time', 'seconds', 'lower', a.processingTimeSec, b.processingTimeSec, tolerance, 1e-6),
    judge('memory usage', 'bytes', 'lower', a.memoryUsageBytes, b.memoryUsageBytes, tolerance, 64 * 1024),
    judge('processing rate', 'points/second', 'higher', a.processingRate, b.processingRate, tolerance, 1e-9),
  ];
  for (const [name, pa] of a.phases) {
    const pb = b.phases.get(name);
    if (pb === undefined) continue;
    differences.push(judge(`phase ${name}: time`, 'seconds', 'lower', pa.durationSec, pb.durationSec, tolerance, 1e-4));
    differences.push(judge(`phase ${name}: heap delta`, 'bytes', 'lower', pa.heapDeltaBytes, pb.heapDeltaBytes, tolerance, 64 * 1024));
  }
  return { baseline: a.path, current: b.path, differences, regressions: differences.filter((d) => d.verdict === 'regression') };
}
