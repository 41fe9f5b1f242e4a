import { describe, expect, it } from 'vitest';
import { studentTail, welchPValue } from '../../src/report/welch.js';

describe('studentTail', () => {
  it("matches Student's t table values", () => {
    // One-sided critical values: P(T > t) for the given degrees of freedom.
    const table: Array<[number, number, number]> = [
      [12.7062, 1, 0.025],
      [6.96456, 2, 0.01],
      [2.77645, 4, 0.025],
      [1.81246, 10, 0.05],
      [3.16927, 10, 0.005],
      [2.32635, 1e7, 0.01],
    ];
    for (const [t, df, p] of table) expect(studentTail(t, df)).toBeCloseTo(p, 5);
  });

  it('is one half at 0 and falls to 0 for an infinite t', () => {
    expect(studentTail(0, 3)).toBe(0.5);
    expect(studentTail(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });
});

describe('welchPValue', () => {
  it('agrees with SciPy (ttest_ind, equal_var=False, one-sided)', () => {
    // a = [19.1, 20.3, 20.7, 20.9, 21.6], b = [21.9, 22.4, 22.5, 23.1, 24.0]: t = 4.128, df = 7.853, p = 0.0017223.
    expect(welchPValue({ mean: 20.52, sd: 0.9230384607371458, n: 5 }, { mean: 22.78, sd: 0.8043631020876089, n: 5 })).toBeCloseTo(0.0017223459, 8);
    // [4, 3, 5] against [16, 12, 20]: t = 5.041, df = 2.249, p = 0.0145226.
    expect(welchPValue({ mean: 4, sd: 1, n: 3 }, { mean: 16, sd: 4, n: 3 })).toBeCloseTo(0.0145225712, 8);
  });

  it('is the same whichever way the means moved', () => {
    const a = { mean: 10, sd: 1, n: 4 };
    const b = { mean: 12, sd: 2, n: 6 };
    expect(welchPValue(a, b)).toBe(welchPValue(b, a));
  });

  it('cannot judge fewer than two values a side, or an unknown spread', () => {
    expect(welchPValue({ mean: 1, sd: 0, n: 1 }, { mean: 2, sd: 0, n: 1 })).toBeNull();
    expect(welchPValue({ mean: 1, sd: null, n: 5 }, { mean: 2, sd: 1, n: 5 })).toBeNull();
    expect(welchPValue({ mean: Number.NaN, sd: 1, n: 5 }, { mean: 2, sd: 1, n: 5 })).toBeNull();
  });

  it('treats figures that repeat exactly as certain: any difference is shown, none is not', () => {
    expect(welchPValue({ mean: 5, sd: 0, n: 3 }, { mean: 6, sd: 0, n: 3 })).toBe(0);
    expect(welchPValue({ mean: 5, sd: 0, n: 3 }, { mean: 5, sd: 0, n: 3 })).toBe(1);
  });
});
