import { getHeapStatistics } from 'node:v8';
import { invalidOption } from '../internal/errors.js';
import { intOption, objectOption, rejectUnknownKeys } from '../internal/validate.js';
import { forceGc } from '../sdk/gc/force-gc.js';
import { mannKendall } from '../sdk/leak/mann-kendall.js';
import { theilSen } from '../sdk/leak/theil-sen.js';

/** Memory after each run of a function (after a full GC), and its trend. */
export interface GrowthAnalysis {
  runs: number;
  series: Array<{ run: number; time: number; heapUsed: number; external: number }>;
  /** Theil–Sen slopes of the post-GC figures: bytes per run, and bytes per second of run time. */
  heapPerRun: number;
  externalPerRun: number;
  heapPerSecond: number;
  externalPerSecond: number;
  /** Mann–Kendall one-sided p-values for an increasing trend. */
  heapP: number;
  externalP: number;
  /** Last minus first post-GC figure (heap + external). */
  totalGrowthBytes: number;
}

/**
 * Runs `fn` `warmup` times unrecorded (caches, compiled code and lazy initialisation settle), then `iterations`
 * times with a full GC after each, and fits a robust trend (Theil–Sen slope, Mann–Kendall test) to what stays:
 * memory that survives full GCs and grows run after run is a leak.
 */
export async function measureGrowth(fn: () => unknown, options: { iterations: number; warmup: number }): Promise<GrowthAnalysis> {
  if (typeof fn !== 'function') throw invalidOption('fn', 'a function to measure', fn);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, ['iterations', 'warmup']);
  const iterations = requiredInt('iterations', o.iterations, 2, 100_000);
  const warmup = requiredInt('warmup', o.warmup, 0, 100_000);
  for (let i = 0; i < warmup; i++) await fn();
  const series: GrowthAnalysis['series'] = [];
  for (let run = 1; run <= iterations; run++) {
    await fn();
    forceGc();
    const h = getHeapStatistics();
    series.push({ run, time: performance.now() / 1000, heapUsed: h.used_heap_size, external: h.external_memory });
  }
  const runs = series.map((s) => s.run);
  const times = series.map((s) => s.time);
  const heap = series.map((s) => s.heapUsed);
  const external = series.map((s) => s.external);
  const first = series[0];
  const last = series.at(-1);
  return {
    runs: series.length,
    series,
    heapPerRun: theilSen(runs, heap).slope,
    externalPerRun: theilSen(runs, external).slope,
    heapPerSecond: theilSen(times, heap).slope,
    externalPerSecond: theilSen(times, external).slope,
    heapP: mannKendall(heap).pValue,
    externalP: mannKendall(external).pValue,
    totalGrowthBytes: first === undefined || last === undefined ? 0 : last.heapUsed + last.external - first.heapUsed - first.external,
  };
}

/** Both counts are required: a missing one would run nothing and fit a trend to no data. */
function requiredInt(field: string, value: unknown, min: number, max: number): number {
  if (value === undefined) throw invalidOption(field, `an integer from ${min} to ${max} (required)`, value);
  return intOption(field, value, min, min, max);
}
