import { getHeapStatistics } from 'node:v8';
import { invalidOption } from '../internal/errors.js';
import { intOption, objectOption, rejectUnknownKeys } from '../internal/validate.js';
import { forceGc } from '../sdk/gc/force-gc.js';
import { GcPeaks } from './gc-peaks.js';
import { retainedMemory } from './retained-heap.js';

/** What one run of a function cost in memory (JS heap + external memory, bytes). */
export interface MemoryMeasurement {
  /** heap + external after a full GC before the run. */
  baselineBytes: number;
  /** The highest heap + external seen during the run, above the baseline (garbage included until collected). */
  peakBytes: number;
  /**
   * heap + external after the run and a full GC, above the same figure before it: what the run left behind. The heap
   * part counts data only — compiled code, which the JIT adds while it tiers the function up, is left out (see
   * retainedMemory()).
   */
  retainedBytes: number;
  /** The same split: JS heap only. */
  peakHeapBytes: number;
  retainedHeapBytes: number;
  durationMs: number;
  gcCount: number;
}

function read(): { heap: number; external: number } {
  const h = getHeapStatistics();
  return { heap: h.used_heap_size, external: h.external_memory };
}

/**
 * Runs `fn` once and measures its memory: the baseline after a full GC, the peak during the run — from a fast
 * sampler (async code), from the heap V8 found before each GC (synchronous code) and at the boundaries — and what
 * stays after a final full GC. Full GCs work with or without --expose-gc (see forceGc()).
 */
export async function measureMemory<T>(fn: () => T | Promise<T>, options: { sampleIntervalMs?: number } = {}): Promise<{ result: T; measurement: MemoryMeasurement }> {
  const holder: { result?: T } = {};
  const measurement = await measure(fn, sampleInterval(fn, options), holder);
  return { result: holder.result as T, measurement };
}

/**
 * Measures `fn` like measureMemory() but drops its return value before the final GC, so what a function merely
 * returns (and the caller throws away) does not count as retained.
 */
export function measureMemoryDiscardingResult(fn: () => unknown, options: { sampleIntervalMs?: number } = {}): Promise<MemoryMeasurement> {
  return measure(fn, sampleInterval(fn, options), undefined);
}

/** Validates measureMemory()'s arguments: `sampleIntervalMs` (1 to 60000 ms, default 5) and nothing else. */
function sampleInterval(fn: unknown, options: unknown): number {
  if (typeof fn !== 'function') throw invalidOption('fn', 'a function to measure', fn);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, ['sampleIntervalMs']);
  return intOption('sampleIntervalMs', o.sampleIntervalMs, 5, 1, 60_000);
}

async function measure<T>(fn: () => T | Promise<T>, sampleIntervalMs: number, keep: { result?: T } | undefined): Promise<MemoryMeasurement> {
  forceGc();
  const kept = retainedMemory();
  const base = read();
  const baseline = base.heap + base.external;
  let peakCombined = baseline;
  let peakHeap = base.heap;
  const observe = (): void => {
    const m = read();
    peakCombined = Math.max(peakCombined, m.heap + m.external);
    peakHeap = Math.max(peakHeap, m.heap);
  };
  const timer = setInterval(observe, sampleIntervalMs);
  timer.unref();
  const gcPeaks = new GcPeaks().start();
  const t0 = performance.now();
  let gc: ReturnType<GcPeaks['stop']>;
  try {
    await run(fn, keep);
    observe();
  } finally {
    clearInterval(timer);
    gc = gcPeaks.stop();
  }
  const durationMs = performance.now() - t0;
  peakCombined = Math.max(peakCombined, gc.peakCombined);
  peakHeap = Math.max(peakHeap, gc.peak.heapUsed);
  forceGc();
  const after = retainedMemory();
  return {
    baselineBytes: baseline,
    peakBytes: peakCombined - baseline,
    retainedBytes: after.heap + after.external - kept.heap - kept.external,
    peakHeapBytes: peakHeap - base.heap,
    retainedHeapBytes: after.heap - kept.heap,
    durationMs,
    gcCount: gc.gcCount,
  };
}

/** Calls fn in a frame of its own, so that its return value is unreachable once dropped (not held by measure's frame). */
async function run<T>(fn: () => T | Promise<T>, keep: { result?: T } | undefined): Promise<void> {
  const result = await fn();
  if (keep !== undefined) keep.result = result;
}
