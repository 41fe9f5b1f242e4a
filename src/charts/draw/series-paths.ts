import type { MinMaxPoint } from '../data/series-points.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, polylinePath } from '../svg/svg.js';

export interface LineStyle {
  color: string;
  width?: number;
  dash?: string;
  /** Data attributes that name the line for tests and tools. */
  data?: Record<string, string>;
}

/**
 * One series as a single path, one subpath per segment (a run: lines never cross from one to the next). A point with
 * min < max (a pixel column or a folded span) becomes a vertical stroke, entered from the end nearer the previous
 * point so that the line does not zigzag; one path per series keeps a million-sample chart at a few thousand path
 * commands.
 */
export function seriesPath(segments: readonly (readonly MinMaxPoint[])[], x: LinearScale, y: LinearScale, style: LineStyle, clipId?: string): string {
  let d = '';
  for (const points of segments) d += segmentPath(points, x, y);
  if (d === '') return '';
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(style.data ?? {})) data[`data-${k}`] = v;
  return el('path', {
    class: 'series',
    ...data,
    d,
    fill: 'none',
    stroke: style.color,
    'stroke-width': style.width ?? 1.5,
    'stroke-dasharray': style.dash,
    'stroke-linejoin': 'round',
    'stroke-linecap': 'round',
    'clip-path': clipId === undefined ? undefined : `url(#${clipId})`,
  });
}

function segmentPath(points: readonly MinMaxPoint[], x: LinearScale, y: LinearScale): string {
  const xs: number[] = [];
  const ys: number[] = [];
  let last = Number.NaN;
  for (const p of points) {
    const px = x(p.time);
    const hi = y(p.max);
    if (p.min === p.max) {
      xs.push(px);
      ys.push(hi);
      last = hi;
      continue;
    }
    const lo = y(p.min);
    const [first, second] = Math.abs(last - hi) < Math.abs(last - lo) ? [hi, lo] : [lo, hi];
    xs.push(px, px);
    ys.push(first, second);
    last = second;
  }
  const d = polylinePath(xs, ys);
  // A lone point would be an invisible move: a dot-sized stroke (round caps) shows that the run has a reading.
  return d !== '' && !d.includes('L') ? polylinePath([xs[0] as number, (xs[0] as number) + 0.2], [ys[0] as number, ys[0] as number]) : d;
}

/** A clip path for a panel, so lines and bands never spill over the axes. */
export function clipRect(id: string, rect: { x: number; y: number; width: number; height: number }): string {
  return el('clipPath', { id }, el('rect', { x: rect.x, y: rect.y, width: rect.width, height: rect.height }));
}
