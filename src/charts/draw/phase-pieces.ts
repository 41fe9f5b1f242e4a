import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { LinearScale } from '../scale/linear-scale.js';

/**
 * Phases narrower than this many pixels are not drawn one by one: side by side, per-batch phases turn into slivers
 * no one can tell apart. Consecutive short phases become one group.
 */
export const MIN_PHASE_PX = 6;

/** A phase drawn as itself. */
export interface PhasePiece {
  kind: 'phase';
  phase: PhaseInterval;
  name: string;
  x0: number;
  x1: number;
}

/** Consecutive phases each shorter than MIN_PHASE_PX, drawn as one box. */
export interface GroupPiece {
  kind: 'group';
  /** Their common name when they are all instances of one phase (drawn in its colour), else null (drawn grey). */
  name: string | null;
  count: number;
  /** Wall-clock start and end of the group. */
  start: number;
  end: number;
  x0: number;
  x1: number;
}

export type Piece = PhasePiece | GroupPiece;

/**
 * What one lane (or one row of bands) draws: its phases from left to right, clipped to [left, right], with runs of
 * short phases grouped. Phases hidden under one already drawn (less than half a pixel past it) add nothing to see and
 * are skipped (a group still counts them), so the output is bounded by the lane's width whatever the number of phases.
 */
export function phasePieces(phases: readonly PhaseInterval[], x: LinearScale, left: number, right: number): Piece[] {
  const out: Piece[] = [];
  let group: GroupPiece | undefined;
  let covered = -Infinity;
  const flush = (): void => {
    if (group === undefined) return;
    out.push(group);
    group = undefined;
  };
  for (const phase of [...phases].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const x0 = Math.max(left, x(phase.start));
    const x1 = Math.min(right, x(phase.end));
    if (!(x1 >= x0)) continue;
    if (x1 <= covered + 0.5) {
      // Hidden under what is drawn: adds nothing to see, but a group still counts it.
      if (group !== undefined && x0 - group.x1 < MIN_PHASE_PX) {
        group.count++;
        group.end = Math.max(group.end, phase.end);
        group.x1 = Math.max(group.x1, x1);
        if (group.name !== phase.name) group.name = null;
      }
      continue;
    }
    covered = Math.max(covered, x1);
    if (x1 - x0 >= MIN_PHASE_PX) {
      flush();
      out.push({ kind: 'phase', phase, name: phase.name, x0, x1 });
      continue;
    }
    if (group !== undefined && x0 - group.x1 < MIN_PHASE_PX) {
      group.count++;
      group.end = Math.max(group.end, phase.end);
      group.x1 = Math.max(group.x1, x1);
      if (group.name !== phase.name) group.name = null;
      continue;
    }
    flush();
    group = { kind: 'group', name: phase.name, count: 1, start: phase.start, end: phase.end, x0, x1 };
  }
  flush();
  return out;
}
