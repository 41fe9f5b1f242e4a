import { getHeapStatistics } from 'node:v8';
import type { OnboardingPhase } from '../bms/pipeline/onboard.js';
import { Faults, type FaultOptions } from '../bms/service/faults.js';
import { forceGc } from '../sdk/gc/force-gc.js';
import { MemoryProfiler } from '../sdk/memory-profiler.js';
import { MemscopeError, errorMessage } from '../internal/errors.js';
import { intOption } from '../internal/validate.js';
import { reportHeader } from '../report/report-header.js';
import type { BenchmarkReport, IterationResult, PhaseSummary } from '../report/report-model.js';
import { stats } from '../report/stats.js';
import { GcPeaks } from '../testing/gc-peaks.js';
import type { WorkloadRunContext } from '../testing/define.js';
import { UserCodeTimeout, withTimeout } from './user-files/guard.js';
import { runOnboardingWorkload } from './workload.js';

/** A workload of the user's (`memscope benchmark <file>`): run once per iteration instead of the onboarding workload. */
export interface BenchmarkWorkload {
  /** Recorded as the report's workload (compare refuses two reports of different workloads). */
  name: string;
  /** One iteration's work; a whole number returned is the items processed (the report's rate); nothing counts 0. */
  run(ctx: WorkloadRunContext): unknown;
  /** Milliseconds one iteration may take. @default 300000 */
  timeout?: number;
}

export interface BenchmarkOptions {
  /** @default 3 */
  iterations?: number;
  /** Points per iteration. @default 500 */
  points?: number;
  /** @default 100 */
  batchSize?: number;
  /** @default 42 */
  seed?: number;
  /** Sampling interval of each iteration's profiler. @default 20 */
  sampleIntervalMs?: number;
  /**
   * Faults injected on purpose (a slower phase, more memory), as `memscope serve` injects them — each iteration is one
   * job — to check that `compare` catches them. Recorded in the report's `config.faults`. @default none
   */
  faults?: FaultOptions;
  /** The user's workload; `points` is the size it is given. @default the bundled onboarding workload */
  workload?: BenchmarkWorkload;
  onProgress?: (done: number, total: number) => void;
}

/**
 * N iterations of the onboarding workload, each from a clean memory state (full GC) with a fresh profiler, measured
 * like the original framework (processing time, memory usage, points, rate) plus peaks, retained memory, phases and
 * the memory timeline.
 */
export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkReport> {
  const iterations = intOption('iterations', options.iterations, 3, 1, 10_000);
  const points = intOption('points', options.points, 500, 1, 50_000_000);
  const batchSize = intOption('batchSize', options.batchSize, 100, 1, 1_000_000);
  const seed = intOption('seed', options.seed, 42, 0, 2 ** 32 - 1);
  const sampleIntervalMs = intOption('sampleIntervalMs', options.sampleIntervalMs, 20, 10, 60_000);
  const results: IterationResult[] = [];
  const faults = new Faults(options.faults ?? {});
  faults.start();
  try {
    for (let index = 1; index <= iterations; index++) {
      results.push(await runIteration(index, { points, batchSize, seed: seed + index - 1, sampleIntervalMs, faults, workload: options.workload }));
      options.onProgress?.(index, iterations);
    }
  } finally {
    faults.stop();
  }
  return {
    ...reportHeader(),
    kind: 'benchmark',
    config: { iterations, pointsPerIteration: points, batchSize, seed, workload: options.workload?.name ?? 'bms-onboarding', ...(faults.active ? { faults: faults.describe() } : {}) },
    summary: {
      processingTimeSec: stats(results.map((r) => r.processingTimeSec)),
      cpuTimeSec: stats(results.map((r) => r.cpuTimeSec ?? 0)),
      memoryUsageBytes: stats(results.map((r) => r.memoryUsageBytes)),
      processingRate: stats(results.map((r) => r.processingRate)),
      pointsProcessed: stats(results.map((r) => r.pointsProcessed)),
      peakRssBytes: stats(results.map((r) => r.peakRssBytes)),
      retainedAfterGcBytes: stats(results.map((r) => r.retainedAfterGcBytes)),
    },
    phases: summarizePhases(results),
    iterations: results,
  };
}

