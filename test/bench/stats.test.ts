import { describe, expect, it } from 'vitest';
import { formatRatio, median, medianInterval, quantile } from '../../bench/lib/stats.js';

describe('bench stats', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives the order-statistic 95 % interval of the median: 2nd and 9th of 10 values', () => {
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(medianInterval(values)).toEqual({ low: 2, high: 9, exact: true });
  });

  it('covers the true median at least 95 % of the time', () => {
    // Deterministic pseudo-random samples of a distribution whose median is 0.
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const ci = medianInterval(Array.from({ length: 10 }, next));
      if (ci.low <= 0 && ci.high >= 0) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.95);
  });

  it('says when too few rounds allow only the range', () => {
    expect(medianInterval([1, 2, 3])).toEqual({ low: 1, high: 3, exact: false });
    expect(formatRatio([1, 2, 3])).toBe('2.00 [1.00–3.00 (range)]');
    expect(formatRatio([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe('5.50 [2.00–9.00]');
  });

  it('reads quantiles by nearest rank', () => {
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
