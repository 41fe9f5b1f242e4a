import { afterEach, describe, expect, it, vi } from 'vitest';
import { constants, type PerformanceEntry } from 'node:perf_hooks';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { GcWatcher, toGcEvent, type GcEvent } from '../../../src/sdk/gc/gc-watcher.js';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import { findMetric, histogramCount, pointValue, testMeterProvider } from '../../helpers/metrics.js';

function gcEntry(kind: number, duration: number): PerformanceEntry {
  return { name: 'gc', entryType: 'gc', startTime: 0, duration, detail: { kind, flags: 0 }, toJSON: () => ({}) } as unknown as PerformanceEntry;
}

let profiler: MemoryProfiler | undefined;
afterEach(() => profiler?.stop());

describe('GcWatcher', () => {
  it('maps every GC kind to the OpenTelemetry type name', () => {
    expect(toGcEvent(gcEntry(constants.NODE_PERFORMANCE_GC_MAJOR, 3))).toEqual({ type: 'major', durationMs: 3 });
    expect(toGcEvent(gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 1))?.type).toBe('minor');
    expect(toGcEvent(gcEntry(constants.NODE_PERFORMANCE_GC_INCREMENTAL, 1))?.type).toBe('incremental');
    expect(toGcEvent(gcEntry(constants.NODE_PERFORMANCE_GC_WEAKCB, 1))?.type).toBe('weakcb');
    expect(toGcEvent(gcEntry(999, 1))).toBeUndefined();
  });

  it('hands over every entry of a callback as one batch', () => {
    const batches: GcEvent[][] = [];
    const watcher = new GcWatcher((events) => batches.push(events));
    watcher.handle([
      gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 0.4),
      gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 0.6),
      gcEntry(constants.NODE_PERFORMANCE_GC_MAJOR, 12),
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(3);
  });

  it('never throws from the observer callback when the batch handler fails', () => {
    const watcher = new GcWatcher(() => {
      throw new Error('bug');
    });
    expect(() => { watcher.handle([gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 1)]); }).not.toThrow();
  });

  it('observes real collections and disconnects on stop', async () => {
    const seen: GcEvent[] = [];
    const watcher = new GcWatcher((events) => seen.push(...events));
    watcher.start();
    globalThis.gc?.();
    // Node enqueues the gc entry from an immediate after the collection; stop() then takes it even though the
    // observer's own callback has not run yet.
    await new Promise((resolve) => setImmediate(resolve));
    watcher.stop();
    expect(seen.some((e) => e.type === 'major')).toBe(true);
    const count = seen.length;
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    watcher.flush();
    expect(seen.length).toBe(count);
  });
});

describe('GC metrics', () => {
  it('puts a 1 ms pause in a bucket below 10 ms, with sub-millisecond resolution', async () => {
    const { provider, collect } = testMeterProvider();
    profiler = new MemoryProfiler({ meter: provider.getMeter('t'), eventLoop: false, gc: true });
    // Inject entries through the profiler's own watcher path.
    const watcher = (profiler as unknown as { gcWatcher: GcWatcher }).gcWatcher;
    watcher.handle([gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 1), gcEntry(constants.NODE_PERFORMANCE_GC_MINOR, 0.3)]);
    const rm = await collect();
    const metric = findMetric(rm, 'v8js.gc.duration');
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    if (metric?.dataPointType !== DataPointType.HISTOGRAM) return;
    const point = metric.dataPoints.find((p) => p.attributes['v8js.gc.type'] === 'minor')!;
    const { boundaries, counts } = point.value.buckets;
    const bucketOf = (seconds: number): number => boundaries.findIndex((b) => seconds <= b);
    expect(boundaries[bucketOf(0.001)]).toBeLessThan(0.01);
    expect(counts[bucketOf(0.001)]).toBe(1);
    expect(counts[bucketOf(0.0003)]).toBe(1);
    expect(bucketOf(0.0003)).not.toBe(bucketOf(0.001));
    await provider.shutdown();
  });

  it('records the post-GC baseline and GC counts from real collections', async () => {
    const { provider, collect } = testMeterProvider();
    profiler = new MemoryProfiler({ meter: provider.getMeter('t'), eventLoop: false }).start();
    expect(profiler.forceGc()).toBe(true);
    await vi.waitFor(() => {
      expect(profiler!.getGcStats().major.count).toBeGreaterThanOrEqual(1);
    });
    const baseline = profiler.getPostGcBaseline();
    expect(baseline.heap).toBeGreaterThan(0);
    expect(baseline.external).toBeGreaterThan(0);
    const rm = await collect();
    expect(pointValue(rm, 'memscope.memory.post_gc', { 'memscope.memory.type': 'heap' })).toBeGreaterThan(0);
    expect(histogramCount(rm, 'v8js.gc.duration', { 'v8js.gc.type': 'major' })).toBe(profiler.getGcStats().major.count);
    await provider.shutdown();
  });
});