async function runIteration(index: number, o: { points: number; batchSize: number; seed: number; sampleIntervalMs: number; faults: Faults; workload: BenchmarkWorkload | undefined }): Promise<IterationResult> {
  forceGc();
  const startHeap = getHeapStatistics().used_heap_size;
  const profiler = new MemoryProfiler({ sampleIntervalMs: o.sampleIntervalMs, eventLoop: false, leak: false }).start();
  const gcPeaks = new GcPeaks().start();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  o.faults.onJobAccepted();
  const beforePhase = o.faults.active ? { beforePhase: (phase: OnboardingPhase) => { o.faults.beforePhase(phase); } } : {};
  let processed: number;
  try {
    processed = o.workload === undefined
      ? (await runOnboardingWorkload({ points: o.points, batchSize: o.batchSize, seed: o.seed, phases: profiler, ...beforePhase })).pointsReceived
      : await userIteration(o.workload, { iteration: index, size: o.points, seed: o.seed, phase: (name, fn) => profiler.phase(name, fn) });
  } catch (error) {
    gcPeaks.stop();
    profiler.stop();
    if (o.workload === undefined || error instanceof MemscopeError) throw error;
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `the workload ${o.workload.name} threw in iteration ${index}: ${errorMessage(error).split('\n')[0] ?? ''}`, { cause: error });
  }
  o.faults.onJobFinished();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const gc = gcPeaks.stop();
  profiler.checkMemory({ forceSample: true });
  profiler.stop();
  const phases = profiler.getPhaseStats();
  const peak = profiler.getPeak();
  const phasePeak = Math.max(0, ...phases.map((p) => p.peak?.heapUsed ?? 0));
  const peakHeap = Math.max(peak?.heapUsed.value ?? 0, phasePeak, gc.peak.heapUsed);
  forceGc();
  const retained = getHeapStatistics().used_heap_size - startHeap;
  return {
    index,
    processingTimeSec: seconds,
    cpuTimeSec: (cpu.user + cpu.system) / 1e6,
    memoryUsageBytes: Math.max(0, peakHeap - startHeap),
    pointsProcessed: processed,
    // Unrounded figures; the clock never reads 0 here, but a rate must never be Infinity.
    processingRate: processed / Math.max(seconds, 1e-9),
    peakRssBytes: peak?.rss.value ?? 0,
    peakHeapUsedBytes: peakHeap,
    retainedAfterGcBytes: retained,
    phases,
    phaseIntervals: profiler.getPhaseIntervals(),
    timeline: profiler.getMemoryTimeline(),
  };
}

/** One iteration of a user's workload, within its timeout; what it returned as items processed (nothing: 0). */
async function userIteration(workload: BenchmarkWorkload, ctx: WorkloadRunContext): Promise<number> {
  const timeout = workload.timeout ?? 300_000;
  let value: unknown;
  try {
    value = await withTimeout(() => workload.run(ctx), timeout, `iteration ${ctx.iteration} (its timeout: ${timeout} ms)`);
  } catch (error) {
    if (error instanceof UserCodeTimeout) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `the workload ${workload.name}: ${error.message}`);
    throw error;
  }
  if (value === undefined || value === null) return 0;
  // A rate is items over seconds: a count past 2^53 (or NaN, or a string) would make it Infinity or nonsense in the report.
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `the workload ${workload.name} returned ${describeValue(value)} in iteration ${ctx.iteration}: return the number of items it processed (a whole number from 0 to 2^53), or nothing`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'string') return `${JSON.stringify(value.slice(0, 40))} (a string)`;
  if (typeof value === 'number') return String(value);
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
}

function summarizePhases(results: readonly IterationResult[]): PhaseSummary[] {
  const names: string[] = [];
  for (const r of results) for (const p of r.phases) if (!names.includes(p.name)) names.push(p.name);
  return names.map((name) => {
    const per = results.map((r) => r.phases.find((p) => p.name === name)).filter((p) => p !== undefined);
    return {
      name,
      count: per.reduce((a, p) => a + p.count, 0) / Math.max(1, per.length),
      durationMs: stats(per.map((p) => p.duration.totalMs)),
      heapDeltaBytes: stats(per.map((p) => p.delta?.heapUsed ?? 0)),
      peakHeapUsedBytes: stats(per.map((p) => p.peak?.heapUsed ?? 0)),
    };
  });
}
