import fc from 'fast-check';
import { expect } from 'vitest';
import { MemscopeError } from '../../src/internal/errors.js';

/**
 * Generated options objects for the property-based suites of the public options: for each key, values that are
 * valid and values that are not (wrong types, out of range, NaN, huge, hostile), mixed with mistyped and foreign keys.
 */
export interface KeySpec {
  /** Values the option accepts. */
  valid: fc.Arbitrary<unknown>;
  /** Values it must reject (besides anything fc.anything() happens to produce). */
  invalid?: fc.Arbitrary<unknown>;
}

const JUNK = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, -0, 1e308, 2 ** 53, '', ' ', '\u0000', null, Symbol('s'), () => undefined, [], new Date(Number.NaN)),
);

/** A key near a valid one: what a person types by mistake (a letter dropped, doubled or swapped, another case). */
export function typoOf(keys: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...keys), fc.nat(), fc.constantFrom('drop', 'double', 'swap', 'upper', 'snake')).map(([key, n, kind]) => {
    const i = n % Math.max(1, key.length);
    switch (kind) {
      case 'drop': return key.slice(0, i) + key.slice(i + 1);
      case 'double': return key.slice(0, i) + (key[i] ?? '') + key.slice(i);
      case 'swap': return i + 1 < key.length ? key.slice(0, i) + key[i + 1]! + key[i]! + key.slice(i + 2) : `${key}s`;
      case 'upper': return key.toUpperCase();
      default: return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + (key === key.toLowerCase() ? '_' : '');
    }
  }).filter((k) => !keys.includes(k));
}

/** Options objects: a subset of the valid keys with valid or invalid values, and sometimes unknown keys. */
export function optionsArbitrary(spec: Record<string, KeySpec>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(spec);
  const value = (key: string): fc.Arbitrary<unknown> => {
    const s = spec[key]!;
    return fc.oneof({ arbitrary: s.valid, weight: 4 }, { arbitrary: s.invalid ?? JUNK, weight: 1 }, { arbitrary: JUNK, weight: 1 });
  };
  const known = fc.record(Object.fromEntries(keys.map((k) => [k, value(k)])), { requiredKeys: [] });
  const unknown = fc.dictionary(fc.oneof(typoOf(keys), fc.string({ maxLength: 20 })).filter((k) => !keys.includes(k)), JUNK, { maxKeys: 2 });
  return fc.tuple(known, fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: unknown, weight: 1 })).map(([a, b]) => ({ ...a, ...b }));
}

/** Options objects with valid keys and valid values only: each must be accepted. */
export function validOptionsArbitrary(spec: Record<string, KeySpec>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.valid])), { requiredKeys: [] });
}

/**
 * The contract: constructing with `options` either succeeds or throws MEMSCOPE_E_INVALID_OPTION (or another of
 * `codes`, such as MEMSCOPE_E_LISTEN for a host that does not resolve) — never another error — and an object with an
 * unknown key is always refused with a message naming it.
 */
export async function expectContract<T>(
  options: Record<string, unknown>,
  allowed: readonly string[],
  make: () => T | Promise<T>,
  codes: readonly string[] = ['MEMSCOPE_E_INVALID_OPTION'],
): Promise<T | undefined> {
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  try {
    const made = await make();
    expect(unknown, 'an unknown key was accepted').toEqual([]);
    return made;
  } catch (error) {
    if (!(error instanceof MemscopeError)) throw error;
    expect(codes).toContain(error.code);
    expect(error.message.length).toBeLessThan(2000);
    if (unknown.length > 0) expect(error.message).toMatch(/^unknown option "/);
    return undefined;
  }
}

/** Integers around a range: inside it, at its edges and just outside. */
export function intAround(min: number, max: number): { valid: fc.Arbitrary<number>; invalid: fc.Arbitrary<unknown> } {
  return {
    valid: fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max })),
    invalid: fc.oneof(fc.constantFrom(min - 1, max + 1, min + 0.5, String(min)), fc.double({ noInteger: true })),
  };
}
