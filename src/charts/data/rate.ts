import type { MemorySample } from '../../sdk/types.js';
import type { SeriesKey } from '../input/chart-input.js';

/** Rate of change of one figure at a time, in bytes per second. */
export interface RatePoint {
  time: number;
  rate: number;
}

export interface RateOptions {
  /** Columns the run is cut into (its width in pixels): the cost follows them, not the samples. */
  columns: number;
  /** Each estimate uses at least this many samples... */
  minSamples: number;
  /** ...and a window at least this many columns wide. */
  minColumns: number;
  /** One estimate every this many columns. */
  step: number;
  /** The run's time range, when the caller has it (it costs a pass over the samples). @default measured */
  range?: readonly [number, number];
}

/**
 * The rate of change of `field` along one run, in bytes per second: at every `step` columns, the least-squares slope
 * of the readings in a window around it, widened until it holds `minSamples` and spans `minColumns`, placed at the
 * mean time of those readings. Differencing neighbours would draw every GC as a spike; a slope over a window that
 * holds whole GC sawtooth periods shows the growth under them. Windows stay inside the run (a run's rate never mixes
 * in the next run's readings), so the line starts and ends half a window in; a run too short for one window gives its
 * mean rate across its whole length.
 * O(samples + columns × log columns); a folded sample counts with its last reading at its time.
 */
export function rateOfChange(samples: readonly MemorySample[], field: SeriesKey, options: RateOptions): RatePoint[] {
  let [t0, t1] = options.range ?? [Infinity, -Infinity];
  if (options.range === undefined) {
    for (const s of samples) {
      if (!Number.isFinite(s.time) || !Number.isFinite(s[field])) continue;
      t0 = Math.min(t0, s.time);
      t1 = Math.max(t1, s.time);
    }
  }
  let v0 = Number.NaN;
  for (const s of samples) {
    if (Number.isFinite(s[field])) {
      v0 = s[field];
      break;
    }
  }
  if (!(t1 > t0) || Number.isNaN(v0)) return [];
  const n = Math.max(1, Math.min(100_000, Math.floor(options.columns)));
  const width = (t1 - t0) / n;
  // Per column: count and the sums of t, v, t², tv (t in seconds from the run's start, v from its first reading, so
  // the sums stay small and exact enough), then prefix sums so any window's sums cost O(1).
  const sums = [new Float64Array(n + 1), new Float64Array(n + 1), new Float64Array(n + 1), new Float64Array(n + 1), new Float64Array(n + 1)] as const;
  const [count, st, sv, stt, stv] = sums;
  for (const s of samples) {
    const v = s[field];
    if (!Number.isFinite(s.time) || !Number.isFinite(v) || s.time < t0 || s.time > t1) continue;
    const c = Math.min(n - 1, Math.floor((s.time - t0) / width)) + 1;
    const t = (s.time - t0) / 1000;
    const dv = v - v0;
    count[c] = (count[c] as number) + 1;
    st[c] = (st[c] as number) + t;
    sv[c] = (sv[c] as number) + dv;
    stt[c] = (stt[c] as number) + t * t;
    stv[c] = (stv[c] as number) + t * dv;
  }
  for (const a of sums) for (let c = 1; c <= n; c++) a[c] = (a[c] as number) + (a[c - 1] as number);
  const total = (a: Float64Array, lo: number, hi: number): number => (a[hi + 1] as number) - (a[lo] as number);
  const window = (c: number, h: number): [number, number] => [Math.max(0, c - h), Math.min(n - 1, c + h)];

  const minHalf = Math.max(0, Math.ceil((options.minColumns - 1) / 2));
  const out: RatePoint[] = [];
  const estimate = (a: number, b: number): RatePoint | undefined => {
    const k = total(count, a, b);
    const mt = total(st, a, b) / k;
    const varT = total(stt, a, b) / k - mt * mt;
    if (!(k >= 2) || !(varT > 1e-12)) return undefined;
    const slope = (total(stv, a, b) / k - mt * (total(sv, a, b) / k)) / varT;
    return Number.isFinite(slope) ? { time: t0 + mt * 1000, rate: slope } : undefined;
  };
  for (let c = 0; c < n; c += Math.max(1, Math.floor(options.step))) {
    // The narrowest half-width that holds minSamples (binary search: the count only grows with the window).
    let lo = minHalf;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = window(c, mid);
      if (total(count, a, b) >= options.minSamples) hi = mid;
      else lo = mid + 1;
    }
    // Only whole windows: one cut short by the run's start or end would hold fewer GC periods on one side and tilt.
    if (c - lo < 0 || c + lo > n - 1) continue;
    const point = estimate(c - lo, c + lo);
    if (point !== undefined) out.push(point);
  }
  if (out.length > 0) return out;
  // A run too short for one whole window: its mean rate, drawn across the run rather than as a dot at its middle.
  const whole = estimate(0, n - 1);
  return whole === undefined ? [] : [{ time: t0, rate: whole.rate }, { time: t1, rate: whole.rate }];
  return out;
}
