import type { LeakVerdict } from '../sdk/leak/leak-detector.js';
import type { PhaseInterval } from '../sdk/phases/phase-intervals.js';
import type { PhaseStats } from '../sdk/phases/phase-stats.js';
import type { MemoryKind, MemorySample } from '../sdk/types.js';
import type { HeapDiffSection } from './heap-diff-section.js';

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
  unit: 'bytes' | 'bytes/s' | 'bytes/run' | 'seconds' | 'points/s' | 'boolean';
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
  /**
   * The heap diff of the test's leak check: when it suspected a leak (or `--heap-snapshots`), two snapshots around
   * recorded runs, diffed; `none` with the reason otherwise. Absent from tests without a leak check.
   */
  heapDiff?: HeapDiffSection;
}

export interface MemoryTestReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'memory-test';
  generatedAt: string;
  tool: { name: 'memscope'; version: string };
  environment: Environment;
  /** `files`: the user's test files the tests came from (`memscope test <files>`); absent for the bundled tests. */
  config: { stress: boolean; injectLeak: string | null; tests: string[]; files?: string[] };
  passed: boolean;
  tests: MemoryTestResult[];
  limits: { heapLimitBytes: number; containerLimitBytes: number | null };
}

export type MemscopeReport = BenchmarkReport | MemoryTestReport;

/**
 * How one Node.js process run under `memscope/register` ran: who it was, how long, how much CPU it used and how it
 * ended. The `pid` and the command line label every report of a run.
 */
export interface RunProcessInfo {
  pid: number;
  ppid: number;
  /** `process.argv` as Node saw it (the executable, the script, its arguments). */
  argv: string[];
  /** Node's own flags (`process.execArgv`); NODE_OPTIONS is not part of them. */
  execArgv: string[];
  /** The command line as people read it, e.g. `node server.js --port 8080`. */
  commandLine: string;
  /** The known wrapper this process is (`npm`, `npx`, `yarn`, `pnpm`, `tsx` ...), or null: see docs/run.md. */
  wrapper: string | null;
  cwd: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  cpuUserSec: number;
  cpuSystemSec: number;
  /** How the process ended, when it reported its end: its exit code, or the signal that ended it (null while it ran). */
  exitCode: number | null;
  signal: string | null;
  /** The /metrics this process served (the one process of a run that owns `--metrics-port`), or null. */
  metricsUrl: string | null;
}

/** A worker thread of a process, as it reported itself (its own V8 heap; `rss` is the whole process's). */
export interface RunThreadReport {
  threadId: number;
  /** `thread <id>`: the value of the `memscope_thread` label on /metrics. */
  label: string;
  /** Epoch ms of its first and latest report. */
  startedAt: number;
  endedAt: number;
  /** True when the thread said goodbye (it ended normally or called process.exit); false when it was terminated or still ran. */
  ended: boolean;
  peakHeapUsedBytes: number;
  timeline: MemorySample[];
  phases: PhaseStats[];
  /** The thread's own leak verdict at its end (status and sentence), when it said goodbye. */
  leak?: { status: LeakVerdict['status']; summary: string };
}

/**
 * The report of one Node.js process run under `memscope/register` (MEMSCOPE_REPORT_DIR), written when it exits —
 * and every MEMSCOPE_CHECKPOINT_MS while it runs, so a process killed with SIGKILL or by running out of memory still
 * leaves its timeline up to the last checkpoint (`complete: false`). Not (yet) a {@link MemscopeReport}: `memscope
 * plot`/`report` do not read it; `memscope run` draws its pictures itself.
 */
export interface RunProcessReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'run-process';
  generatedAt: string;
  tool: { name: 'memscope'; version: string };
  environment: Environment;
  limits: { heapLimitBytes: number; containerLimitBytes: number | null };
  process: RunProcessInfo;
  /** False for a checkpoint written while the process ran (it did not report its end). */
  complete: boolean;
  timeline: MemorySample[];
  phases: PhaseStats[];
  phaseIntervals: PhaseInterval[];
  leak?: LeakVerdict;
  leakBaselines?: Partial<Record<MemoryKind, Array<{ time: number; value: number }>>>;
  threads: RunThreadReport[];
  /** What the process's heap snapshots (MEMSCOPE_HEAP_SNAPSHOTS) captured; absent when capture was off. */
  heapSnapshots?: RunHeapSnapshots;
}

/** A process's heap snapshots under `memscope/register`: where, how many, and the newest pair. */
export interface RunHeapSnapshots {
  directory: string;
  snapshots: number;
  /** Snapshots refused, by reason (busy, rate_limited, heap_limit ...). */
  refusals: Record<string, number>;
  /** The newest complete automatic pair, else the two newest on-demand snapshots; null when there is none. */
  pair: { before: string; after: string; reason: string } | null;
}

/** One line of a run's process table. */
export interface RunProcessSummary {
  pid: number;
  ppid: number;
  commandLine: string;
  wrapper: string | null;
  cpuSec: number;
  durationSec: number;
  complete: boolean;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  threads: number;
  /** The process report's file name, beside this report; null when the process left none (killed before its first checkpoint). */
  report: string | null;
  leak: { status: LeakVerdict['status']; summary: string } | null;
}

/** The report of a `memscope run`: the command, how it ended, every Node.js process and the verdict of the one that did the work. */
export interface RunReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'run';
  generatedAt: string;
  tool: { name: 'memscope'; version: string };
  environment: Environment;
  limits: { heapLimitBytes: number; containerLimitBytes: number | null };
  command: string[];
  startedAt: number;
  endedAt: number;
  /** The command's exit code or the signal that ended it, and the status memscope exited with. */
  exit: { code: number | null; signal: string | null; status: number };
  failOnLeak: boolean;
  /** The process the verdict is about, and why it was chosen (docs/run.md); null when no Node.js process reported. */
  verdictProcess: { pid: number; commandLine: string; reason: string } | null;
  leak?: LeakVerdict;
  leakBaselines?: Partial<Record<MemoryKind, Array<{ time: number; value: number }>>>;
  processes: RunProcessSummary[];
  /**
   * The newest snapshot pair of the verdict's process, diffed (`--heap-snapshots`, MEMSCOPE_HEAP_SNAPSHOTS); or why
   * there is none (capture off, no anomaly) or why the diff failed. Absent from reports written before it existed.
   */
  heapDiff?: HeapDiffSection;
}
