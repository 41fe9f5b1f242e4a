import type { MemoryFigures, MemorySample } from '../types.js';

/** One pixel column of a downsampled series: the extremes of every point that falls in it. */
export interface MinMaxColumn {
  /** Left edge of the column, milliseconds since the Unix epoch. */
  time: number;
  min: number;
  max: number;
}

/** Wider than any screen; keeps a bad `columns` argument from allocating without bound. */
const MAX_COLUMNS = 100_000;

/**
 * Min/max per pixel column, so that a peak survives drawing however many points share a pixel. The time range runs
 * from the earliest start (a folded point's `folded.startTime`) to the latest `time`, cut into `columns` equal
 * columns. A raw point counts in the column of its time; a folded point contributes its `folded.min`/`folded.max` to
 * every column its span overlaps, since its extremes may lie anywhere inside it. Columns no point touches are left
 * out; the rest come back in time order.
 *
 * O(points + columns) for a timeline's points (their spans do not overlap); the points need not be sorted. Run-time
 * safe: never throws, returns [] for no points or `columns` below 1, clamps `columns` to 100,000, and skips points
 * with a non-finite time or value.
 */
export function downsampleMinMax(
  points: readonly MemorySample[],
  columns: number,
  field: keyof MemoryFigures,
): MinMaxColumn[] {
  const n = Math.min(Math.floor(columns), MAX_COLUMNS);
  if (!(n >= 1) || points.length === 0) return [];

  let t0 = Infinity;
  let t1 = -Infinity;
  for (const p of points) {
    if (!Number.isFinite(p.time)) continue;
    t0 = Math.min(t0, startOf(p));
    t1 = Math.max(t1, p.time);
  }
  if (!(t0 <= t1)) return [];

  const width = (t1 - t0) / n;
  const column = (t: number): number => (width > 0 ? Math.min(n - 1, Math.floor((t - t0) / width)) : 0);
  const mins = new Float64Array(n).fill(Infinity);
  const maxs = new Float64Array(n).fill(-Infinity);
  for (const p of points) {
    const lo = p.folded ? p.folded.min[field] : p[field];
    const hi = p.folded ? p.folded.max[field] : p[field];
    if (!Number.isFinite(p.time) || !Number.isFinite(lo) || !Number.isFinite(hi)) continue;
    const last = column(p.time);
    for (let c = Math.min(column(startOf(p)), last); c <= last; c++) {
      if (lo < (mins[c] as number)) mins[c] = lo;
      if (hi > (maxs[c] as number)) maxs[c] = hi;
    }
  }

  const out: MinMaxColumn[] = [];
  for (let c = 0; c < n; c++) {
    const min = mins[c] as number;
    const max = maxs[c] as number;
    if (min <= max) out.push({ time: t0 + c * width, min, max });
  }
  return out;
}

/** A folded point starts at its span's start (when that is usable), a raw point at its time. */
function startOf(p: MemorySample): number {
  const start = p.folded?.startTime;
  return start !== undefined && Number.isFinite(start) && start <= p.time ? start : p.time;
}
