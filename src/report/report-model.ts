import type { LeakVerdict } from '../sdk/leak/leak-detector.js';
import type { PhaseInterval } from '../sdk/phases/phase-intervals.js';
import type { PhaseStats } from '../sdk/phases/phase-stats.js';
import type { MemoryKind, MemorySample } from '../sdk/types.js';

/**
 * The JSON report memscope writes for benchmarks, memory tests and stress runs. Versioned: readers refuse a
 * schemaVersion they do not know (MEMSCOPE_E_REPORT_VERSION) instead of misreading it. Bump the version on any change
 * a reader of the previous version would misinterpret; adding an optional field is not such a change.
 */
export const REPORT_SCHEMA = 'memscope.report';
export const REPORT_SCHEMA_VERSION = 1;

/** mean, median, standard deviation (sample, n-1), min and max of one figure across iterations. */
export interface Stats {
  mean: number;
  median: number;
  stddev: number;
  min: number;
  max: number;
}

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  heapLimitBytes: number;
  containerLimitBytes: number | null;
}

/** One iteration of the workload, measured with its own profiler from a clean memory state. */
export interface IterationResult {
  /** 1-based. */
  index: number;
  processingTimeSec: number;
  /**
   * CPU time the process spent during the iteration (user + system, all threads), in seconds. Unlike the processing
   * time it does not grow while other processes have the CPU, so `compare` can judge it across runs on a busy
   * machine. Absent from reports written before it was recorded.
   */
  cpuTimeSec?: number;
  /**
   * Memory usage of the iteration: peak heap used during it minus heap used at its start, in bytes — the JavaScript
   * memory the workload needed on top of what was already there. The text report prints it in MB meaning MiB.
   */
  memoryUsageBytes: number;
  pointsProcessed: number;
  /** points / second, from unrounded figures. */
  processingRate: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  /** Heap used after a forced full GC at the end minus at the start: what the iteration left behind. */
  retainedAfterGcBytes: number;
  phases: PhaseStats[];
  phaseIntervals: PhaseInterval[];
  timeline: MemorySample[];
}

export interface PhaseSummary {
  name: string;
  /** Per-iteration total duration of the phase, ms. */
  durationMs: Stats;
  /** Per-iteration heap delta of the phase's most recent instance, bytes. */
  heapDeltaBytes: Stats;
  /** Per-iteration peak heap used during the phase, bytes. */
  peakHeapUsedBytes: Stats;
  /** Instances per iteration (mean). */
  count: number;
}

export interface BenchmarkReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'benchmark';
  generatedAt: string;
  tool: { name: 'memscope'; version: string };
  environment: Environment;
  config: {
    iterations: number;
    pointsPerIteration: number;
    batchSize: number;
    seed: number;
    workload: string;
    /** Faults injected on purpose (`benchmark --inject-*`), described; absent when none were. */
    faults?: string[];
  };
  summary: {
    processingTimeSec: Stats;
    /** Absent from reports written before CPU time was recorded. */
    cpuTimeSec?: Stats;
    memoryUsageBytes: Stats;
    processingRate: Stats;
    pointsProcessed: Stats;
    peakRssBytes: Stats;
    retainedAfterGcBytes: Stats;
  };
  phases: PhaseSummary[];
  iterations: IterationResult[];
  /** The heap/RSS limits in force, so pictures can draw them. */
  limits: { heapLimitBytes: number; containerLimitBytes: number | null };
  leak?: LeakVerdict;
  leakBaselines?: Partial<Record<MemoryKind, Array<{ time: number; value: number }>>>;
}

/** The outcome of one assertion of a memory test. */
export interface Assertion {
  name: string;
  passed: boolean;
  /** Measured value and the threshold it was held against, in the unit named. */
  actual: number;
  limit: number;
  unit: 'bytes' | 'bytes/s' | 'seconds' | 'points/s' | 'boolean';
  message: string;
  /** A leak check that could not speak yet: not a pass, not a failure (`memscope test` exits 10 when only these remain). */
  inconclusive?: boolean;
}

export interface MemoryTestResult {
  name: string;
  description: string;
  passed: boolean;
  durationSec: number;
  assertions: Assertion[];
  figures: Record<string, number>;
  phases: PhaseStats[];
  phaseIntervals: PhaseInterval[];
  timeline: MemorySample[];
  /** The leak verdict of the test's leak check (tests that make one), with the baselines it judged. */
  leak?: LeakVerdict;
  leakBaselines?: Partial<Record<MemoryKind, Array<{ time: number; value: number }>>>;
}

export interface MemoryTestReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'memory-test';
  generatedAt: string;
  tool: { name: 'memscope'; version: string };
  environment: Environment;
  config: { stress: boolean; injectLeak: string | null; tests: string[] };
  passed: boolean;
  tests: MemoryTestResult[];
  limits: { heapLimitBytes: number; containerLimitBytes: number | null };
}

export type MemscopeReport = BenchmarkReport | MemoryTestReport;
