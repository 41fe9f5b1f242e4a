import { describe, expect, it } from 'vitest';
import { MemscopeError } from '../../../src/internal/errors.js';
import { LeakDetector, type LeakDetectorOptions } from '../../../src/sdk/leak/leak-detector.js';
import { resolveLeakOptions } from '../../../src/sdk/leak/leak-options.js';

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
  it('fills in the documented defaults', () => {
    expect(resolveLeakOptions()).toEqual({
      warmUpMs: 20_000,
      windowMs: 600_000,
      minSpanMs: 30_000,
      minPoints: 6,
      bucketMs: 5000,
      maxPoints: 240,
      minSlopeBytesPerSec: 65_536,
      minGrowthBytes: 8 * 1024 * 1024,
      maxPValue: 0.01,
      minRSquared: 0.5,
    });
  });

  it('keeps 0 where 0 is allowed', () => {
    const o = resolveLeakOptions({ warmUpMs: 0, minSpanMs: 0, minSlopeBytesPerSec: 0, minGrowthBytes: 0, minRSquared: 0 });
    expect([o.warmUpMs, o.minSpanMs, o.minSlopeBytesPerSec, o.minGrowthBytes, o.minRSquared]).toEqual([0, 0, 0, 0, 0]);
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
