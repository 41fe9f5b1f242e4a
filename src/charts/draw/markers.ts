import { formatBytes } from '../../internal/units.js';
import type { BaselinePoint } from '../input/chart-input.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, group, text } from '../svg/svg.js';
import { fitText, textWidth } from '../svg/text-metrics.js';
import type { Rect } from './layout.js';

export interface PeakMark {
  key: string;
  label: string;
  color: string;
  time: number;
  value: number;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const FONT = 11;
const DOT = 4.5;

/**
 * A dot on each peak with its value. The label goes beside the dot, inside the panel: above-right first, then the
 * other corners, the first place that covers neither a label already placed nor another peak's dot. Where none is
 * free it takes the first place inside the panel, and it is shortened to the panel's width.
 */
export function peakMarkers(peaks: readonly PeakMark[], x: LinearScale, y: LinearScale, rect: Rect): string {
  const dots: Box[] = peaks.map((p) => {
    const cx = x(p.time);
    const cy = y(p.value);
    return { x0: cx - DOT, x1: cx + DOT, y0: cy - DOT, y1: cy + DOT };
  });
  const placed: Box[] = [];
  const parts = peaks.map((peak, i) => {
    const cx = x(peak.time);
    const cy = y(peak.value);
    const label = fitText(`${peak.label} ${formatBytes(peak.value)}`, rect.width - 8, FONT);
    const w = textWidth(label, FONT);
    const boxAt = (right: boolean, ly: number): Box => ({ x0: right ? cx + 8 : cx - 8 - w, x1: right ? cx + 8 + w : cx - 8, y0: ly - FONT, y1: ly + 2 });
    const inside = (b: Box): boolean => b.x0 >= rect.x && b.x1 <= rect.x + rect.width && b.y0 >= rect.y && b.y1 <= rect.y + rect.height;
    const free = (b: Box): boolean => !placed.some((p) => overlaps(p, b)) && !dots.some((d, j) => j !== i && overlaps(d, b));
    // Beside the dot first, then a row or two further out when labels crowd (two runs peaking at the same place).
    const rows = [cy - 8, cy + 16, cy - 22, cy + 30, cy - 36, cy + 44];
    const candidates = rows.flatMap((ly) => [true, false].map((right) => ({ right, ly, box: boxAt(right, ly) }))).filter((c) => inside(c.box));
    const choice = candidates.find((c) => free(c.box)) ?? candidates[0] ?? { right: cx + 8 + w <= rect.x + rect.width, ly: Math.min(Math.max(cy - 8, rect.y + FONT), rect.y + rect.height - 2), box: boxAt(true, cy - 8) };
    placed.push(choice.box);
    return el(
      'g',
      { class: 'peak', 'data-series': peak.key, 'data-value': String(peak.value), 'data-time': String(peak.time) },
      el('circle', { cx, cy, r: DOT, fill: peak.color, stroke: '#ffffff', 'stroke-width': 1.5 }) +
        text({ x: choice.right ? cx + 8 : cx - 8, y: choice.ly, 'font-size': FONT, fill: peak.color, 'text-anchor': choice.right ? 'start' : 'end', 'font-weight': 'bold' }, label),
    );
  });
  return group({ class: 'peaks' }, parts);
}

export interface LimitMark {
  key: string;
  label: string;
  color: string;
  dash: string;
  value: number;
}

/** Dashed horizontal lines at limits inside the panel's domain, labelled at their right end. */
export function limitLines(limits: readonly LimitMark[], y: LinearScale, rect: Rect): string {
  const parts = limits.map((limit) => {
    const py = y(limit.value);
    return el(
      'g',
      { class: 'limit', 'data-limit': limit.key, 'data-value': String(limit.value) },
      el('line', { x1: rect.x, y1: py, x2: rect.x + rect.width, y2: py, stroke: limit.color, 'stroke-width': 1.5, 'stroke-dasharray': limit.dash }) +
        text({ x: rect.x + rect.width - 4, y: py - 4, 'font-size': FONT, fill: limit.color, 'text-anchor': 'end' }, `${limit.label} ${formatBytes(limit.value)}`),
    );
  });
  return group({ class: 'limits' }, parts);
}

export interface BaselineMark {
  /** The series the points sit on (heapUsed for the heap baseline). */
  key: string;
  label: string;
  color: string;
  points: readonly BaselinePoint[];
}

/** Hollow markers closer than this share one place: what is drawn stays bounded by the panel's width. */
const BASELINE_COLUMN_PX = 3;

/**
 * The post-GC baselines a leak verdict judged, as hollow markers on their series: the floor the heap returns to after
 * each full collection, which is what grows when memory leaks. At most the lowest and highest point per 3 px column.
 */
export function baselineMarkers(baselines: readonly BaselineMark[], x: LinearScale, y: LinearScale, rect: Rect): string {
  const parts = baselines.map((b) => {
    const columns = new Map<number, { lo: BaselinePoint; hi: BaselinePoint }>();
    for (const p of b.points) {
      const px = x(p.time);
      if (!(px >= rect.x - 1 && px <= rect.x + rect.width + 1)) continue;
      const c = Math.floor(px / BASELINE_COLUMN_PX);
      const seen = columns.get(c);
      if (seen === undefined) columns.set(c, { lo: p, hi: p });
      else {
        if (p.value < seen.lo.value) seen.lo = p;
        if (p.value > seen.hi.value) seen.hi = p;
      }
    }
    const marks = [...columns.keys()]
      .sort((p, q) => p - q)
      .flatMap((c) => {
        const { lo, hi } = columns.get(c) as { lo: BaselinePoint; hi: BaselinePoint };
        return lo === hi ? [lo] : [lo, hi];
      })
      .map((p) => el('circle', { cx: x(p.time), cy: y(p.value), r: 3, fill: '#ffffff', stroke: b.color, 'stroke-width': 1.75 }));
    return group({ class: 'baseline', 'data-series': b.key, 'data-points': String(b.points.length) }, marks);
  });
  return group({ class: 'baselines' }, parts);
}
