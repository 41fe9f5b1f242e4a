import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import { MEMORY_FIELDS, MEMORY_KINDS, type MemoryFigures, type MemoryKind, type MemorySample } from '../../sdk/types.js';
import type { BaselinePoint, ChartLimits, ChartRun, LeakBaselines, TimelineChartInput } from './chart-input.js';

/**
 * What a chart draws, kept to what a process can report. A JSON report can hold any number (1e308, and 1e309 parses
 * as Infinity); drawn as they are, such values flatten every real reading to the axis and overflow the arithmetic of
 * scales and ticks. No 64-bit process has 2^64 bytes or fewer than none, and no sample was taken outside the range a
 * JavaScript Date can hold (±8.64e15 ms), so readings beyond those are left out, counted, and the chart says so.
 */
export const MAX_PLAUSIBLE_BYTES = 2 ** 64;
export const MAX_PLAUSIBLE_TIME = 8.64e15;

export const plausibleBytes = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v < MAX_PLAUSIBLE_BYTES;
export const plausibleTime = (t: unknown): t is number => typeof t === 'number' && t >= -MAX_PLAUSIBLE_TIME && t <= MAX_PLAUSIBLE_TIME;
/** A reading the report says it does not have (null in JSON, NaN from a failed probe): a gap, not an error. */
const missing = (v: unknown): boolean => v === null || v === undefined || Number.isNaN(v);

/** What was left out, for the chart's note. */
export interface Dropped {
  /** Readings (one figure of one sample, a phase, a baseline point) outside the plausible ranges. */
  count: number;
  /** The first of them, to show what was wrong: `rss = 1e+308`. */
  example?: string;
}

