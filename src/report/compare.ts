import { numberOption } from '../internal/validate.js';
import { configDifferences, type ConfigDifference } from './comparability.js';
import type { Comparable, Figure, RunInfo } from './comparable.js';
import { welchPValue } from './welch.js';

/**
 * regression / improvement: the change passed every test below; unchanged: it is within the tolerance or the floor;
 * inconclusive: it is beyond both, but the runs' own spread does not show it (or there is no spread to judge by).
 */
export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'inconclusive';

export const VERDICTS: readonly Verdict[] = ['regression', 'improvement', 'unchanged', 'inconclusive'];

/** Options of {@link compareReports}. The defaults are measured: docs/reports.md, "How noisy are the figures". */
export interface CompareOptions {
  /** Memory figures: a relative change within this is unchanged. @default 0.1 (10%) */
  tolerance?: number;
  /**
   * Time figures (CPU time, and wall-clock phase times): a change within this factor is unchanged; 1.5 means "worse by
   * more than 2.5×" (CPU time too moves between runs on a busy machine: caches, shared cores). The run's processing
   * time and rate take CPU time's verdict — the rest of their wall-clock time is waiting for the CPU — and a phase's
   * wall-clock difference must also exceed both runs' waits and go the way the run's CPU time went. Reports without
   * CPU time cannot tell waiting from work: there, wall-clock changes are at most inconclusive. @default 1.5 (150%)
   */
  timeTolerance?: number;
  /** One-sided p-value of Welch's t-test below which a change counts as shown. @default 0.01 */
  significance?: number;
  /** Time differences this small (per iteration) are unchanged: a scheduler time slice. @default 0.005 (5 ms) */
  timeFloorSec?: number;
  /** Memory differences this small are unchanged: GC timing moves heap figures by about this much. @default 262144 (256 KiB) */
  memoryFloorBytes?: number;
}

export const COMPARE_DEFAULTS: Readonly<Required<CompareOptions>> = {
  tolerance: 0.1,
  timeTolerance: 1.5,
  significance: 0.01,
  timeFloorSec: 0.005,
  memoryFloorBytes: 256 * 1024,
};

export interface Difference {
  /** e.g. "processing time", "phase classify: heap delta". */
  metric: string;
  /** The phase's name for phase figures, null for the run's. */
  phase: string | null;
  unit: 'seconds' | 'bytes' | 'points/second';
  /** time: wall clock; cpu: CPU time (both held to the time tolerance); memory: bytes. */
  kind: 'time' | 'cpu' | 'memory';
  /** Which way is better. */
  better: 'lower' | 'higher';
  baseline: number;
  current: number;
  /** (current - baseline) / |baseline|; null when the baseline is 0. */
  change: number | null;
  /** The relative change, in the worse direction, beyond which it can count: +1.5 (time), +0.1 (memory), -0.6 (rate). */
  threshold: number;
  /** The absolute difference at or below which it is unchanged, in `unit`. */
  floor: number;
  /** Welch's one-sided p-value; null when there is no spread to test with. */
  pValue: number | null;
  verdict: Verdict;
  /** Why, in a few words: one of {@link REASONS}. */
  reason: string;
}

export interface Comparison {
  /** The paths (or labels) of the two reports. */
  baseline: string;
  current: string;
  runs: { baseline: RunInfo; current: RunInfo };
  /** How the runs' configurations differ; any `refuse` sets `refused`. */
  configDifferences: ConfigDifference[];
  refused: boolean;
  options: Required<CompareOptions>;
  differences: Difference[];
  regressions: Difference[];
  counts: Record<Verdict, number>;
  /** Phases only one of the runs has: not compared. */
  onlyInBaseline: string[];
  onlyInCurrent: string[];
}

export function resolveCompareOptions(options: CompareOptions = {}): Required<CompareOptions> {
  const d = COMPARE_DEFAULTS;
  return {
    tolerance: numberOption('tolerance', options.tolerance, d.tolerance, 0, 1000),
    timeTolerance: numberOption('timeTolerance', options.timeTolerance, d.timeTolerance, 0, 1000),
    significance: numberOption('significance', options.significance, d.significance, 1e-12, 0.5),
    timeFloorSec: numberOption('timeFloorSec', options.timeFloorSec, d.timeFloorSec, 0, 3600),
    memoryFloorBytes: numberOption('memoryFloorBytes', options.memoryFloorBytes, d.memoryFloorBytes, 0, 2 ** 50),
  };
}

interface Spec {
  metric: string;
  phase: string | null;
  unit: Difference['unit'];
  kind: Difference['kind'];
  better: Difference['better'];
}

