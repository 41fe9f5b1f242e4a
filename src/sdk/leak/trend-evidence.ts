import type { BaselineSeries } from './baseline-series.js';
import type { LeakScale, ResolvedLeakOptions } from './leak-options.js';
import { mannKendall } from './mann-kendall.js';
import { medianInPlace, rSquared, theilSen, theilSenScratchSize } from './theil-sen.js';

/**
 * `warming-up`: too early to judge (inside `ignoreFirstMs`, or a rise that began in the warm-up has not yet been seen
 * to go on after it); `insufficient-data`: fewer than `minPoints` points or a span shorter than `minSpanMs` in the
 * window; `no-growth`: enough data, but at least one of the growth tests fails; `suspected`: all pass.
 */
export type TrendStatus = 'warming-up' | 'insufficient-data' | 'no-growth' | 'suspected';

/** What one baseline shows over the analysed window of one time scale. */
export interface TrendEvidence {
  readonly status: TrendStatus;
  /** The time scale judged: `10m` (the minutes scale by default), `1h`, `6h`. */
  readonly scale: string;
  /** Points in the analysed window. */
  readonly points: number;
  /** Time from the first to the last analysed point. */
  readonly spanMs: number;
  /** Epoch ms of the first and the last analysed point (0 when there is none). */
  readonly fromTime: number;
  readonly toTime: number;
  /** Theil–Sen slope over all analysed points (0 with fewer than two). */
  readonly slopeBytesPerSec: number;
  /** Theil–Sen slope over the most recent half of them (the last ⌈n/2⌉): is the growth still going on? */
  readonly recentSlopeBytesPerSec: number;
  /** Mann–Kendall one-sided p-value for an increasing trend (1 with fewer than two points). */
  readonly pValue: number;
  /** R² of the Theil–Sen line (0 with fewer than two points; can be negative). */
  readonly rSquared: number;
  /** Robust noise of the points around the trend (from consecutive differences, trend removed), bytes. */
  readonly noiseBytes: number;
  /**
   * A significant rising trend, whatever its size: p ≤ maxPValue, R² ≥ minRSquared and a positive slope now and in
   * the recent half. What the exhaustion forecast extrapolates; a leak is suspected only when it is also large enough.
   */
  readonly rising: boolean;
}

export const WARMING_UP: TrendEvidence = Object.freeze(empty('warming-up', '', 0, 0, 0, 0));

