import { MemscopeError } from '../internal/errors.js';
import { formatBytes } from '../internal/units.js';
import type { TextReport } from './parse-text-report.js';
import type { LoadedReport } from './read-report.js';
import type { BenchmarkReport, MemscopeReport, Stats } from './report-model.js';
import { terminalSafe } from './terminal-text.js';
import type { Sample } from './welch.js';

const MIB = 1024 * 1024;

/** A figure of a run: its mean across iterations, their standard deviation (null when the report does not say) and how many there were. */
export type Figure = Sample;

/** How and where a run was measured, as far as its report says (null: not recorded, as in the original text format). */
export interface RunInfo {
  path: string;
  format: 'json' | 'text';
  iterations: number;
  workload: string | null;
  pointsPerIteration: number | null;
  batchSize: number | null;
  seed: number | null;
  /** Faults injected on purpose; [] for none. */
  faults: string[] | null;
  node: string | null;
  /** Platform, architecture, CPU model and count: `linux-x64, AMD EPYC × 2`. */
  machine: string | null;
  heapLimit: string | null;
  /** `none` when the run had no container limit. */
  containerLimit: string | null;
  memscopeVersion: string | null;
}

export interface PhaseFigures {
  name: string;
  durationSec: Figure;
  heapDeltaBytes: Figure;
  /** Absent from text reports written before it was printed. */
  peakHeapBytes: Figure | null;
}

/** What two benchmark reports are compared on, whatever format they came in. Memory in bytes, time in seconds. */
export interface Comparable {
  run: RunInfo;
  processingTimeSec: Figure;
  /** Null when the report does not hold it (written before CPU time was recorded, or the original text format). */
  cpuTimeSec: Figure | null;
  memoryUsageBytes: Figure;
  processingRate: Figure;
  /** Null when the report does not hold it (the original text format). */
  peakRssBytes: Figure | null;
  retainedAfterGcBytes: Figure | null;
  phases: PhaseFigures[];
}

export function toComparable(loaded: LoadedReport): Comparable {
  return loaded.format === 'text' ? fromText(loaded.report, loaded.path) : fromJson(loaded.report, loaded.path);
}

/** A JSON report read elsewhere (the HTML report has the report objects, not files); `label` stands for its path. */
export function comparableReport(report: MemscopeReport, label: string): Comparable {
  return fromJson(report, label);
}

function fromJson(r: MemscopeReport, path: string): Comparable {
  if (r.kind !== 'benchmark') {
    throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${terminalSafe(path)} is a ${r.kind} report; compare takes benchmark reports`);
  }
  const n = r.iterations.length;
  const fig = (s: Stats, scale = 1, count = n): Figure => ({ mean: s.mean * scale, sd: s.stddev * scale, n: count });
  // A phase's statistics are over the iterations that ran it.
  const ran = new Map<string, number>();
  for (const it of r.iterations) for (const name of new Set(it.phases.map((p) => p.name))) ran.set(name, (ran.get(name) ?? 0) + 1);
  return {
    run: jsonRun(r, path),
    processingTimeSec: fig(r.summary.processingTimeSec),
    cpuTimeSec: r.summary.cpuTimeSec === undefined ? null : fig(r.summary.cpuTimeSec),
    memoryUsageBytes: fig(r.summary.memoryUsageBytes),
    processingRate: fig(r.summary.processingRate),
    peakRssBytes: fig(r.summary.peakRssBytes),
    retainedAfterGcBytes: fig(r.summary.retainedAfterGcBytes),
    phases: r.phases.map((p) => {
      const count = ran.get(p.name) ?? n;
      return { name: p.name, durationSec: fig(p.durationMs, 1 / 1000, count), heapDeltaBytes: fig(p.heapDeltaBytes, 1, count), peakHeapBytes: fig(p.peakHeapUsedBytes, 1, count) };
    }),
  };
}

function jsonRun(r: BenchmarkReport, path: string): RunInfo {
  const e = r.environment;
  return {
    path,
    format: 'json',
    iterations: r.iterations.length,
    workload: r.config.workload,
    pointsPerIteration: r.config.pointsPerIteration,
    batchSize: r.config.batchSize,
    seed: r.config.seed,
    faults: r.config.faults ?? [],
    node: e.node,
    machine: `${e.platform}-${e.arch}, ${e.cpuModel} × ${e.cpuCount}`,
    heapLimit: formatBytes(r.limits.heapLimitBytes),
    containerLimit: r.limits.containerLimitBytes === null ? 'none' : formatBytes(r.limits.containerLimitBytes),
    memscopeVersion: r.tool.version,
  };
}

function fromText(r: TextReport, path: string): Comparable {
  const n = r.iterations.length;
  const spread = (values: number[]): number | null => {
    if (values.length < 2) return null;
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  };
  const st = r.statistics;
  // The STATISTICS section's standard deviation where there is one, else the printed iterations' own.
  const fig = (mean: number, stddev: number | undefined, values: number[], scale = 1): Figure => {
    const sd = stddev ?? spread(values);
    return { mean: mean * scale, sd: sd === null ? null : sd * scale, n };
  };
  const fromStats = (s: TextReport['statistics']['peakRssMiB'], scale = MIB): Figure | null => (s === undefined ? null : { mean: s.mean * scale, sd: s.stddev * scale, n });
  return {
    run: textRun(r, path),
    processingTimeSec: fig(r.summary.processingTimeSec, st.processingTimeSec?.stddev, r.iterations.map((i) => i.processingTimeSec)),
    cpuTimeSec: fromStats(st.cpuTimeSec, 1),
    memoryUsageBytes: fig(r.summary.memoryUsageMiB, st.memoryUsageMiB?.stddev, r.iterations.map((i) => i.memoryUsageMiB), MIB),
    processingRate: fig(r.summary.processingRate, st.processingRate?.stddev, r.iterations.map((i) => i.processingRate)),
    peakRssBytes: fromStats(st.peakRssMiB),
    retainedAfterGcBytes: fromStats(st.retainedAfterGcMiB),
    // The text report prints a phase's time with its standard deviation, its memory as means only: those have no
    // spread to judge a change by.
    phases: r.phases.map((p) => ({
      name: p.name,
      durationSec: { mean: p.timeSec, sd: p.stddevSec, n },
      heapDeltaBytes: { mean: p.heapDeltaMiB * MIB, sd: null, n },
      peakHeapBytes: p.peakHeapMiB === null ? null : { mean: p.peakHeapMiB * MIB, sd: null, n },
    })),
  };
}

function textRun(r: TextReport, path: string): RunInfo {
  const e = r.environment;
  const points = e.pointsPerIteration ?? r.iterations[0]?.pointsProcessed ?? null;
  return {
    path,
    format: 'text',
    iterations: r.iterations.length,
    workload: e.workload,
    pointsPerIteration: points,
    batchSize: e.batchSize,
    seed: e.seed,
    faults: e.faults,
    node: e.node,
    machine: e.platform === null || e.cpuModel === null ? null : `${e.platform}, ${e.cpuModel} × ${e.cpuCount ?? '?'}`,
    heapLimit: e.heapLimitMiB === null ? null : formatBytes(e.heapLimitMiB * MIB),
    containerLimit: e.containerLimitMiB === null ? null : e.containerLimitMiB === 0 ? 'none' : formatBytes(e.containerLimitMiB * MIB),
    memscopeVersion: e.memscopeVersion,
  };
}
