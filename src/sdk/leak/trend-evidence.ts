import type { BaselineSeries } from './baseline-series.js';
import type { ResolvedLeakOptions } from './leak-options.js';
import { mannKendall } from './mann-kendall.js';
import { rSquared, theilSen, theilSenScratchSize } from './theil-sen.js';

/**
 * `warming-up`: still inside `warmUpMs`; `insufficient-data`: fewer than `minPoints` points or a span shorter than
 * `minSpanMs` in the window; `no-growth`: enough data, but at least one of the growth tests fails; `suspected`: all pass.
 */
export type TrendStatus = 'warming-up' | 'insufficient-data' | 'no-growth' | 'suspected';

/** What one baseline shows over the analysed window. The statistics are computed whenever there are two points. */
export interface TrendEvidence {
  readonly status: TrendStatus;
  /** Points in the analysed window. */
  readonly points: number;
  /** Time from the first to the last analysed point. */
  readonly spanMs: number;
  /** Theil–Sen slope over all analysed points (0 with fewer than two). */
  readonly slopeBytesPerSec: number;
  /** Theil–Sen slope over the most recent half of them (the last ⌈n/2⌉): is the growth still going on? */
  readonly recentSlopeBytesPerSec: number;
  /** Mann–Kendall one-sided p-value for an increasing trend (1 with fewer than two points). */
  readonly pValue: number;
  /** R² of the Theil–Sen line (0 with fewer than two points; can be negative). */
  readonly rSquared: number;
}

export const WARMING_UP: TrendEvidence = Object.freeze(empty('warming-up', 0, 0));

/**
 * How sure the verdict is, in [0, 1]: the geometric mean of a p-value score, min(1, -log10(p) / 4), and the fit,
 * R² clamped to [0, 1]. With the default thresholds a kind that only just passes (p = 0.01, R² = 0.5) scores 0.5;
 * p ≤ 1e-4 on a perfect line scores 1. The scale does not depend on the options, so confidences stay comparable
 * across differently tuned detectors. It is a ranking heuristic, not a probability.
 */
export function leakConfidence(pValue: number, rSquaredValue: number): number {
  const pScore = pValue > 0 ? Math.min(1, Math.max(0, -Math.log10(pValue) / 4)) : pValue === 0 ? 1 : 0;
  const fitScore = Math.min(1, Math.max(0, rSquaredValue));
  const c = Math.sqrt(pScore * fitScore);
  return Number.isFinite(c) ? c : 0;
}

/** Runs the statistics on windows of baselines, reusing its buffers so a verdict allocates next to nothing. */
export class TrendAnalyser {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  // Grown on demand: the default window holds ~120 points (7 140 pairs), far from the 240-point worst case.
  private scratch = new Float64Array(0);

  constructor(private readonly options: ResolvedLeakOptions) {
    this.xs = new Float64Array(options.maxPoints);
    this.ys = new Float64Array(options.maxPoints);
  }

  /** Evidence from the points `from` (inclusive) to `to` (exclusive) of `series`. */
  analyse(series: BaselineSeries, from: number, to: number): TrendEvidence {
    const n = to - from;
    const o = this.options;
    if (n < 2) return Object.freeze(empty('insufficient-data', Math.max(n, 0), 0));
    const t0 = series.timeAt(from);
    for (let k = 0; k < n; k++) {
      // Seconds since the first point, so slopes come out in bytes per second.
      this.xs[k] = (series.timeAt(from + k) - t0) / 1000;
      this.ys[k] = series.valueAt(from + k);
    }
    const spanMs = series.timeAt(to - 1) - t0;
    const x = this.xs.subarray(0, n);
    const y = this.ys.subarray(0, n);
    const scratch = this.scratchFor(n);
    const fit = theilSen(x, y, scratch);
    const fitR2 = rSquared(x, y, fit.slope, fit.intercept);
    const { pValue } = mannKendall(y);
    const half = Math.ceil(n / 2);
    const recent = theilSen(x.subarray(n - half), y.subarray(n - half), scratch).slope;

    const enough = n >= o.minPoints && spanMs >= o.minSpanMs;
    const recentSpanSec = (x[n - 1] as number) - (x[n - half] as number);
    const growing =
      fit.slope >= o.minSlopeBytesPerSec &&
      fit.slope * (spanMs / 1000) >= o.minGrowthBytes &&
      pValue <= o.maxPValue &&
      fitR2 >= o.minRSquared &&
      recent >= o.minSlopeBytesPerSec / 2 &&
      recent * recentSpanSec >= o.minGrowthBytes / 2;
    return Object.freeze({
      status: !enough ? 'insufficient-data' : growing ? 'suspected' : 'no-growth',
      points: n,
      spanMs,
      slopeBytesPerSec: fit.slope,
      recentSlopeBytesPerSec: recent,
      pValue,
      rSquared: fitR2,
    });
  }

  private scratchFor(n: number): Float64Array {
    const need = theilSenScratchSize(n);
    if (this.scratch.length < need) {
      const max = theilSenScratchSize(this.options.maxPoints);
      this.scratch = new Float64Array(Math.min(max, Math.max(need, this.scratch.length * 2)));
    }
    return this.scratch;
  }
}

function empty(status: TrendStatus, points: number, spanMs: number): TrendEvidence {
  return { status, points, spanMs, slopeBytesPerSec: 0, recentSlopeBytesPerSec: 0, pValue: 1, rSquared: 0 };
}
