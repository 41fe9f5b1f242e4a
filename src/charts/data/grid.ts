import type { MemorySample } from '../../sdk/types.js';
import type { SeriesKey } from '../input/chart-input.js';

/** `n` equal columns over [x0, x1] on a shared axis (a comparison's aligned elapsed milliseconds). */
export interface Grid {
  x0: number;
  x1: number;
  n: number;
}

/**
 * Per column: min and max of the values that fall in it, and the readings it starts and ends with (the earliest and
 * the latest by time); NaN where none does.
 */
export interface GridSeries {
  min: Float64Array;
  max: Float64Array;
  first: Float64Array;
  last: Float64Array;
}

/** Wider than any picture; keeps a bad grid from allocating without bound. */
const MAX_COLUMNS = 100_000;

/**
 * Min/max per column of a fixed grid, for runs that must share columns (overlays and differences). Like
 * `downsampleMinMax`, but on a given range and through `toX`, the map from a sample's wall-clock time to the shared
 * axis; a folded sample spreads its extremes over every column its (mapped) span overlaps. O(samples + n).
 */
export function gridMinMax(samples: readonly MemorySample[], field: SeriesKey, toX: (time: number) => number, grid: Grid): GridSeries {
  const { x0, x1 } = grid;
  const n = Math.max(1, Math.min(MAX_COLUMNS, Math.floor(grid.n)));
  const nan = (): Float64Array => new Float64Array(n).fill(Number.NaN);
  const out: GridSeries = { min: nan(), max: nan(), first: nan(), last: nan() };
  const firstAt = new Float64Array(n).fill(Infinity);
  const lastAt = new Float64Array(n).fill(-Infinity);
  const width = (x1 - x0) / n;
  const column = (x: number): number => (width > 0 ? Math.min(n - 1, Math.max(0, Math.floor((x - x0) / width))) : 0);
  for (const s of samples) {
    const lo = s.folded ? s.folded.min[field] : s[field];
    const hi = s.folded ? s.folded.max[field] : s[field];
    const value = s[field];
    if (!Number.isFinite(s.time) || !Number.isFinite(lo) || !Number.isFinite(hi)) continue;
    const last = column(toX(s.time));
    const start = s.folded?.startTime;
    const first = start !== undefined && Number.isFinite(start) ? Math.min(column(toX(start)), last) : last;
    for (let c = first; c <= last; c++) {
      if (!(lo >= (out.min[c] as number))) out.min[c] = lo;
      if (!(hi <= (out.max[c] as number))) out.max[c] = hi;
      const v = Number.isFinite(value) ? value : hi;
      if (s.time < (firstAt[c] as number)) {
        firstAt[c] = s.time;
        out.first[c] = v;
      }
      if (s.time >= (lastAt[c] as number)) {
        lastAt[c] = s.time;
        out.last[c] = v;
      }
    }
  }
  return out;
}

/**
 * Fills interior runs of empty columns with the straight line a plot through the readings would show: from the last
 * reading before to the first after, min = max (interpolating min and max apart would draw a wedge). Columns whose
 * middle lies inside one of `gaps` (between two runs, on the grid's axis) stay empty, so the line breaks there.
 */
export function bridgeGaps(series: GridSeries, grid: Grid, gaps: readonly (readonly [number, number])[] = []): GridSeries {
  const { min, max, first, last } = series;
  const n = min.length;
  const w = (grid.x1 - grid.x0) / n;
  // Marked once per gap, O(columns + gaps) for a report of any number of runs.
  const gap = new Uint8Array(n);
  if (w > 0) {
    for (const [a, b] of gaps) {
      const from = Math.max(0, Math.floor((a - grid.x0) / w - 0.5) + 1);
      const to = Math.min(n - 1, Math.ceil((b - grid.x0) / w - 0.5) - 1);
      for (let c = from; c <= to; c++) gap[c] = 1;
    }
  }
  const inGap = (c: number): boolean => gap[c] === 1;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(min[i])) continue;
    if (prev >= 0 && i - prev > 1) {
      const a = last[prev] as number;
      const b = first[i] as number;
      for (let k = prev + 1; k < i; k++) {
        if (inGap(k)) continue;
        const v = a + ((b - a) * (k - prev)) / (i - prev);
        min[k] = v;
        max[k] = v;
      }
    }
    prev = i;
  }
  return series;
}
