import type { MemorySample } from '../../sdk/types.js';
import type { SeriesKey } from '../input/chart-input.js';

/** Rate of change of one figure at a time, in bytes per second. */
export interface RatePoint {
  time: number;
  rate: number;
}

/**
 * The rate of change of `field`, smoothed over `buckets` equal slices of [t0, t1]: the difference between the means
 * of consecutive non-empty slices over the time between their mean times. Differencing raw neighbours would draw
 * every GC as a huge spike, and differencing the last reading of each slice aliases a GC sawtooth into a false wave;
 * the mean of a slice averages whole sawtooth periods out, so the panel shows the trend it is for. O(samples +
 * buckets); a folded sample counts with its last reading at its time.
 */
export function rateOfChange(samples: readonly MemorySample[], field: SeriesKey, t0: number, t1: number, buckets: number): RatePoint[] {
  const n = Math.max(1, Math.floor(buckets));
  const width = (t1 - t0) / n;
  const counts = new Float64Array(n);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (const s of samples) {
    const v = s[field];
    if (!Number.isFinite(s.time) || !Number.isFinite(v) || s.time < t0 || s.time > t1) continue;
    const b = width > 0 ? Math.min(n - 1, Math.floor((s.time - t0) / width)) : 0;
    counts[b] = (counts[b] as number) + 1;
    // Offsets from t0 keep the sums of epoch milliseconds exact.
    times[b] = (times[b] as number) + (s.time - t0);
    values[b] = (values[b] as number) + v;
  }
  const out: RatePoint[] = [];
  let prevTime = Number.NaN;
  let prevValue = Number.NaN;
  for (let b = 0; b < n; b++) {
    const count = counts[b] as number;
    if (count === 0) continue;
    const time = (times[b] as number) / count;
    const value = (values[b] as number) / count;
    const dt = (time - prevTime) / 1000;
    if (dt > 0) out.push({ time: t0 + time, rate: (value - prevValue) / dt });
    prevTime = time;
    prevValue = value;
  }
  return out;
}