/** The input with every implausible reading left out: the same arrays when there is none (the common case). */
export function plausibleInput(input: TimelineChartInput): { input: TimelineChartInput; dropped: Dropped } {
  const dropped: Dropped = { count: 0 };
  const drop = (what: string, value: unknown): void => {
    if (dropped.count++ === 0) dropped.example = `${what} = ${describe(value)}`;
  };
  const samples = Array.isArray(input.samples) ? plausibleSamples(input.samples as readonly unknown[], drop) : [];
  const phases = Array.isArray(input.phases) ? plausiblePhases(input.phases as readonly unknown[], drop) : undefined;
  const out: TimelineChartInput = { ...input, samples, ...(phases === undefined ? {} : { phases }) };
  if (input.limits !== undefined) out.limits = plausibleLimits(input.limits);
  if (input.runs !== undefined) out.runs = plausibleRuns(input.runs);
  if (input.leakBaselines !== undefined) out.leakBaselines = plausibleBaselines(input.leakBaselines, drop);
  if (typeof out.title !== 'string') delete out.title;
  if (typeof out.label !== 'string') delete out.label;
  return { input: out, dropped };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return String(value);
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : typeof value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Samples with an implausible time are left out; an implausible figure becomes NaN (a gap in that series only), as
 * a missing one (null in JSON) already is. A folded span whose start or extremes are implausible is unfolded: its
 * last reading still counts. So is one that reaches back over an earlier sample: the SDK folds consecutive samples,
 * so its spans never overlap, and overlapping ones would make every chart spread each span over every column
 * (quadratic work from a crafted report).
 */
function plausibleSamples(samples: readonly unknown[], drop: (what: string, value: unknown) => void): readonly MemorySample[] {
  let latest = -Infinity;
  let clean = true;
  for (const s of samples) {
    if (!isCleanSample(s, latest)) {
      clean = false;
      break;
    }
    latest = Math.max(latest, s.time);
  }
  if (clean) return samples as readonly MemorySample[];
  const out: MemorySample[] = [];
  latest = -Infinity;
  for (const s of samples) {
    if (isCleanSample(s, latest)) {
      out.push(s);
      latest = Math.max(latest, s.time);
      continue;
    }
    if (!isObject(s)) {
      drop('sample', s);
      continue;
    }
    if (!plausibleTime(s.time)) {
      drop('time', s.time);
      continue;
    }
    const sample = { time: s.time, phase: typeof s.phase === 'string' ? s.phase : null } as MemorySample;
    for (const field of MEMORY_FIELDS) {
      const v = s[field];
      // Missing readings (null, absent) are gaps the report says it has, not implausible ones.
      if (!missing(v) && !plausibleBytes(v)) drop(field, v);
      sample[field] = plausibleBytes(v) ? v : Number.NaN;
    }
    const folded = s.folded;
    if (foldedOk(folded, s.time, latest)) {
      sample.folded = { count: typeof folded.count === 'number' ? folded.count : 0, startTime: folded.startTime as number, min: folded.min as MemoryFigures, max: folded.max as MemoryFigures };
    } else if (folded !== undefined) {
      drop('folded span', isObject(folded) ? folded.startTime : folded);
    }
    out.push(sample);
    latest = Math.max(latest, s.time);
  }
  return out;
}

/**
 * A sample every part of which can be drawn as it is (missing figures, null in JSON, included: they are gaps).
 * `latest` is the latest time of the samples before it.
 */
function isCleanSample(s: unknown, latest: number): s is MemorySample {
  if (!isObject(s) || !plausibleTime(s.time) || (s.phase !== null && s.phase !== undefined && typeof s.phase !== 'string')) return false;
  // Written out rather than through MEMORY_FIELDS and helpers: this runs for every sample of every chart.
  if (!clean(s.rss) || !clean(s.heapUsed) || !clean(s.heapTotal) || !clean(s.external) || !clean(s.arrayBuffers)) return false;
  return s.folded === undefined || foldedOk(s.folded, s.time, latest);
}

/** A figure that is plausible, or missing (null, absent, NaN). */
function clean(v: unknown): boolean {
  return typeof v === 'number' ? (v >= 0 && v < MAX_PLAUSIBLE_BYTES) || Number.isNaN(v) : v === null || v === undefined;
}

/** A folded span that starts after every earlier sample and no later than its own, with plausible extremes. */
function foldedOk(folded: unknown, time: number, latest: number): folded is Record<string, unknown> {
  return isObject(folded) && plausibleTime(folded.startTime) && folded.startTime <= time && folded.startTime >= latest && figuresOk(folded.min) && figuresOk(folded.max);
}

function figuresOk(f: unknown): f is MemoryFigures {
  return isObject(f) && MEMORY_FIELDS.every((k) => missing(f[k]) || plausibleBytes(f[k]));
}

function plausiblePhases(phases: readonly unknown[], drop: (what: string, value: unknown) => void): readonly PhaseInterval[] {
  const ok = (p: unknown): p is PhaseInterval =>
    isObject(p) && typeof p.name === 'string' && plausibleTime(p.start) && plausibleTime(p.end) && p.start <= p.end && Number.isInteger(p.depth) && Math.abs(p.depth as number) <= 1e6;
  if (phases.every(ok)) return phases;
  const out: PhaseInterval[] = [];
  for (const p of phases) {
    if (ok(p)) out.push(p);
    else drop('phase', isObject(p) ? (plausibleTime(p.start) ? p.end : p.start) : p);
  }
  return out;
}

function plausibleLimits(limits: ChartLimits): ChartLimits {
  const keep = (v: unknown): number | null => (plausibleBytes(v) && v > 0 ? v : null);
  return isObject(limits) ? { heapLimitBytes: keep(limits.heapLimitBytes), containerLimitBytes: keep(limits.containerLimitBytes) } : {};
}

function plausibleRuns(runs: readonly ChartRun[]): readonly ChartRun[] {
  if (!Array.isArray(runs)) return [];
  return (runs as readonly unknown[]).flatMap((r): ChartRun[] =>
    isObject(r) && plausibleTime(r.start) && plausibleTime(r.end) && r.start <= r.end ? [{ name: String(r.name), ...(typeof r.short === 'string' ? { short: r.short } : {}), start: r.start, end: r.end, ...(r.failed === true ? { failed: true } : {}) }] : [],
  );
}

function plausibleBaselines(baselines: LeakBaselines, drop: (what: string, value: unknown) => void): LeakBaselines {
  const out: Partial<Record<MemoryKind, BaselinePoint[]>> = {};
  if (!isObject(baselines)) return out;
  for (const kind of MEMORY_KINDS) {
    const points: unknown = baselines[kind];
    if (!Array.isArray(points)) continue;
    out[kind] = (points as unknown[]).filter((p): p is BaselinePoint => {
      const ok = isObject(p) && plausibleTime(p.time) && plausibleBytes(p.value);
      if (!ok) drop(`${kind} baseline`, isObject(p) ? (plausibleTime(p.time) ? p.value : p.time) : p);
      return ok;
    });
  }
  return out;
}