/** Why a difference got its verdict, in a few words (the table's last column). */
export const REASONS = {
  same: 'the same',
  floor: 'below the floor',
  waiting: 'explained by waiting for the CPU',
  noCpu: 'no CPU time to tell waiting from work',
  notInCpu: 'not in the run\'s CPU time',
  tolerance: 'within the tolerance',
  shown: 'shown by the spread',
  notShown: 'not shown by the spread',
  noSpread: 'no spread to judge by',
  notFinite: 'not a finite figure',
  rate: 'as processing time',
  cpu: 'as CPU time',
} as const;

/**
 * A change counts (regression or improvement) when it passes three tests: beyond the tolerance of its kind (relative,
 * measured as a ratio, so 3× slower and 3× faster are the same size); beyond the floor (absolute); and shown by the
 * runs' own spread — Welch's t-test on the iterations, one-sided p below the significance level. The p-value is
 * reported whenever it can be computed, whichever test decided.
 */
function judge(spec: Spec, a: Figure, b: Figure, o: Required<CompareOptions>, wait: { sec: number; known: boolean } = { sec: 0, known: true }): Difference {
  const tolerance = spec.kind === 'memory' ? o.tolerance : o.timeTolerance;
  const floor = spec.unit === 'seconds' ? Math.max(o.timeFloorSec, spec.kind === 'time' ? wait.sec : 0) : spec.unit === 'bytes' ? o.memoryFloorBytes : 0;
  const threshold = spec.better === 'lower' ? tolerance : -tolerance / (1 + tolerance);
  const change = a.mean === 0 ? (b.mean === 0 ? 0 : null) : (b.mean - a.mean) / Math.abs(a.mean);
  const pValue = welchPValue(a, b);
  const verdict = (v: Verdict, reason: string): Difference => ({ ...spec, baseline: a.mean, current: b.mean, change, threshold, floor, pValue, verdict: v, reason });
  if (!Number.isFinite(a.mean) || !Number.isFinite(b.mean)) return verdict('inconclusive', REASONS.notFinite);
  const diff = Math.abs(b.mean - a.mean);
  if (diff === 0) return verdict('unchanged', REASONS.same);
  if (diff <= floor) return verdict('unchanged', floor > o.timeFloorSec && spec.unit === 'seconds' ? REASONS.waiting : REASONS.floor);
  // Relative size as a ratio of the smaller magnitude: symmetric for worse and better; a sign change is unbounded.
  const small = Math.min(Math.abs(a.mean), Math.abs(b.mean));
  const size = small === 0 || Math.sign(a.mean) !== Math.sign(b.mean) ? Number.POSITIVE_INFINITY : diff / small;
  if (size <= tolerance) return verdict('unchanged', REASONS.tolerance);
  // Without CPU time the wait for the CPU is unknown, and on a busy machine it alone makes runs several times slower.
  if (spec.kind === 'time' && !wait.known) return verdict('inconclusive', REASONS.noCpu);
  if (pValue === null) return verdict('inconclusive', REASONS.noSpread);
  if (pValue >= o.significance) return verdict('inconclusive', REASONS.notShown);
  const worse = spec.better === 'lower' ? b.mean > a.mean : b.mean < a.mean;
  return verdict(worse ? 'regression' : 'improvement', REASONS.shown);
}

/**
 * A phase's wall-clock time counts only in the direction the run's CPU time went, beyond its tolerance. Phases have no
 * CPU time of their own, and time moves between phases from run to run with no change in the work — a GC pause or a
 * wait for the CPU lands in one phase or the next — so the same configuration's 5000-point runs showed a phase
 * 'regressed' in 1% of pairs while the run's CPU time did not change. Such a change is shown as inconclusive. The
 * run's CPU time need not be shown by its own spread (a slow phase that waits for the CPU burns a varying amount of
 * it): the phase's change is, by the phase's.
 */
function phaseTime(d: Difference, cpu: Difference | null): Difference {
  if (d.verdict !== 'regression' && d.verdict !== 'improvement') return d;
  const beyondTolerance = cpu !== null && (cpu.verdict === d.verdict || (cpu.verdict === 'inconclusive' && cpu.reason !== REASONS.notFinite));
  const sameWay = cpu !== null && cpu.change !== null && d.change !== null && Math.sign(cpu.change) === Math.sign(d.change);
  return beyondTolerance && sameWay ? d : { ...d, verdict: 'inconclusive', reason: REASONS.notInCpu };
}

/**
 * Compares two benchmark runs: processing time, CPU time, memory usage, processing rate, peak RSS, memory retained after GC,
 * then each phase both ran (time, heap delta, peak heap). Each difference is judged as above; the configurations are
 * compared too (`refused` when they did different work — callers decide what to do with that; the CLI refuses).
 * Throws MEMSCOPE_E_INVALID_OPTION for bad options.
 */
