import { describe, expect, it } from 'vitest';
import { MemscopeError } from '../../../src/internal/errors.js';
import { MEMORY_FIELDS, type MemorySample } from '../../../src/sdk/types.js';
import { MemoryTimeline } from '../../../src/sdk/timeline/timeline.js';
import { downsampleMinMax } from '../../../src/sdk/timeline/downsample.js';

const T0 = 1_700_000_000_000;
const PHASES = ['warm-up', 'load', null] as const;

/** A deterministic sample: every field differs, values wander so min, max and last all differ inside a bucket. */
function sample(i: number, time = T0 + i * 200): MemorySample {
  const wobble = ((i * 7919) % 101) * 1000;
  return {
    time,
    rss: 100e6 + wobble,
    heapUsed: 50e6 + ((i * 104729) % 997) * 100,
    heapTotal: 60e6 + wobble / 2,
    external: 2e6 + (i % 13) * 10,
    arrayBuffers: 1e6 + (i % 7),
    phase: PHASES[i % PHASES.length] ?? null,
  };
}

function gcHeap(): { heapUsed: number; arrayBuffers: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it)');
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

describe('MemoryTimeline', () => {
  it('round-trips raw samples exactly while under capacity', () => {
    const timeline = new MemoryTimeline({ recentCapacity: 100 });
    const input = Array.from({ length: 100 }, (_, i) => sample(i));

    for (const s of input) timeline.push(s);

    expect(timeline.toArray()).toStrictEqual(input);
    expect(timeline.size).toBe(100);
    expect(timeline.totalSamples).toBe(100);
    expect(timeline.foldWidth).toBe(1);
  });

  it.each([
    { recentCapacity: 1, foldedCapacity: 2 },
    { recentCapacity: 4, foldedCapacity: 4 },
    { recentCapacity: 7, foldedCapacity: 5 },
    { recentCapacity: 50, foldedCapacity: 9 },
  ])('folds with exact min, max, last, count and span at %o', (options) => {
    const timeline = new MemoryTimeline(options);
    const input = Array.from({ length: 5000 }, (_, i) => sample(i));

    for (const s of input) timeline.push(s);
    const points = timeline.toArray();

    // Every input sample is accounted for exactly once, in order, with nothing missing between the tiers.
    let next = 0;
    for (const p of points) {
      const count = p.folded?.count ?? 1;
      const covered = input.slice(next, next + count);
      next += count;
      const last = covered.at(-1)!;
      expect(p.time).toBe(last.time);
      expect(p.phase).toBe(last.phase);
      for (const field of MEMORY_FIELDS) expect(p[field]).toBe(last[field]);
      if (p.folded) {
        expect(p.folded.startTime).toBe(covered[0]!.time);
        for (const field of MEMORY_FIELDS) {
          expect(p.folded.min[field]).toBe(Math.min(...covered.map((s) => s[field])));
          expect(p.folded.max[field]).toBe(Math.max(...covered.map((s) => s[field])));
        }
      }
    }
    expect(next).toBe(input.length);
    expect(points.filter((p) => !p.folded)).toHaveLength(options.recentCapacity);
    expect(timeline.size).toBeLessThanOrEqual(options.recentCapacity + options.foldedCapacity);
  });

  it('keeps complete folded buckets at one width after merging', () => {
    const timeline = new MemoryTimeline({ recentCapacity: 10, foldedCapacity: 8 });

    for (let i = 0; i < 1000; i++) timeline.push(sample(i));
    const folded = timeline.toArray().filter((p) => p.folded);

    const complete = folded.slice(0, -1).map((p) => p.folded!.count);
    expect(new Set(complete)).toStrictEqual(new Set([timeline.foldWidth]));
    expect(folded.at(-1)!.folded!.count).toBeLessThanOrEqual(timeline.foldWidth);
  });

  it('keeps an early spike as a bucket maximum and as the peak after 1,000,000 samples', () => {
    const timeline = new MemoryTimeline();
    const spikeIndex = 10;
    const spike = { ...sample(spikeIndex), heapUsed: 900e6, rss: 1e9 };
    const spikeTime = spike.time;

    for (let i = 0; i < 1_000_000; i++) timeline.push(i === spikeIndex ? spike : sample(i));
    const points = timeline.toArray();

    const holder = points.find((p) => p.folded && p.folded.startTime <= spikeTime && spikeTime <= p.time);
    expect(holder?.folded?.max.heapUsed).toBe(900e6);
    expect(holder?.folded?.max.rss).toBe(1e9);
    expect(timeline.peak()?.heapUsed).toStrictEqual({ value: 900e6, time: spikeTime });
    expect(timeline.peak()?.rss).toStrictEqual({ value: 1e9, time: spikeTime });
  });

  it('keeps the whole run visible in bounded points after 1,000,000 samples', () => {
    const timeline = new MemoryTimeline();

    for (let i = 0; i < 1_000_000; i++) timeline.push(sample(i));
    const points = timeline.toArray();

    expect(points[0]?.folded?.startTime).toBe(T0);
    expect(points.at(-1)?.time).toBe(T0 + 999_999 * 200);
    expect(points.reduce((n, p) => n + (p.folded?.count ?? 1), 0)).toBe(1_000_000);
    expect(timeline.size).toBe(points.length);
    expect(timeline.size).toBeLessThanOrEqual(3000 + 1000);
    expect(timeline.totalSamples).toBe(1_000_000);
  });

  it('holds its memory flat from 1,000 to 1,000,000 samples', () => {
    const timeline = new MemoryTimeline();
    // One mutable input object, so the measurement sees the timeline and not the test's own garbage.
    const input = sample(0);
    const pushUpTo = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        input.time = T0 + i * 200;
        input.heapUsed = 50e6 + (i % 997);
        input.phase = PHASES[i % PHASES.length] ?? null;
        timeline.push(input);
      }
    };

    pushUpTo(0, 1000);
    const before = gcHeap();
    pushUpTo(1000, 1_000_000);
    const after = gcHeap();

    expect(after.heapUsed - before.heapUsed).toBeLessThan(1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(1024 * 1024);
  });

  it('drops and counts out-of-order, non-finite and malformed samples without throwing', () => {
    const timeline = new MemoryTimeline();
    timeline.push(sample(0, 1000));

    const bad: unknown[] = [
      sample(1, 999),
      sample(2, Number.NaN),
      sample(3, Number.POSITIVE_INFINITY),
      { ...sample(4, 2000), rss: Number.NaN },
      { ...sample(5, 2000), heapUsed: Number.NEGATIVE_INFINITY },
      { ...sample(6, 2000), external: '5' },
      { time: 2000, phase: null },
      null,
      undefined,
      42,
    ];
    for (const b of bad) expect(() => { timeline.push(b as MemorySample); }).not.toThrow();
    timeline.push(sample(7, 1000));

    expect(timeline.droppedSamples).toBe(bad.length);
    expect(timeline.totalSamples).toBe(2);
    expect(timeline.toArray().map((p) => p.time)).toStrictEqual([1000, 1000]);
  });

  it('rejects bad options with a MemscopeError naming the field', () => {
    expect(() => new MemoryTimeline({ recentCapacity: 0 })).toThrow(MemscopeError);
    expect(() => new MemoryTimeline({ recentCapacity: 0 })).toThrow(/recentCapacity must be an integer from 1 to/);
    expect(() => new MemoryTimeline({ recentCapacity: 2.5 })).toThrow(/recentCapacity must be/);
    expect(() => new MemoryTimeline({ foldedCapacity: 1 })).toThrow(/foldedCapacity must be an integer from 2 to/);
    expect(() => new MemoryTimeline({ foldedCapacity: '10' as unknown as number })).toThrow(/foldedCapacity must be/);
    expect(new MemoryTimeline({}).recentCapacity).toBe(3000);
    expect(new MemoryTimeline().foldedCapacity).toBe(1000);
  });

  it('reports no peak before the first sample and the first time a plateau is reached', () => {
    const timeline = new MemoryTimeline();
    expect(timeline.peak()).toBeNull();

    timeline.push({ ...sample(0, 1000), heapUsed: 5 });
    timeline.push({ ...sample(1, 2000), heapUsed: 7 });
    timeline.push({ ...sample(2, 3000), heapUsed: 7 });

    expect(timeline.peak()?.heapUsed).toStrictEqual({ value: 7, time: 2000 });
  });

  it('returns the points overlapping a time range, folded spans included', () => {
    const timeline = new MemoryTimeline({ recentCapacity: 10, foldedCapacity: 4 });
    for (let i = 0; i < 100; i++) timeline.push(sample(i, i * 10));
    const all = timeline.toArray();
    const overlaps = (p: MemorySample, from: number, to: number): boolean =>
      (p.folded?.startTime ?? p.time) <= to && p.time >= from;

    const intervals = [[0, 0], [5, 5], [0, 990], [-50, 2000], [120, 480], [905, 935], [990, 990], [991, 2000]] as const;
    for (const [from, to] of intervals) {
      expect(timeline.range(from, to)).toStrictEqual(all.filter((p) => overlaps(p, from, to)));
    }
    expect(timeline.range(500, 400)).toStrictEqual([]);
    expect(timeline.range(Number.NaN, 400)).toStrictEqual([]);
  });

  it('forgets everything on clear and starts again at fold width 1', () => {
    const timeline = new MemoryTimeline({ recentCapacity: 5, foldedCapacity: 2 });
    for (let i = 0; i < 100; i++) timeline.push(sample(i));
    timeline.push(sample(0, 0));

    timeline.clear();
    timeline.push(sample(0, 0));

    expect(timeline.toArray()).toStrictEqual([sample(0, 0)]);
    expect(timeline.foldWidth).toBe(1);
    expect(timeline.droppedSamples).toBe(0);
    expect(timeline.totalSamples).toBe(1);
    expect(timeline.peak()?.rss.time).toBe(0);
  });
});

