import type { LinearScale } from '../scale/linear-scale.js';
import type { Ticks } from '../scale/ticks.js';
import { el, group, text } from '../svg/svg.js';
import { fitText } from '../svg/text-metrics.js';
import { MARGIN, type Rect } from './layout.js';
import { AXIS, GRID, INK, MUTED } from './theme.js';

const TICK_FONT = 11;

/** Value labels closer than this would print over each other: every k-th is labelled instead. */
const LABEL_SPACING = TICK_FONT + 3;

/**
 * Horizontal grid lines and value labels left of `rect`; `emphasize` (0 on a signed axis) is drawn darker. In a short
 * panel only every k-th line is labelled (always the emphasized one), so that labels never overlap.
 */
export function valueAxis(ticks: Ticks, y: LinearScale, rect: Rect, emphasize?: number): string {
  const parts: string[] = [];
  const spacing = ticks.values.length > 1 ? Math.abs(y(ticks.values[1] as number) - y(ticks.values[0] as number)) : Infinity;
  const every = Math.max(1, Math.ceil(LABEL_SPACING / Math.max(spacing, 1e-9)));
  const anchor = Math.max(0, ticks.values.findIndex((v) => v === (emphasize ?? 0)));
  ticks.values.forEach((value, i) => {
    const py = y(value);
    parts.push(el('line', { x1: rect.x, y1: py, x2: rect.x + rect.width, y2: py, stroke: value === emphasize ? AXIS : GRID, 'stroke-width': 1 }));
    if ((i - anchor) % every === 0) parts.push(text({ x: rect.x - 8, y: py + 4, 'font-size': TICK_FONT, fill: MUTED, 'text-anchor': 'end' }, ticks.labels[i] ?? ''));
  });
  return group({ class: 'value-axis' }, parts);
}

/** Vertical grid lines through every panel, tick labels under the last one and the axis title. */
export function timeAxis(ticks: Ticks, x: LinearScale, panels: readonly Rect[], labelY: number, titleY: number, title: string): string {
  const parts: string[] = [];
  const maxLabels = Math.max(1, Math.floor((panels[0]?.width ?? 0) / 56));
  const every = Math.ceil(ticks.values.length / maxLabels);
  ticks.values.forEach((value, i) => {
    const px = x(value);
    for (const r of panels) parts.push(el('line', { x1: px, y1: r.y, x2: px, y2: r.y + r.height, stroke: GRID, 'stroke-width': 1 }));
    if (i % every === 0) parts.push(text({ x: px, y: labelY, 'font-size': TICK_FONT, fill: MUTED, 'text-anchor': 'middle' }, ticks.labels[i] ?? ''));
  });
  const first = panels[0];
  if (first !== undefined) {
    parts.push(text({ x: first.x + first.width / 2, y: titleY, 'font-size': 12, fill: INK, 'text-anchor': 'middle' }, fitText(title, first.width + 2 * Math.min(MARGIN.right, MARGIN.left) - 8, 12)));
  }
  return group({ class: 'time-axis' }, parts);
}

/** The panel's frame; `class="plot-area"` marks it for tests and tools that map data to pixels. */
export function frame(rect: Rect, name: string): string {
  return el('rect', { class: 'plot-area', 'data-panel': name, x: rect.x, y: rect.y, width: rect.width, height: rect.height, fill: 'none', stroke: AXIS, 'stroke-width': 1 });
}

/** A panel's caption, just above its top-left corner, shortened to the panel's width. */
export function panelTitle(rect: Rect, caption: string): string {
  return text({ x: rect.x, y: rect.y - 8, 'font-size': 12, fill: INK }, fitText(caption, rect.width, 12));
}
