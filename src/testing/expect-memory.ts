import { formatBytes, formatLimit, parseBytes } from '../internal/units.js';
import { MemscopeError, invalidOption } from '../internal/errors.js';
import { numberOption, intOption, objectOption, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
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

/** At least one limit is required (an expectation without one could never fail); unknown keys are rejected. */
export interface ExpectMemoryOptions {
  /**
   * Fail when the peak (JS heap + external, above the baseline) reaches this, e.g. '50 MB' or 52428800.
   * @default undefined (no peak limit; then retainedBelow is required)
   */
  peakBelow?: string | number;
  /**
   * Fail when what stays after a full GC (above the baseline) reaches this, e.g. '2 MB'.
   * @default undefined (no retained limit; then peakBelow is required)
   */
  retainedBelow?: string | number;
}

/**
 * Runs `fn` once and fails when its memory goes over the limits — in the spirit of pytest-memray's `limit_memory`:
 * `await expectMemory(() => importPoints(file), { peakBelow: '50 MB', retainedBelow: '2 MB' })`. Sizes take KB/MB/GB
 * (powers of 1000) and KiB/MiB/GiB (powers of 1024). What fn returns is not kept (and so not counted as retained).
 * Returns the measurement.
 */
export async function expectMemory(fn: () => unknown, options: ExpectMemoryOptions): Promise<MemoryMeasurement> {
  functionOption(fn);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, EXPECT_MEMORY_KEYS);
  const peakLimit = o.peakBelow === undefined ? undefined : sizeOption('peakBelow', o.peakBelow);
  const retainedLimit = o.retainedBelow === undefined ? undefined : sizeOption('retainedBelow', o.retainedBelow);
  if (peakLimit === undefined && retainedLimit === undefined) {
    // Without a limit the expectation cannot fail: a test that asserts nothing must not pass silently.
    throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', 'expectMemory needs a limit: peakBelow, retainedBelow or both');
  }
  // fn's return value is dropped before the final GC: what it returns and nobody keeps is not retained.
  const measurement = await measureMemoryDiscardingResult(fn);
  const failures: string[] = [];
  if (peakLimit !== undefined && measurement.peakBytes >= peakLimit) {
    failures.push(`peak memory ${formatBytes(measurement.peakBytes)} is not below ${formatLimit(options.peakBelow, peakLimit)}`);
  }
  if (retainedLimit !== undefined && measurement.retainedBytes >= retainedLimit) {
    failures.push(`memory retained after GC ${formatBytes(measurement.retainedBytes)} is not below ${formatLimit(options.retainedBelow, retainedLimit)}`);
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
  functionOption(fn);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, EXPECT_NO_LEAK_KEYS);
  const iterations = intOption('iterations', o.iterations, 20, 6, 100_000);
  const warmup = intOption('warmup', o.warmup, 3, 0, 100_000);
  const maxGrowth = sizeOption('maxGrowthPerIteration', o.maxGrowthPerIteration ?? '1 KiB');
  const significance = numberOption('significance', o.significance, 0.01, 1e-12, 0.5);
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

const EXPECT_MEMORY_KEYS = optionKeys<ExpectMemoryOptions>()(['peakBelow', 'retainedBelow']);
const EXPECT_NO_LEAK_KEYS = optionKeys<ExpectNoLeakOptions>()(['iterations', 'warmup', 'maxGrowthPerIteration', 'significance']);

function functionOption(fn: unknown): void {
  if (typeof fn !== 'function') throw invalidOption('fn', 'a function to measure', fn);
}

/** A size limit: a string such as '50 MB' or a number of bytes (parseBytes() checks both). */
function sizeOption(field: string, value: unknown): number {
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidOption(field, "a size such as '50 MB' or a number of bytes", value);
  return parseBytes(field, value);
}
