import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeJson } from '../../src/report/terminal-text.js';

// Anything a terminal acts on: C0 controls, DEL, C1 controls, line/paragraph separators, bidirectional controls.
// eslint-disable-next-line no-control-regex -- the characters under test
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('terminalSafe', () => {
  it('shows newlines, ANSI escapes and bidirectional overrides escaped', () => {
    expect(terminalSafe('parse\n0 regression(s)')).toBe('parse\\n0 regression(s)');
    expect(terminalSafe('\u001b[2K\r\u001b[32mok')).toBe('\\x1b[2K\\r\\x1b[32mok');
    expect(terminalSafe('a\u009b31mb')).toBe('a\\x9b31mb');
    expect(terminalSafe('x\u202eevil')).toBe('x\\u202eevil');
    expect(terminalSafe('tab\there')).toBe('tab\\there');
  });

  it('leaves ordinary text, Unicode included, as it is', () => {
    expect(terminalSafe('phase classify: heap delta — 3.95 MiB × 2 ✓ 東京')).toBe('phase classify: heap delta — 3.95 MiB × 2 ✓ 東京');
  });

  it('never lets an active character through, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(terminalSafe(s)).not.toMatch(ACTIVE);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('terminalSafeJson', () => {
  it('is JSON of the same value with no active character in it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 50 }), (value, name) => {
        const json = terminalSafeJson({ value, name });
        expect(json).not.toMatch(ACTIVE);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, name })));
      }),
      { numRuns: 2000 },
    );
  });
});