describe('downsampleMinMax', () => {
  it('keeps a one-point spike and dip among 1,000,000 points in 800 columns', () => {
    const points = Array.from({ length: 1_000_000 }, (_, i) => ({ ...sample(i), heapUsed: 50e6 }));
    points[123_456]!.heapUsed = 999e6;
    points[654_321]!.heapUsed = 1;

    const columns = downsampleMinMax(points, 800, 'heapUsed');

    expect(columns).toHaveLength(800);
    expect(Math.max(...columns.map((c) => c.max))).toBe(999e6);
    expect(Math.min(...columns.map((c) => c.min))).toBe(1);
    expect(columns.filter((c) => c.max === 999e6)).toHaveLength(1);
    expect(columns[0]!.time).toBe(T0);
  });

  it('spreads a folded point over every column its span overlaps', () => {
    const raw = (time: number, heapUsed: number): MemorySample => ({ ...sample(0, time), heapUsed });
    const wide: MemorySample = {
      ...raw(60, 20),
      folded: { count: 50, startTime: 10, min: { ...sample(0), heapUsed: 3 }, max: { ...sample(0), heapUsed: 90 } },
    };

    const columns = downsampleMinMax([raw(0, 10), wide, raw(100, 30)], 10, 'heapUsed');

    expect(columns.map((c) => [c.time, c.min, c.max])).toStrictEqual([
      [0, 10, 10], [10, 3, 90], [20, 3, 90], [30, 3, 90], [40, 3, 90], [50, 3, 90], [60, 3, 90], [90, 30, 30],
    ]);
  });

  it('keeps the extremes of a real timeline after folding', () => {
    const timeline = new MemoryTimeline({ recentCapacity: 100, foldedCapacity: 20 });
    for (let i = 0; i < 10_000; i++) timeline.push(i === 42 ? { ...sample(i), rss: 5e9 } : sample(i));

    const columns = downsampleMinMax(timeline.toArray(), 300, 'rss');

    expect(Math.max(...columns.map((c) => c.max))).toBe(5e9);
  });

  it('returns nothing for no points or no columns, and never throws', () => {
    expect(downsampleMinMax([], 100, 'rss')).toStrictEqual([]);
    expect(downsampleMinMax([sample(0)], 0, 'rss')).toStrictEqual([]);
    expect(downsampleMinMax([sample(0)], Number.NaN, 'rss')).toStrictEqual([]);
    expect(downsampleMinMax([sample(0), sample(1)], 1e12, 'rss').length).toBeLessThanOrEqual(2);
    expect(downsampleMinMax([{ ...sample(0), rss: Number.NaN }, sample(1)], 4, 'rss')).toStrictEqual([
      // Four 50 ms columns from T0 to T0 + 200: the one valid point lands in the last.
      { time: T0 + 150, min: sample(1).rss, max: sample(1).rss },
    ]);
  });
});
