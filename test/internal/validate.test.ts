import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemscopeError } from '../../src/internal/errors.js';
import { closestKey, editDistance, objectOption, rejectUnknownKeys } from '../../src/internal/validate.js';

/** The error `fn` throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const KEY = fc.oneof(fc.constantFrom('port', 'host', 'path', 'peakBelow', 'sampleIntervalMs', '__proto__', 'constructor', ''), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 80 }));

describe('rejectUnknownKeys', () => {
  it('accepts objects holding only allowed keys, whatever their values', () => {
    expect(() => { rejectUnknownKeys({ port: undefined, host: 'x' }, ['port', 'host']); }).not.toThrow();
    expect(() => { rejectUnknownKeys({}, []); }).not.toThrow();
  });

  it('names the unknown key and the closest valid one by edit distance, case and separators ignored', () => {
    expect(thrown(() => { rejectUnknownKeys({ peakBellow: '1 MB' }, ['peakBelow', 'retainedBelow']); })).toMatchObject({
      code: 'MEMSCOPE_E_INVALID_OPTION',
      message: 'unknown option "peakBellow"; did you mean "peakBelow"?',
    });
    expect(thrown(() => { rejectUnknownKeys({ SAMPLE_INTERVAL_MS: 1 }, ['sampleIntervalMs']); })).toMatchObject({ message: 'unknown option "SAMPLE_INTERVAL_MS"; did you mean "sampleIntervalMs"?' });
    expect(thrown(() => { rejectUnknownKeys({ prot: 1 }, ['port', 'host'], 'server'); })).toMatchObject({ message: 'unknown option "server.prot"; did you mean "server.port"?' });
  });

  it('points a key given one level too high to where it belongs', () => {
    expect(thrown(() => { rejectUnknownKeys({ port: 1 }, ['serviceName'], '', { port: 'server.port' }); })).toMatchObject({ message: 'unknown option "port"; did you mean "server.port"?' });
    // A typo of a nested key is pointed there too.
    expect(thrown(() => { rejectUnknownKeys({ prot: 1 }, ['serviceName'], '', { port: 'server.port' }); })).toMatchObject({ message: 'unknown option "prot"; did you mean "server.port"?' });
  });

  it('lists the valid options when none is close, and counts further unknown keys', () => {
    const error = thrown(() => { rejectUnknownKeys({ zzzzzz: 1, b: 2, c: 3, d: 4, e: 5 }, ['port', 'host']); }) as MemscopeError;
    expect(error.message).toBe('unknown option "zzzzzz"; the options are port, host (and 4 more unknown: "b", "c", "d", …)');
  });

  it('does not treat prototype keys as hints or as allowed', () => {
    expect((thrown(() => { rejectUnknownKeys({ toString: 1 }, ['port']); }) as MemscopeError).message).toMatch(/^unknown option "toString"/);
    expect(closestKey('constructor', ['port'], {})).toBeUndefined();
  });

  it('turns an object whose keys cannot be listed into MEMSCOPE_E_INVALID_OPTION', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    const error = thrown(() => { rejectUnknownKeys(hostile, ['port'], 'server'); }) as MemscopeError;
    expect(error.code).toBe('MEMSCOPE_E_INVALID_OPTION');
    expect(error.message).toMatch(/^server must be a plain object/);
  });

  it('throws exactly when a key is not allowed, naming it (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(KEY, { maxLength: 8 }), fc.dictionary(KEY, fc.anything(), { maxKeys: 8 }), fc.constantFrom('', 'server', 'otlp'), (allowed, value, path) => {
        const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
        const error = thrown(() => { rejectUnknownKeys(value, allowed, path); });
        if (unknown.length === 0) {
          expect(error).toBeUndefined();
          return;
        }
        expect(error).toBeInstanceOf(MemscopeError);
        const message = (error as MemscopeError).message;
        expect((error as MemscopeError).code).toBe('MEMSCOPE_E_INVALID_OPTION');
        expect(message.startsWith('unknown option "')).toBe(true);
        // Bounded, however long or many the keys are.
        expect(message.length).toBeLessThan(400 + allowed.join(', ').length + (path.length + 5) * 9);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('editDistance', () => {
  it('counts edits, an adjacent transposition as one', () => {
    expect(editDistance('port', 'port')).toBe(0);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('peakbellow', 'peakbelow')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('is symmetric, zero only for equal strings, at most the longer length, and gives up at its bound (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (a, b, bound) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b, bound)).toBe(Math.min(d, bound));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('objectOption', () => {
  it('takes plain objects and undefined, and rejects everything else naming the field', () => {
    expect(objectOption('server', undefined)).toEqual({});
    const o = { port: 1 };
    expect(objectOption('server', o)).toBe(o);
    for (const bad of [null, [], 'x', 1, true, () => undefined]) {
      const error = thrown(() => objectOption('server', bad)) as MemscopeError;
      expect(error.code).toBe('MEMSCOPE_E_INVALID_OPTION');
      expect(error.message).toMatch(/^server must be an object/);
    }
  });
});
