import { el, escapeXml, group, text } from '../svg/svg.js';
import { fitText, textWidth } from '../svg/text-metrics.js';
import { INK, MUTED } from './theme.js';
import { LEGEND_ROW } from './layout.js';

/**
 * One legend entry: a line (solid or dashed), a filled swatch (phases), a dot (markers) or nothing (a note: what the
 * chart left out or could not draw), and its label.
 */
export interface LegendItem {
  label: string;
  color: string;
  mark: 'line' | 'swatch' | 'dot' | 'note';
  dash?: string;
  /** Data attribute for tests and tools: what the entry stands for. */
  key?: string;
  /** Where a label too long for a row is shortened: `middle` for names that differ at their end. @default 'end' */
  shorten?: 'end' | 'middle';
}

const FONT = 12;
const MARK = 18;

function markWidth(item: LegendItem): number {
  return item.mark === 'note' ? 0 : MARK + 6;
}

/** The label as drawn: ellipsized to one row. */
function labelOf(item: LegendItem, x0: number, x1: number): string {
  return fitText(item.label, Math.max(0, x1 - x0 - markWidth(item)), FONT, item.shorten);
}

function itemWidth(item: LegendItem, x0: number, x1: number): number {
  return markWidth(item) + textWidth(labelOf(item, x0, x1), FONT) + 16;
}

/** How many rows `items` need between x0 and x1. */
export function legendRows(items: readonly LegendItem[], x0: number, x1: number): number {
  return placeItems(items, x0, x1).rows;
}

function placeItems(items: readonly LegendItem[], x0: number, x1: number): { rows: number; at: { x: number; row: number }[] } {
  const at: { x: number; row: number }[] = [];
  let x = x0;
  let row = 0;
  for (const item of items) {
    const w = itemWidth(item, x0, x1);
    if (x > x0 && x + w - 16 > x1) {
      row++;
      x = x0;
    }
    at.push({ x, row });
    x += w;
  }
  return { rows: items.length === 0 ? 0 : row + 1, at };
}

/** The legend, wrapped into rows between x0 and x1, its first row's middle at `y`. */
export function legend(items: readonly LegendItem[], x0: number, x1: number, y: number): string {
  const { at } = placeItems(items, x0, x1);
  const parts = items.map((item, i) => {
    const { x, row } = at[i] as { x: number; row: number };
    const cy = y + row * LEGEND_ROW;
    const mark =
      item.mark === 'line'
        ? el('line', { x1: x, y1: cy, x2: x + MARK, y2: cy, stroke: item.color, 'stroke-width': 2.5, 'stroke-dasharray': item.dash })
        : item.mark === 'swatch'
          ? el('rect', { x, y: cy - 6, width: MARK, height: 12, fill: item.color, 'fill-opacity': 0.45 })
          : item.mark === 'dot'
            ? el('circle', { cx: x + MARK / 2, cy, r: 3.5, fill: '#ffffff', stroke: item.color, 'stroke-width': 2 })
            : '';
    const label = text({ x: x + markWidth(item), y: cy + 4, 'font-size': FONT, fill: item.mark === 'note' ? MUTED : INK }, labelOf(item, x0, x1));
    return `<g class="legend-item"${item.key === undefined ? '' : ` data-key="${escapeXml(item.key)}"`}>${mark}${label}</g>`;
  });
  return group({ class: 'legend' }, parts);
}
