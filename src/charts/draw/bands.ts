import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, group, text } from '../svg/svg.js';
import { fitText, textWidth } from '../svg/text-metrics.js';
import { laneRow, type Rect } from './layout.js';
import { phasePieces, type Piece } from './phase-pieces.js';
import { GROUPED_PHASES, INK } from './theme.js';

const LABEL_FONT = 10;

function dataAttrs(piece: Piece, depth: number): Record<string, string> {
  if (piece.kind === 'phase') {
    const p = piece.phase;
    return { 'data-phase': p.name, 'data-depth': String(depth), 'data-start': String(p.start), 'data-end': String(p.end) };
  }
  return { 'data-group': piece.name ?? '', 'data-count': String(piece.count), 'data-depth': String(depth), 'data-start': String(piece.start), 'data-end': String(piece.end) };
}

function fillOf(piece: Piece, colors: ReadonlyMap<string, string>): string | undefined {
  return piece.name === null ? GROUPED_PHASES : colors.get(piece.name);
}

/** Outermost phases as pale bands behind the data of each panel (short ones grouped, see phasePieces). */
export function phaseBands(phases: readonly PhaseInterval[], x: LinearScale, panels: readonly Rect[], colors: ReadonlyMap<string, string>, depth: number): string {
  const parts: string[] = [];
  const atDepth = phases.filter((p) => p.depth === depth);
  for (const rect of panels) {
    for (const piece of phasePieces(atDepth, x, rect.x, rect.x + rect.width)) {
      parts.push(el('rect', { class: piece.kind === 'phase' ? 'phase-band' : 'phase-band-group', ...dataAttrs(piece, depth), x: piece.x0, y: rect.y, width: Math.max(1, piece.x1 - piece.x0), height: rect.height, fill: fillOf(piece, colors), 'fill-opacity': 0.1 }));
    }
  }
  return group({ class: 'phase-bands' }, parts);
}

/**
 * Phases as labelled boxes, one lane per depth (outermost on top), depths `firstDepth` to `firstDepth + lanes - 1`.
 * A label is drawn when it fits its box; the legend names every phase by colour for the rest. Runs of short phases
 * are one box: in the phase's colour labelled "×N" when they are all one phase, grey labelled "N phases" otherwise.
 */
export function phaseLanes(phases: readonly PhaseInterval[], x: LinearScale, lanes: Rect, laneCount: number, colors: ReadonlyMap<string, string>, firstDepth: number): string {
  const parts: string[] = [];
  for (let lane = 0; lane < laneCount; lane++) {
    const row = laneRow(lanes, lane);
    const depth = firstDepth + lane;
    for (const piece of phasePieces(phases.filter((p) => p.depth === depth), x, row.x, row.x + row.width)) {
      const width = Math.max(1, piece.x1 - piece.x0);
      parts.push(el('rect', { class: piece.kind === 'phase' ? 'phase-lane' : 'phase-group', ...dataAttrs(piece, depth), x: piece.x0, y: row.y, width, height: row.height, fill: fillOf(piece, colors), 'fill-opacity': 0.45 }));
      const label = laneLabel(piece, width - 6);
      if (label !== '') {
        parts.push(text({ class: 'phase-label', x: piece.x0 + width / 2, y: row.y + row.height - 4, 'font-size': LABEL_FONT, fill: INK, 'text-anchor': 'middle' }, label));
      }
    }
  }
  return group({ class: 'phase-lanes' }, parts);
}

/** A phase's name (shortened, when at least a few letters of it fit), or a group's count. */
function laneLabel(piece: Piece, room: number): string {
  if (piece.kind === 'phase') {
    const fitted = fitText(piece.name, room, LABEL_FONT);
    return fitted.length >= Math.min(4, piece.name.length + 1) || fitted === piece.name ? fitted : '';
  }
  if (piece.count < 2) return '';
  for (const label of piece.name === null ? [`${piece.count} phases`, `${piece.count}`] : [`${piece.name} ×${piece.count}`, `×${piece.count}`]) {
    if (textWidth(label, LABEL_FONT) <= room) return label;
  }
  return '';
}

/** The phase names the lanes and bands draw in their own colour (for the legend), and whether any group is grey. */
export function drawnPhaseNames(phases: readonly PhaseInterval[], x: LinearScale, left: number, right: number, depths: readonly number[]): { names: string[]; grouped: boolean } {
  const names = new Set<string>();
  let grouped = false;
  for (const depth of depths) {
    for (const piece of phasePieces(phases.filter((p) => p.depth === depth), x, left, right)) {
      if (piece.name === null) grouped = true;
      else names.add(piece.name);
    }
  }
  return { names: [...names], grouped };
}
