import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/stress/runner/latency-histogram.js';

describe('LatencyHistogram', () => {
  it('gives percentiles within 1 % of the exact ones', () => {
    const h = new LatencyHistogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 1 + i * 0.37);
    for (const v of values) h.record(v);
    const exact = (p: number): number => values[Math.ceil(p * values.length) - 1]!;
    for (const p of [0.5, 0.95, 0.99]) {
      expect(Math.abs(h.percentile(p) - exact(p)) / exact(p)).toBeLessThanOrEqual(0.01);
    }
    expect(h.percentile(1)).toBe(h.maxMs);
    expect(h.count).toBe(values.length);
  });

  it('is 0 when empty and ignores values that are not durations', () => {
    const h = new LatencyHistogram();
    h.record(Number.NaN);
    h.record(-1);
    expect(h.count).toBe(0);
    expect(h.percentile(0.95)).toBe(0);
  });

  it('holds a fixed amount of memory however many durations it records', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) h.record(i % 200);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) h.record(i % 2000);
    // Nothing per value: a million recorded durations would be 8 MB as numbers.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 * 2 ** 20);
    expect(h.count).toBe(1_001_000);
  });
});