/**
 * How sure the verdict is, in [0, 1]: the geometric mean of a p-value score, min(1, -log10(p) / 4), and the fit,
 * R² clamped to [0, 1]. With the default thresholds a kind that only just passes (p = 0.01, R² = 0.5) scores 0.5;
 * p ≤ 1e-4 on a perfect line scores 1. It is a ranking heuristic, not a probability.
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
  // Grown on demand: the default window holds ~120 points (7 140 pairs), far from the worst case.
  private scratch = new Float64Array(0);

  constructor(private readonly options: ResolvedLeakOptions) {
    const most = Math.max(...options.scales.map((s) => s.capacity));
    this.xs = new Float64Array(most);
    this.ys = new Float64Array(most);
  }

  /**
   * Evidence from the points `from` (inclusive) to `to` (exclusive) of `series`, judged on `scale`. Growth must go on
   * after `warmUpEnd` (epoch ms): points before it count for the line, but a rise confined to them is a warm-up.
   */
  analyse(series: BaselineSeries, from: number, to: number, scale: LeakScale, warmUpEnd: number): TrendEvidence {
    const n = to - from;
    const o = this.options;
    if (n < 2) return Object.freeze(empty('insufficient-data', scale.name, Math.max(n, 0), 0, n > 0 ? series.timeAt(from) : 0, n > 0 ? series.timeAt(from) : 0));
    const t0 = series.timeAt(from);
    for (let k = 0; k < n; k++) {
      // Seconds since the first point, so slopes come out in bytes per second.
      this.xs[k] = (series.timeAt(from + k) - t0) / 1000;
      this.ys[k] = series.valueAt(from + k);
    }
    const toTime = series.timeAt(to - 1);
    const spanMs = toTime - t0;
    const x = this.xs.subarray(0, n);
    const y = this.ys.subarray(0, n);
    const scratch = this.scratchFor(n);
    const fit = theilSen(x, y, scratch);
    const fitR2 = rSquared(x, y, fit.slope, fit.intercept);
    const noise = robustNoise(x, y, fit.slope, scratch);
    const { pValue } = mannKendall(y);
    const half = Math.ceil(n / 2);
    const recent = theilSen(x.subarray(n - half), y.subarray(n - half), scratch).slope;
    const recentSpanSec = (x[n - 1] as number) - (x[n - half] as number);
    let rising = pValue <= o.maxPValue && fitR2 >= o.minRSquared && fit.slope > 0 && recent > 0;

    const enough = n >= scale.minPoints && spanMs >= scale.minSpanMs;
    const growth = fit.slope * (spanMs / 1000);
    const large =
      fit.slope >= scale.minSlopeBytesPerSec &&
      growth >= scale.minGrowthBytes &&
      growth >= o.minGrowthNoiseRatio * noise &&
      recent >= scale.minSlopeBytesPerSec / 2 &&
      recent * recentSpanSec >= scale.minGrowthBytes / 2;
    let status: TrendStatus = !enough ? 'insufficient-data' : rising && large ? 'suspected' : 'no-growth';
    if (rising && t0 < warmUpEnd) {
      // The rise began in the warm-up: it must go on after it, or it was a cache filling up.
      const after = this.continuesAfter(n, (warmUpEnd - t0) / 1000, scale, Math.max(scale.minGrowthBytes, o.minGrowthNoiseRatio * noise), scratch);
      rising = after === 'rising';
      if (status === 'suspected' && after === 'too-early') status = 'warming-up';
      else if (status === 'suspected' && after === 'stopped') status = 'no-growth';
    }
    return Object.freeze({
      status,
      scale: scale.name,
      points: n,
      spanMs,
      fromTime: t0,
      toTime,
      slopeBytesPerSec: fit.slope,
      recentSlopeBytesPerSec: recent,
      pValue,
      rSquared: fitR2,
      noiseBytes: noise,
      rising,
    });
  }

  /** Whether the points from `startSec` on (in xs/ys) still rise by `minRise`: too early to say, or not. */
  private continuesAfter(n: number, startSec: number, scale: LeakScale, minRise: number, scratch: Float64Array): 'rising' | 'stopped' | 'too-early' {
    let first = 0;
    while (first < n && (this.xs[first] as number) < startSec) first++;
    const m = n - first;
    if (m < 3) return 'too-early';
    const x = this.xs.subarray(first, n);
    const y = this.ys.subarray(first, n);
    const slope = theilSen(x, y, scratch).slope;
    const rise = slope * ((x[m - 1] as number) - (x[0] as number));
    if (slope >= scale.minSlopeBytesPerSec / 2 && rise >= minRise) return 'rising';
    // A leak slower than the scale's floor rises by minGrowthBytes only after a while: until the points after the
    // warm-up span what that takes at the minimum slope, they cannot tell a slow leak from a filled cache.
    const needSec = minRise / Math.max(scale.minSlopeBytesPerSec, 1);
    return slope > 0 && (x[m - 1] as number) - (x[0] as number) < needSec ? 'too-early' : 'stopped';
  }

  private scratchFor(n: number): Float64Array {
    const need = theilSenScratchSize(n);
    if (this.scratch.length < need) {
      const most = Math.max(...this.options.scales.map((s) => s.capacity));
      this.scratch = new Float64Array(Math.min(theilSenScratchSize(most), Math.max(need, this.scratch.length * 2)));
    }
    return this.scratch;
  }
}

/**
 * The noise of the points around the trend, robustly: from the differences between consecutive points with the
 * trend taken out, median |d| / (0.6745 × √2) estimates the standard deviation of independent noise. Unlike residuals
 * from one line, it is not inflated when the baseline bends (a warm-up curve followed by a leak's line), and one wild
 * point moves it little.
 */
function robustNoise(x: Float64Array, y: Float64Array, slope: number, scratch: Float64Array): number {
  const n = x.length;
  if (n < 3) return 0;
  for (let i = 0; i < n - 1; i++) {
    scratch[i] = Math.abs((y[i + 1] as number) - (y[i] as number) - slope * ((x[i + 1] as number) - (x[i] as number)));
  }
  const median = medianInPlace(scratch, n - 1);
  return Number.isFinite(median) ? median / (0.6745 * Math.SQRT2) : 0;
}

function empty(status: TrendStatus, scale: string, points: number, spanMs: number, fromTime: number, toTime: number): TrendEvidence {
  return { status, scale, points, spanMs, fromTime, toTime, slopeBytesPerSec: 0, recentSlopeBytesPerSec: 0, pValue: 1, rSquared: 0, noiseBytes: 0, rising: false };
}
