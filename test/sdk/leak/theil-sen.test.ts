import { describe, expect, it } from 'vitest';
import { medianInPlace, rSquared, theilSen, theilSenScratchSize } from '../../../src/sdk/leak/theil-sen.js';
import { prng } from './service-simulator.js';

describe('theilSen', () => {
  it('takes the median pairwise slope and the median intercept', () => {
    // Pair slopes 1, 2, 3, 3, 4, 5: median (3 + 3) / 2 = 3; y - 3x = 0, -2, -2, 0: median -1.
    expect(theilSen([0, 1, 2, 3], [0, 1, 4, 9])).toEqual({ slope: 3, intercept: -1 });
  });

  it('ignores a wild point that would drag least squares far off', () => {
    // Pair slopes: six 2s, then 24.75, 32.33, 47.5, 93; the median is 2 (scipy.stats.theilslopes agrees).
    const fit = theilSen([0, 1, 2, 3, 4], [1, 3, 5, 7, 100]);
    expect(fit.slope).toBe(2);
    expect(fit.intercept).toBe(1);
  });

  it('recovers a line through noise with a few gross outliers', () => {
    const rand = prng(42);
    const x = Array.from({ length: 60 }, (_, i) => i * 5);
    const y = x.map((xi) => 1000 + 250 * xi + (rand() - 0.5) * 200);
    y[10] = 1e9;
    y[30] = -1e9;
    y[50] = 5e8;
    const fit = theilSen(x, y);
    expect(fit.slope).toBeCloseTo(250, 0);
    expect(fit.intercept).toBeGreaterThan(900);
    expect(fit.intercept).toBeLessThan(1100);
  });

  it('skips pairs with equal x and handles degenerate inputs', () => {
    expect(theilSen([0, 0, 1], [0, 10, 2]).slope).toBe(-3); // the x = 0 pair is skipped: slopes 2 and -8 → -3
    expect(theilSen([5, 5, 5], [1, 2, 3])).toEqual({ slope: 0, intercept: 2 });
    expect(theilSen([7], [3])).toEqual({ slope: 0, intercept: 3 });
    expect(theilSen([], [])).toEqual({ slope: 0, intercept: 0 });
  });

  it('uses the scratch buffer it is given and leaves the inputs alone', () => {
    const x = new Float64Array([0, 1, 2, 3]);
    const y = new Float64Array([9, 4, 1, 0]);
    const scratch = new Float64Array(theilSenScratchSize(4)).fill(Number.NaN);
    expect(theilSen(x, y, scratch).slope).toBe(-3);
    expect(Array.from(y)).toEqual([9, 4, 1, 0]);
    expect(scratch.some(Number.isNaN)).toBe(false);
  });
});

describe('medianInPlace', () => {
  it('matches a sort on odd, even, tied and adversarially ordered input', () => {
    const rand = prng(7);
    const cases = [
      [3],
      [2, 1],
      [5, 5, 5, 5],
      Array.from({ length: 101 }, (_, i) => i),
      Array.from({ length: 100 }, (_, i) => 100 - i),
      Array.from({ length: 999 }, () => Math.floor(rand() * 10)),
      Array.from({ length: 1000 }, () => rand()),
    ];
    for (const values of cases) {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >>> 1;
      const expected = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      expect(medianInPlace(Float64Array.from(values))).toBe(expected);
    }
  });

  it('works on a prefix and is NaN on an empty range', () => {
    expect(medianInPlace(new Float64Array([4, 1, 3, 100, 100]), 3)).toBe(3);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});

describe('rSquared', () => {
  it('is 1 - SSres/SStot of the given line', () => {
    // Line 3x - 1: residuals 1, -1, -1, 1 → SSres 4; mean 3.5 → SStot 49.
    expect(rSquared([0, 1, 2, 3], [0, 1, 4, 9], 3, -1)).toBeCloseTo(45 / 49, 12);
    expect(rSquared([0, 1, 2], [1, 3, 5], 2, 1)).toBe(1);
  });

  it('goes negative for a line worse than the mean', () => {
    // Predictions 0, -1, -2 for 1, 2, 3: SSres 1 + 9 + 25 = 35, SStot 2.
    expect(rSquared([0, 1, 2], [1, 2, 3], -1, 0)).toBeCloseTo(1 - 35 / 2, 12);
  });

  it('defines the flat case: 1 when the line passes through every point, else 0', () => {
    expect(rSquared([0, 1, 2], [4, 4, 4], 0, 4)).toBe(1);
    expect(rSquared([0, 1, 2], [4, 4, 4], 1, 4)).toBe(0);
    expect(rSquared([], [], 1, 0)).toBeNaN();
  });
});
