import { formatBytes } from '../../internal/units.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, group, text, textWidth } from '../svg/svg.js';
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

/**
 * A dot on each peak with its value. The label goes above-right of the dot, flips left near the right edge, below
 * near the top, and tries the other side when it would cover a label already placed.
 */
export function peakMarkers(peaks: readonly PeakMark[], x: LinearScale, y: LinearScale, rect: Rect): string {
  const placed: Box[] = [];
  const parts = peaks.map((peak) => {
    const cx = x(peak.time);
    const cy = y(peak.value);
    const label = `${peak.label} ${formatBytes(peak.value)}`;
    const w = textWidth(label, FONT);
    const right = cx + 8 + w <= rect.x + rect.width;
    const lx = right ? cx + 8 : cx - 8;
    const [preferred, other]: [number, number] = cy - 8 - FONT < rect.y ? [cy + 16, cy - 8] : [cy - 8, cy + 16];
    const boxAt = (ly: number): Box => ({ x0: right ? lx : lx - w, x1: right ? lx + w : lx, y0: ly - FONT, y1: ly + 2 });
    const free = (ly: number): boolean => !placed.some((b) => overlaps(b, boxAt(ly)));
    const ly = free(preferred) || !free(other) ? preferred : other;
    placed.push(boxAt(ly));
    return el(
      'g',
      { class: 'peak', 'data-series': peak.key, 'data-value': String(peak.value), 'data-time': String(peak.time) },
      el('circle', { cx, cy, r: 4.5, fill: peak.color, stroke: '#ffffff', 'stroke-width': 1.5 }) +
        text({ x: lx, y: ly, 'font-size': FONT, fill: peak.color, 'text-anchor': right ? 'start' : 'end', 'font-weight': 'bold' }, label),
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
