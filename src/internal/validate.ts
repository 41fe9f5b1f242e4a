import { invalidOption } from './errors.js';

/**
 * Option validation used at construction time. Each returns the value (or its default) so call sites stay one line:
 * `this.intervalMs = intOption('sampleIntervalMs', opts.sampleIntervalMs, 200, 10, 3_600_000)`.
 */
export function intOption(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidOption(field, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

export function numberOption(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalidOption(field, `a number from ${min} to ${max}`, v);
  }
  return v;
}

export function boolOption(field: string, value: unknown, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw invalidOption(field, 'true or false', v);
  return v;
}

export function stringOption(field: string, value: unknown, fallback: string, pattern?: RegExp): string {
  const v = value ?? fallback;
  if (typeof v !== 'string' || (pattern !== undefined && !pattern.test(v))) {
    throw invalidOption(field, pattern ? `a string matching ${pattern}` : 'a string', v);
  }
  return v;
}

export function oneOf<T extends string>(field: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  const v = value ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalidOption(field, `one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}
