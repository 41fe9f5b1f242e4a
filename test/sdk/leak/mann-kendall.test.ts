import { describe, expect, it } from 'vitest';
import { erfc, mannKendall, normalUpperTail } from '../../../src/sdk/leak/mann-kendall.js';

describe('mannKendall', () => {
  it('computes S, the tie-corrected variance, z and p on a hand-worked series', () => {
    // y = 1 2 2 3 5 4. Signs of later minus earlier: from 1: +5; from the first 2: 0 +3; from the second 2: +3;
    // from 3: +2; from 5: -1. S = 12. Var = (6·5·17 - 2·1·9) / 18 = 492 / 18. z = 11 / √Var = 2.104003153109016.
    // p = 1 - Φ(z) = 0.017689085981426794 (mpmath, 30 digits).
    const r = mannKendall([1, 2, 2, 3, 5, 4]);
    expect(r.s).toBe(12);
    expect(r.variance).toBeCloseTo(492 / 18, 12);
    expect(r.z).toBeCloseTo(2.104003153109016, 12);
    expect(r.pValue).toBeCloseTo(0.017689085981426794, 8);
  });

  it('corrects the variance for a group of three ties and two groups of two', () => {
    // n = 9: 9·8·23 = 1656; ties t = 3 (66), t = 2 (18), t = 2 (18) → (1656 - 102) / 18.
    const r = mannKendall([5, 5, 5, 1, 1, 2, 3, 3, 9]);
    expect(r.variance).toBeCloseTo(1554 / 18, 12);
  });

  it('reaches p < 0.01 with six strictly rising points but not with five', () => {
    // n = 6: S = 15, Var = 510/18, z = 14/√Var = 2.630142, p = 0.0042674602; n = 5: S = 10, Var = 300/18,
    // z = 9/√Var = 2.204541, p = 0.0137431681 (mpmath).
    expect(mannKendall([1, 2, 3, 4, 5, 6]).pValue).toBeCloseTo(0.0042674602, 8);
    expect(mannKendall([1, 2, 3, 4, 5]).pValue).toBeCloseTo(0.0137431681, 8);
  });

  it('applies the continuity correction towards zero on both sides', () => {
    const down = mannKendall([6, 5, 4, 3, 2, 1]);
    expect(down.s).toBe(-15);
    expect(down.z).toBeCloseTo(-14 / Math.sqrt(510 / 18), 12);
    expect(down.pValue).toBeGreaterThan(0.99);
    expect(mannKendall([1, 3, 2]).z).toBe(0); // S = 1 → (S - 1) = 0
  });

  it('reports p = 1 when no test is possible', () => {
    expect(mannKendall([]).pValue).toBe(1);
    expect(mannKendall([3]).pValue).toBe(1);
    expect(mannKendall([3, 3, 3, 3])).toEqual({ s: 0, variance: 0, z: 0, pValue: 1 });
  });
});

describe('erfc and normalUpperTail', () => {
  it('agree with 30-digit references to better than 1.2e-7 relative error', () => {
    const erfcRef: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280347e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.842700792949715],
    ];
    for (const [x, ref] of erfcRef) expect(Math.abs(erfc(x) / ref - 1)).toBeLessThan(1.2e-7);
    const tailRef: [number, number][] = [
      [1.6448536269514722, 0.05],
      [2.3263478740408408, 0.01],
      [3.090232306167813, 0.001],
      [3.719016485455709, 0.0001],
      [5, 2.866515718791939e-7],
      [8, 6.220960574271784e-16],
    ];
    for (const [z, ref] of tailRef) expect(Math.abs(normalUpperTail(z) / ref - 1)).toBeLessThan(1.2e-7);
    expect(Math.abs(normalUpperTail(0) / 0.5 - 1)).toBeLessThan(1.2e-7);
  });
});
