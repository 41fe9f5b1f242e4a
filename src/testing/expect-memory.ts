import { formatBytes, parseBytes } from '../internal/units.js';
import { numberOption, intOption } from '../internal/validate.js';
import { measureGrowth, type GrowthAnalysis } from './growth.js';
import { measureMemoryDiscardingResult, type MemoryMeasurement } from './measure-memory.js';

/** Thrown when a memory expectation fails; test runners (node:test, vitest, jest) report it as a failure. */
export class MemoryExpectationError extends Error {
  constructor(
    message: string,
    readonly details: MemoryMeasurement | GrowthAnalysis,
  ) {
    super(message);
    this.name = 'MemoryExpectationError';
  }
}

export interface ExpectMemoryOptions {
  /** Fail when the peak (JS heap + external, above the baseline) reaches this, e.g. '50 MB' or 52428800. */
  peakBelow?: string | number;
  /** Fail when what stays after a full GC (above the baseline) reaches this, e.g. '2 MB'. */
  retainedBelow?: string | number;
}

/**
 * Runs `fn` once and fails when its memory goes over the limits — in the spirit of pytest-memray's `limit_memory`:
 * `await expectMemory(() => importPoints(file), { peakBelow: '50 MB', retainedBelow: '2 MB' })`. Sizes take KB/MB/GB
 * (powers of 1000) and KiB/MiB/GiB (powers of 1024). What fn returns is not kept (and so not counted as retained).
 * Returns the measurement.
 */
export async function expectMemory(fn: () => unknown, options: ExpectMemoryOptions): Promise<MemoryMeasurement> {
  const peakLimit = options.peakBelow === undefined ? undefined : parseBytes('peakBelow', options.peakBelow);
  const retainedLimit = options.retainedBelow === undefined ? undefined : parseBytes('retainedBelow', options.retainedBelow);
  // fn's return value is dropped before the final GC: what it returns and nobody keeps is not retained.
  const measurement = await measureMemoryDiscardingResult(fn);
  const failures: string[] = [];
  if (peakLimit !== undefined && measurement.peakBytes >= peakLimit) {
    failures.push(`peak memory ${formatBytes(measurement.peakBytes)} is not below ${String(options.peakBelow)} (${formatBytes(peakLimit)})`);
  }
  if (retainedLimit !== undefined && measurement.retainedBytes >= retainedLimit) {
    failures.push(`memory retained after GC ${formatBytes(measurement.retainedBytes)} is not below ${String(options.retainedBelow)} (${formatBytes(retainedLimit)})`);
  }
  if (failures.length > 0) throw new MemoryExpectationError(`expectMemory: ${failures.join('; ')}`, measurement);
  return measurement;
}

export interface ExpectNoLeakOptions {
  /** Recorded runs (at least 6: fewer can never show a significant trend). @default 20 */
  iterations?: number;
  /** Unrecorded runs first, so caches and compiled code settle. @default 3 */
  warmup?: number;
  /** Growth per run (JS heap or external, after a full GC) tolerated, e.g. '1 KiB'. @default '1 KiB' */
  maxGrowthPerIteration?: string | number;
  /** Mann–Kendall p-value at or below which a rising trend counts. @default 0.01 */
  significance?: number;
}

/**
 * Runs `fn` repeatedly with a full GC after each run and fails when what survives keeps growing — pytest-memray's
 * `limit_leaks`, by trend: `await expectNoLeak(() => handleRequest(), { iterations: 20 })`. The verdict is the SDK's
 * LeakDetector's on the post-GC figures of each run: a robust (Theil–Sen) slope above `maxGrowthPerIteration` that is
 * also a significant (Mann–Kendall), well-fitting and still-rising trend. The failure message is the verdict's
 * sentence, the same words `memscope test` prints.
 */
export async function expectNoLeak(fn: () => unknown, options: ExpectNoLeakOptions = {}): Promise<GrowthAnalysis> {
  const iterations = intOption('iterations', options.iterations, 20, 6, 100_000);
  const warmup = intOption('warmup', options.warmup, 3, 0, 100_000);
  const maxGrowth = parseBytes('maxGrowthPerIteration', options.maxGrowthPerIteration ?? '1 KiB');
  const significance = numberOption('significance', options.significance, 0.01, 1e-12, 0.5);
  const growth = await measureGrowth(fn, { iterations, warmup, minSlope: maxGrowth, per: 'run', significance });
  const v = growth.verdict;
  if (v.status === 'suspected') {
    throw new MemoryExpectationError(`expectNoLeak: ${v.summary}; limit ${formatBytes(maxGrowth)} per run`, growth);
  }
  if (v.status === 'inconclusive') {
    throw new MemoryExpectationError(`expectNoLeak: ${v.summary}: raise iterations`, growth);
  }
  return growth;
}
