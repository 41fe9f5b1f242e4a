import { describe, expect, it } from 'vitest';
import { formatBytes, formatLimit, parseByteRate, parseBytes, parsePercent } from '../../src/internal/units.js';
import { MemscopeError } from '../../src/internal/errors.js';

describe('parseBytes', () => {
  it('reads IEC and SI units with their standard meanings', () => {
    expect(parseBytes('size', '64KiB')).toBe(65536);
    expect(parseBytes('size', '50 MB')).toBe(50_000_000);
    expect(parseBytes('size', '1GiB')).toBe(1024 ** 3);
    expect(parseBytes('size', '1.5kb')).toBe(1500);
    expect(parseBytes('size', '123')).toBe(123);
    expect(parseBytes('size', 42)).toBe(42);
  });

  it('rejects unknown units with an error naming the field', () => {
    expect(() => parseBytes('--inject-leak', '5 parsecs')).toThrow(MemscopeError);
    expect(() => parseBytes('--inject-leak', '5 parsecs')).toThrow(/--inject-leak must be a size/);
    expect(() => parseBytes('size', '-1MB')).toThrow(/size must be/);
    expect(() => parseBytes('size', Number.NaN)).toThrow(/size must be/);
  });
});

describe('parseByteRate', () => {
  it('reads a size per second', () => {
    expect(parseByteRate('rate', '1MiB/s')).toBe(1024 * 1024);
    expect(parseByteRate('rate', '256KB/s')).toBe(256_000);
  });

  it('rejects a rate without /s', () => {
    expect(() => parseByteRate('--inject-leak', '1MiB')).toThrow(/--inject-leak must be a rate/);
  });
});

describe('parsePercent', () => {
  it('reads percentages into fractions', () => {
    expect(parsePercent('t', '10%')).toBeCloseTo(0.1);
    expect(parsePercent('t', '2.5')).toBeCloseTo(0.025);
  });

  it('rejects garbage', () => {
    expect(() => parsePercent('t', 'ten')).toThrow(/t must be a percentage/);
    expect(() => parsePercent('t', '%')).toThrow(/t must be a percentage/);
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MiB');
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
  });
});

describe('parseBytes on digits too many to be a number', () => {
  it('rejects a size or rate whose digits overflow to Infinity (it was accepted as an infinite leak rate)', () => {
    expect(() => parseBytes('--inject-spike', '9'.repeat(400))).toThrow(/--inject-spike must be a size/);
    expect(() => parseByteRate('--inject-leak', `${'9'.repeat(400)}KiB/s`)).toThrow(/--inject-leak must be a size/);
    expect(parseBytes('x', '9'.repeat(15))).toBe(999_999_999_999_999);
  });
});

describe('formatLimit', () => {
  it('prints a limit in IEC units, with the user\'s SI spelling beside it only when it differs', () => {
    expect(formatLimit('2 MB', 2_000_000)).toBe('1.91 MiB (2 MB)');
    expect(formatLimit('50 MiB', 50 * 2 ** 20)).toBe('50 MiB');
    expect(formatLimit('50MiB', 50 * 2 ** 20)).toBe('50MiB');
    expect(formatLimit('1 GB', 1e9)).toBe('953.67 MiB (1 GB)');
    expect(formatLimit(1024, 1024)).toBe('1.00 KiB');
    expect(formatLimit(undefined, 512)).toBe('512 B');
  });
});
