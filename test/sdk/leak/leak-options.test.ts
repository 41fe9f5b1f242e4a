import { describe, expect, it } from 'vitest';
import { MemscopeError } from '../../../src/internal/errors.js';
import { LeakDetector, type LeakDetectorOptions } from '../../../src/sdk/leak/leak-detector.js';
import { resolveLeakOptions } from '../../../src/sdk/leak/leak-options.js';

const MIB = 1024 * 1024;

/** The error thrown by building a detector with `options`, or undefined. */
function thrown(options: LeakDetectorOptions, startTime?: number): unknown {
  try {
    new LeakDetector(options, startTime);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('resolveLeakOptions', () => {
  it('fills in the documented defaults: the minutes scale from the options, then the hour and six-hour scales', () => {
    expect(resolveLeakOptions()).toEqual({
      ignoreFirstMs: 20_000,
      warmUpMs: 60_000,
      maxPValue: 0.01,
      minRSquared: 0.5,
      minGrowthNoiseRatio: 4,
      kinds: ['heap', 'external', 'array_buffers', 'rss'],
      scales: [
        { name: '10m', bucketMs: 5000, windowMs: 600_000, capacity: 240, minSpanMs: 30_000, minPoints: 6, minSlopeBytesPerSec: 65_536, minGrowthBytes: 8 * MIB, warmUpMs: 60_000 },
        { name: '1h', bucketMs: 60_000, windowMs: 3_600_000, capacity: 64, minSpanMs: 1_200_000, minPoints: 10, minSlopeBytesPerSec: 8192, minGrowthBytes: 16 * MIB, warmUpMs: 1_200_000 },
        { name: '6h', bucketMs: 300_000, windowMs: 21_600_000, capacity: 76, minSpanMs: 7_200_000, minPoints: 12, minSlopeBytesPerSec: 2048, minGrowthBytes: 24 * MIB, warmUpMs: 3_600_000 },
      ],
    });
  });

  it('keeps 0 where 0 is allowed', () => {
    const o = resolveLeakOptions({ ignoreFirstMs: 0, warmUpMs: 0, minSpanMs: 0, minSlopeBytesPerSec: 0, minGrowthBytes: 0, minRSquared: 0, minGrowthNoiseRatio: 0 });
    const m = o.scales[0]!;
    expect([o.ignoreFirstMs, o.warmUpMs, m.minSpanMs, m.minSlopeBytesPerSec, m.minGrowthBytes, o.minRSquared, o.minGrowthNoiseRatio]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('drops the slow scales when asked, and those no longer than the minutes scale', () => {
    expect(resolveLeakOptions({ slowScales: false }).scales.map((s) => s.name)).toEqual(['10m']);
    expect(resolveLeakOptions({ windowMs: 2 * 3_600_000 }).scales.map((s) => s.name)).toEqual(['2h', '6h']);
  });
});

describe('LeakDetector options', () => {
  const bad: [keyof LeakDetectorOptions, unknown, RegExp][] = [
    ['warmUpMs', -1, /^warmUpMs must be an integer from 0 to 86400000; got -1$/],
    ['warmUpMs', 1.5, /^warmUpMs must be an integer/],
    ['windowMs', 999, /^windowMs must be an integer from 1000 to 604800000; got 999$/],
    ['minSpanMs', 700_000, /^minSpanMs must be an integer from 0 to 600000; got 700000$/],
    ['minPoints', 2, /^minPoints must be an integer from 3 to 240; got 2$/],
    ['minPoints', 300, /^minPoints must be an integer from 3 to 240/],
    ['bucketMs', 0, /^bucketMs must be an integer from 1 to 600000; got 0$/],
    ['maxPoints', 1001, /^maxPoints must be an integer from 4 to 1000; got 1001$/],
    ['minSlopeBytesPerSec', -1, /^minSlopeBytesPerSec must be a number from 0 to/],
    ['minSlopeBytesPerSec', Number.NaN, /^minSlopeBytesPerSec must be a number/],
    ['minGrowthBytes', Infinity, /^minGrowthBytes must be a number from 0 to/],
    ['maxPValue', 0, /^maxPValue must be a number from 1e-12 to 0\.5; got 0$/],
    ['maxPValue', 0.6, /^maxPValue must be a number/],
    ['minRSquared', 1.1, /^minRSquared must be a number from 0 to 1; got 1\.1$/],
    ['minRSquared', '0.5', /^minRSquared must be a number from 0 to 1; got "0\.5"$/],
    ['ignoreFirstMs', -5, /^ignoreFirstMs must be an integer from 0 to 86400000; got -5$/],
    ['minGrowthNoiseRatio', -1, /^minGrowthNoiseRatio must be a number from 0 to 100; got -1$/],
    ['slowScales', 'yes', /^slowScales must be true or false; got "yes"$/],
    ['kinds', [], /^kinds must be a non-empty list of heap, external, array_buffers, rss; got object$/],
    ['kinds', ['heap', 'swap'], /^kinds must be a non-empty list of/],
  ];

  it.each(bad)('rejects %s = %s with an error naming the field and the range', (field, value, message) => {
    const error = thrown({ [field]: value });
    expect(error).toBeInstanceOf(MemscopeError);
    expect((error as MemscopeError).code).toBe('MEMSCOPE_E_INVALID_OPTION');
    expect((error as MemscopeError).message).toMatch(message);
  });

  it('checks ranges that depend on other options against their resolved values', () => {
    expect((thrown({ windowMs: 60_000, minSpanMs: 60_001 }) as Error).message).toMatch(/^minSpanMs .* from 0 to 60000;/);
    expect((thrown({ maxPoints: 10, minPoints: 11 }) as Error).message).toMatch(/^minPoints .* from 3 to 10;/);
    expect((thrown({ windowMs: 60_000, bucketMs: 60_001 }) as Error).message).toMatch(/^bucketMs .* from 1 to 60000;/);
    expect(thrown({ windowMs: 60_000, minSpanMs: 60_000, maxPoints: 10, minPoints: 10 })).toBeUndefined();
  });

  it('rejects a start time that is not a finite number', () => {
    expect((thrown({}, Number.NaN) as Error).message).toMatch(/^startTime must be a finite time in epoch milliseconds; got NaN$/);
    expect(thrown({}, '2025' as unknown as number)).toBeInstanceOf(MemscopeError);
    expect(thrown({}, 0)).toBeUndefined();
  });
});
