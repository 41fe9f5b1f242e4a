import { downsampleMinMax } from '../../sdk/timeline/downsample.js';
import type { MemorySample } from '../../sdk/types.js';
import { timeRange, type SeriesKey } from '../input/chart-input.js';

/** What one series draws at one x: a single value (min = max) or the extremes of a pixel column or a folded span. */
export interface MinMaxPoint {
  time: number;
  min: number;
  max: number;
}

/**
 * The points to draw one series over `columns` pixel columns. Up to `columns` samples are drawn as they are (a folded
 * sample with its min and max); more are reduced to min/max per column by `downsampleMinMax`, placed at the column's
 * middle, so a peak survives however many samples share a pixel and the drawing costs O(columns) whatever the input.
 * `range` is the samples' time range, when the caller has it already (it costs a pass over the samples).
 */
export function seriesPoints(samples: readonly MemorySample[], field: SeriesKey, columns: number, range = timeRange(samples)): MinMaxPoint[] {
  if (samples.length > columns) {
    if (range === undefined) return [];
    const half = (range[1] - range[0]) / Math.max(1, Math.floor(columns)) / 2;
    return downsampleMinMax(samples, columns, field).map((c) => ({ time: c.time + half, min: c.min, max: c.max }));
  }
  const out: MinMaxPoint[] = [];
  for (const s of samples) {
    const min = s.folded ? s.folded.min[field] : s[field];
    const max = s.folded ? s.folded.max[field] : s[field];
    if (Number.isFinite(s.time) && Number.isFinite(min) && Number.isFinite(max)) out.push({ time: s.time, min, max });
  }
  // Timelines are in time order; concatenated or hand-made ones may not be.
  for (let i = 1; i < out.length; i++) {
    if ((out[i] as MinMaxPoint).time < (out[i - 1] as MinMaxPoint).time) return out.sort((a, b) => a.time - b.time);
  }
  return out;
}

/** The highest point (the earliest of equals), or undefined for no points. */
export function peakOf(points: readonly MinMaxPoint[]): { time: number; value: number } | undefined {
  let best: MinMaxPoint | undefined;
  for (const p of points) if (best === undefined || p.max > best.max) best = p;
  return best === undefined ? undefined : { time: best.time, value: best.max };
}

/** The lowest and highest values over several series' points; undefined when there are none. */
export function extentOf(series: readonly (readonly MinMaxPoint[])[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const points of series) {
    for (const p of points) {
      if (p.min < lo) lo = p.min;
      if (p.max > hi) hi = p.max;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}
