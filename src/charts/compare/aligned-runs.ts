import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { MemorySample } from '../../sdk/types.js';
import { phasesFromSamples, timeRange, type ChartRun } from '../input/chart-input.js';
import { toChartInput, type ChartSource } from '../input/from-report.js';
import { plausibleInput, type Dropped } from '../input/plausible.js';
import { phaseAnchors, warpFrom, type AlignMode } from './align-runs.js';

/** One run of a comparison, put on the shared axis (elapsed milliseconds, aligned). */
export interface AlignedRun {
  label: string;
  samples: readonly MemorySample[];
  /** Wall-clock time of one of this run's samples -> position on the shared axis. */
  toX: (time: number) => number;
  /** The run's outermost phases, already on the shared axis. */
  phases: PhaseInterval[];
  /** Where the run ends on the shared axis. */
  end: number;
  /** The parts the run is made of (iterations, tests), on the shared axis. */
  parts: ChartRun[];
  /** Between those parts: no line is drawn across them. */
  gaps: [number, number][];
  /** Readings left out as implausible. */
  dropped: Dropped;
}

/**
 * Both runs of a comparison on one axis: A from its start, B from its start and, with `phases`, warped so that its
 * outermost phase boundaries meet A's (see {@link phaseAnchors}). Phases come from the inputs or from the samples.
 */
export function alignRuns(a: ChartSource, b: ChartSource, mode: AlignMode, withPhases: boolean): [AlignedRun, AlignedRun] {
  const { input: ia, dropped: da } = plausibleInput(toChartInput(a));
  const { input: ib, dropped: db } = plausibleInput(toChartInput(b));
  const pa = [...(ia.phases ?? phasesFromSamples(ia.samples))];
  const pb = [...(ib.phases ?? phasesFromSamples(ib.samples))];
  const [a0, a1] = timeRange(ia.samples, pa) ?? [0, 0];
  const [b0, b1] = timeRange(ib.samples, pb) ?? [0, 0];
  const warp = mode === 'phases' ? warpFrom(phaseAnchors(pb, b0, pa, a0)) : (t: number): number => t;
  const toXA = (t: number): number => t - a0;
  const toXB = (t: number): number => warp(t - b0);
  const outer = (phases: PhaseInterval[], toX: (t: number) => number): PhaseInterval[] => {
    if (!withPhases || phases.length === 0) return [];
    const depth = phases.reduce((m, p) => Math.min(m, p.depth), Infinity);
    return phases.filter((p) => p.depth === depth).map((p) => ({ name: p.name, start: toX(p.start), end: toX(p.end), depth: 0 }));
  };
  const parts = (runs: typeof ia.runs, toX: (t: number) => number): ChartRun[] =>
    [...(runs ?? [])].sort((p, q) => p.start - q.start).map((r) => ({ ...r, start: toX(r.start), end: toX(r.end) }));
  const gaps = (runs: readonly ChartRun[]): [number, number][] => runs.slice(1).map((r, i) => [(runs[i] as ChartRun).end, r.start]);
  const partsA = parts(ia.runs, toXA);
  const partsB = parts(ib.runs, toXB);
  return [
    { label: ia.label ?? 'A', samples: ia.samples, toX: toXA, phases: outer(pa, toXA), end: toXA(a1), parts: partsA, gaps: gaps(partsA), dropped: da },
    { label: ib.label ?? 'B', samples: ib.samples, toX: toXB, phases: outer(pb, toXB), end: toXB(b1), parts: partsB, gaps: gaps(partsB), dropped: db },
  ];
}
