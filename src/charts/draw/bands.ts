import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, group, text, textWidth } from '../svg/svg.js';
import { laneRow, type Rect } from './layout.js';
import { INK } from './theme.js';

/** Visible pieces of one lane: phases narrower than half a pixel next to a drawn one add nothing and are skipped. */
function visible(phases: readonly PhaseInterval[], x: LinearScale, rect: Rect): { phase: PhaseInterval; x0: number; x1: number }[] {
  const out: { phase: PhaseInterval; x0: number; x1: number }[] = [];
  let covered = -Infinity;
  for (const phase of [...phases].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const x0 = Math.max(rect.x, x(phase.start));
    const x1 = Math.min(rect.x + rect.width, x(phase.end));
    if (!(x1 >= x0) || x1 <= covered + 0.5) continue;
    out.push({ phase, x0, x1 });
    covered = Math.max(covered, x1);
  }
  return out;
}

function dataAttrs(phase: PhaseInterval): Record<string, string> {
  return { 'data-phase': phase.name, 'data-depth': String(phase.depth), 'data-start': String(phase.start), 'data-end': String(phase.end) };
}

/** Outermost phases as pale bands behind the data of each panel. */
export function phaseBands(phases: readonly PhaseInterval[], x: LinearScale, panels: readonly Rect[], colors: Map<string, string>, depth: number): string {
  const parts: string[] = [];
  for (const rect of panels) {
    for (const { phase, x0, x1 } of visible(phases.filter((p) => p.depth === depth), x, rect)) {
      parts.push(el('rect', { class: 'phase-band', ...dataAttrs(phase), x: x0, y: rect.y, width: Math.max(0.5, x1 - x0), height: rect.height, fill: colors.get(phase.name), 'fill-opacity': 0.1 }));
    }
  }
  return group({ class: 'phase-bands' }, parts);
}

/**
 * Phases as labelled boxes, one lane per depth (outermost on top), depths `firstDepth` to `firstDepth + lanes - 1`.
 * A label is drawn when it fits its box; the legend names every phase by colour for the rest.
 */
export function phaseLanes(phases: readonly PhaseInterval[], x: LinearScale, lanes: Rect, laneCount: number, colors: Map<string, string>, firstDepth: number): string {
  const parts: string[] = [];
  for (let lane = 0; lane < laneCount; lane++) {
    const row = laneRow(lanes, lane);
    for (const { phase, x0, x1 } of visible(phases.filter((p) => p.depth === firstDepth + lane), x, row)) {
      const width = Math.max(0.5, x1 - x0);
      parts.push(el('rect', { class: 'phase-lane', ...dataAttrs(phase), x: x0, y: row.y, width, height: row.height, fill: colors.get(phase.name), 'fill-opacity': 0.45 }));
      if (textWidth(phase.name, 10) + 6 <= width) {
        parts.push(text({ class: 'phase-label', x: x0 + width / 2, y: row.y + row.height - 4, 'font-size': 10, fill: INK, 'text-anchor': 'middle' }, phase.name));
      }
    }
  }
  return group({ class: 'phase-lanes' }, parts);
}
