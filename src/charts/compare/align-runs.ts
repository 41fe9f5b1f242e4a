import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';

/**
 * How a comparison puts two runs on one axis: `elapsed` starts both at 0; `phases` also stretches the second run,
 * piecewise linearly, so that each of its phase boundaries lands on the matching boundary of the first.
 */
export type AlignMode = 'elapsed' | 'phases';
export const ALIGN_MODES = ['elapsed', 'phases'] as const satisfies readonly AlignMode[];

/** One matched boundary: the same moment in both runs, as elapsed milliseconds from each run's start. */
export interface AlignAnchor {
  from: number;
  to: number;
}

/**
 * Matching boundaries of the outermost phases of two runs. The k-th instance of a phase name in one run matches the
 * k-th instance of that name in the other, its start with its start and its end with its end; anchors that would run
 * backwards (phases in another order) are dropped, so the warp stays monotonic. Elapsed times are measured from
 * `fromStart` and `toStart`.
 */
export function phaseAnchors(from: readonly PhaseInterval[], fromStart: number, to: readonly PhaseInterval[], toStart: number): AlignAnchor[] {
  const index = (phases: readonly PhaseInterval[]): Map<string, PhaseInterval> => {
    let depth = Infinity;
    for (const p of phases) depth = Math.min(depth, p.depth);
    const seen = new Map<string, number>();
    const out = new Map<string, PhaseInterval>();
    for (const p of [...phases].filter((q) => q.depth === depth).sort((a, b) => a.start - b.start)) {
      const k = seen.get(p.name) ?? 0;
      seen.set(p.name, k + 1);
      out.set(`${p.name}\u0000${k}`, p);
    }
    return out;
  };
  const target = index(to);
  const candidates: AlignAnchor[] = [];
  for (const [key, p] of index(from)) {
    const q = target.get(key);
    if (q === undefined) continue;
    candidates.push({ from: p.start - fromStart, to: q.start - toStart }, { from: p.end - fromStart, to: q.end - toStart });
  }
  candidates.sort((a, b) => a.from - b.from || a.to - b.to);
  const anchors: AlignAnchor[] = [{ from: 0, to: 0 }];
  for (const c of candidates) {
    const last = anchors[anchors.length - 1] as AlignAnchor;
    if (c.from > last.from && c.to > last.to && Number.isFinite(c.from) && Number.isFinite(c.to)) anchors.push(c);
  }
  return anchors;
}

/**
 * The warp from `anchors`: linear between consecutive anchors, slope 1 before the first and after the last (time
 * past the last matched boundary is not stretched). Binary search, so O(log anchors) per call.
 */
export function warpFrom(anchors: readonly AlignAnchor[]): (elapsed: number) => number {
  if (anchors.length === 0) return (t) => t;
  return (t) => {
    let lo = 0;
    let hi = anchors.length - 1;
    const first = anchors[0] as AlignAnchor;
    const last = anchors[hi] as AlignAnchor;
    if (t <= first.from) return first.to + (t - first.from);
    if (t >= last.from) return last.to + (t - last.from);
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((anchors[mid] as AlignAnchor).from <= t) lo = mid;
      else hi = mid;
    }
    const a = anchors[lo] as AlignAnchor;
    const b = anchors[hi] as AlignAnchor;
    return a.to + ((t - a.from) * (b.to - a.to)) / (b.from - a.from);
  };
}