export function compareReports(a: Comparable, b: Comparable, options: CompareOptions = {}): Comparison {
  const o = resolveCompareOptions(options);
  const configs = configDifferences(a.run, b.run);
  const run = (metric: string, unit: Difference['unit'], kind: Difference['kind'], better: Difference['better']): Spec => ({ metric, phase: null, unit, kind, better });
  // Wall-clock time is CPU time plus the time a run waited for the CPU (processing time - CPU time), and the wait
  // varies from iteration to iteration and phase to phase. A difference in the time of a phase or of the whole no
  // larger than the two runs' waits together is explained by them. Beyond that, a phase's change still counts only
  // the way the run's CPU time went (phaseTime): phases have no CPU time of their own to say more.
  const waited = (c: Comparable): number => (c.cpuTimeSec === null ? 0 : Math.max(0, c.processingTimeSec.mean - c.cpuTimeSec.mean));
  const cpuKnown = a.cpuTimeSec !== null && b.cpuTimeSec !== null;
  const wait = { sec: cpuKnown ? waited(a) + waited(b) : 0, known: cpuKnown };
  const cpu = a.cpuTimeSec !== null && b.cpuTimeSec !== null ? judge(run('CPU time', 'seconds', 'cpu', 'lower'), a.cpuTimeSec, b.cpuTimeSec, o) : null;
  const wall = judge(run('processing time', 'seconds', 'time', 'lower'), a.processingTimeSec, b.processingTimeSec, o, wait);
  // The run's wall-clock time is its CPU time plus waiting: with CPU time known, it takes CPU time's verdict.
  const time = cpu === null ? wall : { ...wall, verdict: cpu.verdict, pValue: cpu.pValue, reason: REASONS.cpu };
  const differences: Difference[] = cpu === null ? [time] : [time, cpu];
  differences.push(judge(run('memory usage', 'bytes', 'memory', 'lower'), a.memoryUsageBytes, b.memoryUsageBytes, o));
  const rate = judge(run('processing rate', 'points/second', 'time', 'higher'), a.processingRate, b.processingRate, o, wait);
  // With the same points per iteration, rate is points ÷ time: it takes processing time's verdict, so the two can
  // never disagree (a mean of rates and a mean of times weigh a slow iteration differently).
  const samePoints = a.run.pointsPerIteration !== null && a.run.pointsPerIteration === b.run.pointsPerIteration;
  differences.push(samePoints ? { ...rate, verdict: time.verdict, pValue: time.pValue, reason: REASONS.rate } : rate);
  if (a.peakRssBytes !== null && b.peakRssBytes !== null) differences.push(judge(run('peak RSS', 'bytes', 'memory', 'lower'), a.peakRssBytes, b.peakRssBytes, o));
  if (a.retainedAfterGcBytes !== null && b.retainedAfterGcBytes !== null) {
    differences.push(judge(run('retained after GC', 'bytes', 'memory', 'lower'), a.retainedAfterGcBytes, b.retainedAfterGcBytes, o));
  }
  const current = new Map(b.phases.map((p) => [p.name, p]));
  for (const pa of a.phases) {
    const pb = current.get(pa.name);
    if (pb === undefined) continue;
    const phase = (what: string, unit: Difference['unit'], kind: Difference['kind']): Spec => ({ metric: `phase ${pa.name}: ${what}`, phase: pa.name, unit, kind, better: 'lower' });
    differences.push(phaseTime(judge(phase('time', 'seconds', 'time'), pa.durationSec, pb.durationSec, o, wait), cpu));
    differences.push(judge(phase('heap delta', 'bytes', 'memory'), pa.heapDeltaBytes, pb.heapDeltaBytes, o));
    if (pa.peakHeapBytes !== null && pb.peakHeapBytes !== null) differences.push(judge(phase('peak heap', 'bytes', 'memory'), pa.peakHeapBytes, pb.peakHeapBytes, o));
  }
  const baselineNames = new Set(a.phases.map((p) => p.name));
  const counts = { regression: 0, improvement: 0, unchanged: 0, inconclusive: 0 };
  for (const d of differences) counts[d.verdict]++;
  return {
    baseline: a.run.path,
    current: b.run.path,
    runs: { baseline: a.run, current: b.run },
    configDifferences: configs,
    refused: configs.some((c) => c.action === 'refuse'),
    options: o,
    differences,
    regressions: differences.filter((d) => d.verdict === 'regression'),
    counts,
    onlyInBaseline: a.phases.filter((p) => !current.has(p.name)).map((p) => p.name),
    onlyInCurrent: b.phases.filter((p) => !baselineNames.has(p.name)).map((p) => p.name),
  };
}
