import { el, escapeXml, group, text, textWidth } from '../svg/svg.js';
import { INK } from './theme.js';
import { LEGEND_ROW } from './layout.js';

/** One legend entry: a line (solid or dashed), a filled swatch (phases) or a dot (markers), and its label. */
export interface LegendItem {
  label: string;
  color: string;
  mark: 'line' | 'swatch' | 'dot';
  dash?: string;
  /** Data attribute for tests and tools: what the entry stands for. */
  key?: string;
}

const FONT = 12;
const MARK = 18;

function itemWidth(item: LegendItem): number {
  return MARK + 6 + textWidth(item.label, FONT) + 16;
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
    const w = itemWidth(item);
    if (x > x0 && x + w > x1) {
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
          : el('circle', { cx: x + MARK / 2, cy, r: 4, fill: item.color, stroke: '#ffffff', 'stroke-width': 1.5 });
    const label = text({ x: x + MARK + 6, y: cy + 4, 'font-size': FONT, fill: INK }, item.label);
    return `<g class="legend-item"${item.key === undefined ? '' : ` data-key="${escapeXml(item.key)}"`}>${mark}${label}</g>`;
  });
  return group({ class: 'legend' }, parts);
}
