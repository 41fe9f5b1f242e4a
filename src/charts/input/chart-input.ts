import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { MemoryFigures, MemoryKind, MemorySample } from '../../sdk/types.js';
import { MAX_PLAUSIBLE_TIME, plausibleTime } from './plausible.js';

/** A memory figure the charts can draw. */
export type SeriesKey = keyof MemoryFigures;

export const SERIES_KEYS = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const satisfies readonly SeriesKey[];

/** Limits drawn as horizontal lines when known (null or absent: not drawn). */
export interface ChartLimits {
  heapLimitBytes?: number | null;
  containerLimitBytes?: number | null;
}

/**
 * One of several runs drawn on one timeline (a benchmark's iterations, a report's memory tests): each is named above
 * the plot, and no line is drawn across the gap from one run to the next.
 */
export interface ChartRun {
  name: string;
  /** Shown instead of the name where it does not fit (`#2` for `iteration 2`). @default the name, ellipsized */
  short?: string;
  /** Wall-clock milliseconds of the run's first and last sample or phase boundary. */
  start: number;
  end: number;
  /** A failed memory test: its name is drawn as failed. @default false */
  failed?: boolean;
}

/** A point of a post-GC baseline: heap (or another kind of memory) right after a full collection. */
export interface BaselinePoint {
  /** Wall-clock milliseconds. */
  time: number;
  /** Bytes. */
  value: number;
}

/** The post-GC baselines a leak verdict judged, per kind of memory (the report's `leakBaselines`). */
export type LeakBaselines = Partial<Record<MemoryKind, readonly BaselinePoint[]>>;

/** One run to draw: its samples, and optionally its phases, limits, title and a short label for comparisons. */
export interface TimelineChartInput {
  samples: readonly MemorySample[];
  /** Phase instances on the wall clock. @default derived from the samples' `phase` field (innermost phase only) */
  phases?: readonly PhaseInterval[];
  limits?: ChartLimits;
  title?: string;
  /** Names the run in a comparison's legend. @default 'A' / 'B' */
  label?: string;
  /** The runs the timeline is made of, in time order. @default one run: lines are drawn through every sample */
  runs?: readonly ChartRun[];
  /** Drawn as markers on the series of their kind (heap on heap used). @default none */
  leakBaselines?: LeakBaselines;
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
    if (!isSample(s)) continue;
    if (open !== undefined) {
      open.end = s.time;
      if (s.phase === open.name) continue;
      out.push(open);
      open = undefined;
    }
    const start = s.folded?.startTime;
    if (typeof s.phase === 'string') open = { name: s.phase, start: plausibleTime(start) && start <= s.time ? start : s.time, end: s.time, depth: 0 };
  }
  if (open !== undefined) out.push(open);
  return out;
}

/** The time range covered by samples (a folded sample from its span's start) and phases, or undefined when empty. */
export function timeRange(samples: readonly MemorySample[], phases: readonly PhaseInterval[] = []): [number, number] | undefined {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const s of samples) {
    // Checked here too, not only by plausibleInput: toChartInput measures runs in reports nothing has checked yet.
    if (!isSample(s)) continue;
    const start = s.folded?.startTime;
    t0 = Math.min(t0, plausibleTime(start) ? Math.min(start, s.time) : s.time);
    t1 = Math.max(t1, s.time);
  }
  for (const p of phases as readonly unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const { start, end } = p as Partial<PhaseInterval>;
    if (plausibleTime(start)) t0 = Math.min(t0, start);
    if (plausibleTime(end)) t1 = Math.max(t1, end);
  }
  return t0 <= t1 ? [t0, t1] : undefined;
}

/** A sample with a plausible time, whatever a report file put in the array. */
function isSample(s: unknown): s is MemorySample {
  if (typeof s !== 'object' || s === null) return false;
  const t = (s as { time?: unknown }).time;
  return typeof t === 'number' && t >= -MAX_PLAUSIBLE_TIME && t <= MAX_PLAUSIBLE_TIME;
}
