import type { MemorySample } from '../../sdk/types.js';
import type { SeriesKey } from '../input/chart-input.js';

/** `n` equal columns over [x0, x1] on a shared axis (a comparison's aligned elapsed milliseconds). */
export interface Grid {
  x0: number;
  x1: number;
  n: number;
}

/** Per column: min and max of the values that fall in it, NaN where none does. */
export interface GridSeries {
  min: Float64Array;
  max: Float64Array;
}

/**
 * Min/max per column of a fixed grid, for runs that must share columns (overlays and differences). Like
 * `downsampleMinMax`, but on a given range and through `toX`, the map from a sample's wall-clock time to the shared
 * axis; a folded sample spreads its extremes over every column its (mapped) span overlaps. O(samples + n).
 */
export function gridMinMax(samples: readonly MemorySample[], field: SeriesKey, toX: (time: number) => number, grid: Grid): GridSeries {
  const { x0, x1, n } = grid;
  const min = new Float64Array(n).fill(Number.NaN);
  const max = new Float64Array(n).fill(Number.NaN);
  const width = (x1 - x0) / n;
  const column = (x: number): number => (width > 0 ? Math.min(n - 1, Math.max(0, Math.floor((x - x0) / width))) : 0);
  for (const s of samples) {
    const lo = s.folded ? s.folded.min[field] : s[field];
    const hi = s.folded ? s.folded.max[field] : s[field];
    if (!Number.isFinite(s.time) || !Number.isFinite(lo) || !Number.isFinite(hi)) continue;
    const last = column(toX(s.time));
    const start = s.folded?.startTime;
    const first = start !== undefined && Number.isFinite(start) ? Math.min(column(toX(start)), last) : last;
    for (let c = first; c <= last; c++) {
      if (!(lo >= (min[c] as number))) min[c] = lo;
      if (!(hi <= (max[c] as number))) max[c] = hi;
    }
  }
  return { min, max };
}

/** Fills interior runs of NaN by linear interpolation (what a line through the points would show); ends stay NaN. */
export function fillGaps(values: Float64Array): Float64Array {
  let prev = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    if (prev >= 0 && i - prev > 1) {
      const a = values[prev] as number;
      const b = values[i] as number;
      for (let k = prev + 1; k < i; k++) values[k] = a + ((b - a) * (k - prev)) / (i - prev);
    }
    prev = i;
  }
  return values;
}
