import { describe, expect, it } from 'vitest';
import { bridgeGaps, gridMinMax } from '../../../src/charts/data/grid.js';
import { rateOfChange } from '../../../src/charts/data/rate.js';
import { peakOf, seriesPoints } from '../../../src/charts/data/series-points.js';
import type { MemorySample } from '../../../src/index.js';
import { MIB, T0 } from '../helpers/fixtures.js';

const sample = (i: number, heapUsed: number, stepMs = 100): MemorySample => ({
  time: T0 + i * stepMs, rss: 0, heapUsed, heapTotal: 0, external: 0, arrayBuffers: 0, phase: null,
});

describe('seriesPoints', () => {
  it('returns samples as they are when they fit the columns, in time order', () => {
    const points = seriesPoints([sample(2, 3), sample(0, 1), sample(1, 2)], 'heapUsed', 10);
    expect(points.map((p) => [p.time - T0, p.min, p.max])).toEqual([[0, 1, 1], [100, 2, 2], [200, 3, 3]]);
  });

  it('reduces more samples than columns to min/max per column, keeping the peak', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => sample(i, i === 4321 ? 999 : i % 7));
    const points = seriesPoints(samples, 'heapUsed', 100);
    expect(points).toHaveLength(100);
    expect(peakOf(points)?.value).toBe(999);
    expect(Math.min(...points.map((p) => p.min))).toBe(0);
  });
});

describe('rateOfChange', () => {
  const options = { columns: 1000, minSamples: 20, minColumns: 24, step: 3 };

  it('measures a steady rise at its rate in bytes per second', () => {
    const samples = Array.from({ length: 100 }, (_, i) => sample(i, i * 0.2 * MIB));
    const rates = rateOfChange(samples, 'heapUsed', options);
    expect(rates.length).toBeGreaterThan(100);
    for (const r of rates) expect(r.rate).toBeCloseTo(2 * MIB, 0);
  });

  it('shows the trend under a GC sawtooth, not the sawtooth', () => {
    // 1 MiB/s of growth under a 2 s sawtooth of 8 MiB; each window holds at least 5 periods.
    const samples = Array.from({ length: 6000 }, (_, i) => sample(i, i * 0.1 * MIB + (i % 20) * 0.4 * MIB));
    const rates = rateOfChange(samples, 'heapUsed', { columns: 1000, minSamples: 100, minColumns: 24, step: 3 });
    expect(rates.length).toBeGreaterThan(200);
    for (const r of rates) expect(Math.abs(r.rate - MIB)).toBeLessThan(0.1 * MIB);
  });

  it('gives one estimate across a run too short for a window, and nothing for a single sample', () => {
    const rates = rateOfChange([sample(0, 0), sample(1, 0.1 * MIB), sample(2, 0.2 * MIB)], 'heapUsed', options);
    expect(rates.map((r) => r.time - T0)).toEqual([0, 200]);
    for (const r of rates) expect(r.rate).toBeCloseTo(MIB, 0);
    expect(rateOfChange([sample(0, 1)], 'heapUsed', options)).toEqual([]);
  });

  it('costs the same for twice the samples over the same columns (bounded by the columns)', () => {
    const run = (n: number) => rateOfChange(Array.from({ length: n }, (_, i) => sample(i, (i % 7) * MIB, 10_000 / n)), 'heapUsed', options).length;
    expect(run(20_000)).toBe(run(40_000));
    expect(run(40_000)).toBeLessThanOrEqual(options.columns / options.step + 1);
  });
});

describe('gridMinMax', () => {
  it('puts samples in the columns of the mapped time and leaves others NaN', () => {
    const g = gridMinMax([sample(0, 5), sample(1, 7), sample(9, 1)], 'heapUsed', (t) => t - T0, { x0: 0, x1: 1000, n: 10 });
    expect([...g.max]).toEqual([5, 7, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 1]);
  });

  it('spreads a folded sample over its span', () => {
    const s = { ...sample(5, 3), folded: { count: 3, startTime: T0 + 200, min: { rss: 0, heapUsed: 1, heapTotal: 0, external: 0, arrayBuffers: 0 }, max: { rss: 0, heapUsed: 9, heapTotal: 0, external: 0, arrayBuffers: 0 } } };
    const g = gridMinMax([s], 'heapUsed', (t) => t - T0, { x0: 0, x1: 1000, n: 10 });
    expect([...g.max].slice(2, 6)).toEqual([9, 9, 9, 9]);
    expect(g.min[3]).toBe(1);
  });
});

describe('bridgeGaps', () => {
  const grid = { x0: 0, x1: 600, n: 6 };
  const series = () => gridMinMax([sample(0, 0), sample(0.5, 10), sample(5, 4)], 'heapUsed', (t) => t - T0, grid);

  it('draws the straight line from the last reading before a gap to the first after, min = max', () => {
    const g = bridgeGaps(series(), grid);
    // Column 0 holds 0 then 10: the line leaves it at 10 (not a wedge from 0..10 down to 4).
    [8.8, 7.6, 6.4, 5.2].forEach((v, k) => {
      expect(g.min[k + 1]).toBeCloseTo(v, 9);
    });
    expect([...g.max].slice(1, 5)).toEqual([...g.min].slice(1, 5));
  });

  it('leaves the columns inside a gap between runs empty, so the line breaks there', () => {
    const g = bridgeGaps(series(), grid, [[210, 480]]);
    expect([...g.max].map((v) => Number.isNaN(v))).toEqual([false, false, true, true, true, false]);
  });
});
