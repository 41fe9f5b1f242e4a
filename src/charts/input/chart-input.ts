import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { MemoryFigures, MemorySample } from '../../sdk/types.js';

/** A memory figure the charts can draw. */
export type SeriesKey = keyof MemoryFigures;

export const SERIES_KEYS = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const satisfies readonly SeriesKey[];

/** Limits drawn as horizontal lines when known (null or absent: not drawn). */
export interface ChartLimits {
  heapLimitBytes?: number | null;
  containerLimitBytes?: number | null;
}

/** One run to draw: its samples, and optionally its phases, limits, title and a short label for comparisons. */
export interface TimelineChartInput {
  samples: readonly MemorySample[];
  /** Phase instances on the wall clock. @default derived from the samples' `phase` field (innermost phase only) */
  phases?: readonly PhaseInterval[];
  limits?: ChartLimits;
  title?: string;
  /** Names the run in a comparison's legend. @default 'A' / 'B' */
  label?: string;
}

/**
 * Phase bands from the samples alone, for timelines that come without intervals (a profiler's
 * `getMemoryTimeline()`): each run of consecutive samples in the same phase becomes one interval, ending where the
 * next sample in another phase starts. Samples record only the innermost phase, so every interval is at depth 0.
 */
export function phasesFromSamples(samples: readonly MemorySample[]): PhaseInterval[] {
  const out: PhaseInterval[] = [];
  let open: PhaseInterval | undefined;
  for (const s of samples) {
    if (!Number.isFinite(s.time)) continue;
    if (open !== undefined) {
      open.end = s.time;
      if (s.phase === open.name) continue;
      out.push(open);
      open = undefined;
    }
    if (typeof s.phase === 'string') open = { name: s.phase, start: s.folded?.startTime ?? s.time, end: s.time, depth: 0 };
  }
  if (open !== undefined) out.push(open);
  return out;
}

/** The time range covered by samples (a folded sample from its span's start) and phases, or undefined when empty. */
export function timeRange(samples: readonly MemorySample[], phases: readonly PhaseInterval[] = []): [number, number] | undefined {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const s of samples) {
    if (!Number.isFinite(s.time)) continue;
    const start = s.folded?.startTime;
    t0 = Math.min(t0, start !== undefined && Number.isFinite(start) ? Math.min(start, s.time) : s.time);
    t1 = Math.max(t1, s.time);
  }
  for (const p of phases) {
    if (Number.isFinite(p.start)) t0 = Math.min(t0, p.start);
    if (Number.isFinite(p.end)) t1 = Math.max(t1, p.end);
  }
  return t0 <= t1 ? [t0, t1] : undefined;
}
