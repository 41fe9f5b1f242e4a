import type { MemorySample } from '../sdk/types.js';
import { rateOfChange } from './data/rate.js';
import { extentOf, type MinMaxPoint } from './data/series-points.js';
import { frame, panelTitle, valueAxis } from './draw/axes.js';
import type { Rect } from './draw/layout.js';
import { seriesPath } from './draw/series-paths.js';
import { SERIES_STYLE } from './draw/theme.js';
import type { SeriesKey } from './input/chart-input.js';
import { linearScale, type LinearScale } from './scale/linear-scale.js';
import { byteTicks } from './scale/ticks.js';

/**
 * Each estimate of the rate uses a window of at least this many samples and pixels, so that it spans whole GC
 * sawtooth periods (the panel shows growth, not each collection), and one is drawn every few pixels.
 */
const RATE_WINDOW_SAMPLES = 30;
const RATE_WINDOW_PX = 24;
const RATE_STEP_PX = 3;

/** One run's samples and their time range (undefined when none has a usable time). */
export interface Segment {
  samples: readonly MemorySample[];
  range: [number, number] | undefined;
}

/** The rate-of-change panel: bytes per second of `keys`, run by run (no rate is taken across the gap between runs). */
export function ratePanel(segments: readonly Segment[], keys: readonly SeriesKey[], x: LinearScale, rect: Rect, clipId: string): string {
  const pxPerMs = Math.abs(x(1) - x(0));
  const lines = keys.map((key) => ({
    key,
    segments: segments.map(({ samples, range }) => {
      if (range === undefined) return [];
      const columns = Math.max(1, Math.round((range[1] - range[0]) * pxPerMs));
      return rateOfChange(samples, key, { columns, minSamples: RATE_WINDOW_SAMPLES, minColumns: RATE_WINDOW_PX, step: RATE_STEP_PX, range }).map((r): MinMaxPoint => ({ time: r.time, min: r.rate, max: r.rate }));
    }),
  }));
  const [lo, hi] = extentOf(lines.flatMap((l) => l.segments)) ?? [0, 0];
  // Headroom above and below, so the line never runs along (or, once rounded, past) the panel's edge.
  const pad = (hi - lo) * 0.06;
  const ticks = byteTicks(Math.min(0, lo - pad), Math.max(0, hi + pad), Math.max(2, Math.floor(rect.height / 24)), { suffix: '/s', signed: true });
  const y = linearScale(ticks.domain, [rect.y + rect.height, rect.y]);
  return (
    `<g class="rate-panel">` +
    panelTitle(rect, 'Rate of change (bytes per second)') +
    valueAxis(ticks, y, rect, 0) +
    [...lines].reverse().map((l) => seriesPath(l.segments, x, y, { color: SERIES_STYLE[l.key].color, width: 1.25, data: { series: l.key, rate: 'true' } }, clipId)).join('') +
    frame(rect, 'rate') +
    '</g>'
  );
}
