import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteTicks, formatElapsed, niceStep, timeTicks } from '../../../src/charts/scale/ticks.js';
import { num } from '../../../src/charts/svg/svg.js';

const MIB = 1024 * 1024;

describe('byteTicks', () => {
  it('steps in round multiples of one binary unit and covers the data', () => {
    const t = byteTicks(0, 180 * MIB, 8);
    expect(t.labels).toEqual(['0', '25 MiB', '50 MiB', '75 MiB', '100 MiB', '125 MiB', '150 MiB', '175 MiB', '200 MiB']);
    expect(t.domain).toEqual([0, 200 * MIB]);
  });

  it('prints decimals only when the step needs them', () => {
    expect(byteTicks(0, 3 * 1024 * MIB, 6).labels).toEqual(['0', '0.5 GiB', '1.0 GiB', '1.5 GiB', '2.0 GiB', '2.5 GiB', '3.0 GiB']);
  });

  it('signs a rate axis and keeps zero in it', () => {
    const t = byteTicks(-40 * MIB, 10 * MIB, 5, { suffix: '/s', signed: true });
    expect(t.labels).toContain('0');
    expect(t.labels).toContain('+10 MiB/s');
    expect(t.labels[0]).toBe('-40 MiB/s');
  });

  it('never steps below one byte and survives an empty range', () => {
    expect(byteTicks(0, 3, 10).values).toEqual([0, 1, 2, 3]);
    expect(byteTicks(0, 0, 5).domain[1]).toBeGreaterThan(0);
  });
});

describe('timeTicks', () => {
  it('uses seconds for short runs, m:ss for longer and h:mm for hours', () => {
    expect(timeTicks(60_000, 6).labels).toEqual(['0', '10', '20', '30', '40', '50', '60']);
    expect(timeTicks(600_000, 5).labels).toEqual(['0:00', '2:00', '4:00', '6:00', '8:00', '10:00']);
    expect(timeTicks(6 * 3_600_000, 6).unitLabel).toBe('h:mm');
    expect(timeTicks(1500, 4).labels).toEqual(['0.0', '0.5', '1.0', '1.5']);
  });

  it('formats elapsed times', () => {
    expect(formatElapsed(187_000, 'm:ss')).toBe('3:07');
    expect(formatElapsed(3_900_000, 'h:mm')).toBe('1:05');
  });
});

describe('niceStep', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.7, 1.1, 2.2, 3, 7, 40].map(niceStep)).toEqual([1, 2, 2.5, 5, 10, 50]);
  });
});

describe('num', () => {
  it('prints coordinates at 0.1 px, without negative zero, exponents or NaN', () => {
    expect([1.26, -0.01, 1e-9, 12345.678, Number.NaN].map(num)).toEqual(['1.3', '0', '0', '12345.7', '0']);
  });
});

describe('ticks under any numbers', () => {
  const anyNumber = fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 64, 0, -0));

  it('byteTicks gives at most maxTicks + 3 finite ticks with short labels, spanning the data it can', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, fc.integer({ min: 1, max: 400 }), (lo, hi, maxTicks) => {
        const t = byteTicks(lo, hi, maxTicks, { signed: true, suffix: '/s' });
        expect(t.values.length).toBeLessThanOrEqual(maxTicks + 3);
        expect(t.values.length).toBeGreaterThanOrEqual(2);
        expect(t.values.every(Number.isFinite) && t.domain.every(Number.isFinite)).toBe(true);
        expect(t.domain[1]).toBeGreaterThan(t.domain[0]);
        expect(Math.max(...t.labels.map((l) => l.length))).toBeLessThan(40);
        if (Number.isFinite(hi - lo) && hi > lo) {
          // A millionth of the axis, or what doubles can tell apart at this magnitude.
          const slack = Math.max((t.domain[1] - t.domain[0]) * 1e-6, Math.max(Math.abs(lo), Math.abs(hi)) * 1e-14);
          expect(t.domain[0]).toBeLessThanOrEqual(lo + slack);
          expect(t.domain[1]).toBeGreaterThanOrEqual(hi - slack);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('timeTicks gives at most maxTicks + 3 finite ticks for any span, in days past three', () => {
    fc.assert(
      fc.property(anyNumber, fc.integer({ min: 1, max: 400 }), (span, maxTicks) => {
        const t = timeTicks(span, maxTicks);
        expect(t.values.length).toBeLessThanOrEqual(maxTicks + 3);
        expect(t.values.every(Number.isFinite)).toBe(true);
        expect(Math.max(...t.labels.map((l) => l.length))).toBeLessThan(40);
      }),
      { numRuns: 3000 },
    );
    expect(timeTicks(14 * 86_400_000, 7).labels).toEqual(['0', '2', '4', '6', '8', '10', '12', '14']);
    expect(timeTicks(14 * 86_400_000, 7).unitLabel).toBe('days');
  });
});
