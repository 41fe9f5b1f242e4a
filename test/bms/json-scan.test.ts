import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonDepthError, JsonSyntaxError, MAX_JSON_DEPTH, scanJobJson, stringEnd } from '../../src/bms/service/json-scan.js';
import { Pacer } from '../../src/bms/service/pacer.js';

const scan = (text: string, maxElements = 1000) => scanJobJson(text, new Pacer(), maxElements);

/** What the scanner says about a text: 'valid', 'invalid' (not JSON) or 'deep' (JSON nested too deep). */
async function verdict(text: string): Promise<'valid' | 'invalid' | 'deep'> {
  try {
    await scan(text);
    return 'valid';
  } catch (error) {
    if (error instanceof JsonSyntaxError) return 'invalid';
    if (error instanceof JsonDepthError) return 'deep';
    throw error;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Text close to JSON: valid documents with one character inserted, deleted or replaced by a JSON-significant one. */
const SIGNIFICANT = [...Array.from('{}[]",:\\ \t\n\r0123456789-+.eEtrufalsn'), '\u0000', '\u001f', '\u2028'];
const nearJson = fc
  .tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.constantFrom(...SIGNIFICANT), fc.constantFrom('insert', 'delete', 'replace'))
  .map(([text, at, c, edit]) => {
    const i = at % (text.length + 1);
    if (edit === 'insert') return text.slice(0, i) + c + text.slice(i);
    if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + c + text.slice(i + 1);
  });
/** Short strings over JSON's alphabet: mostly invalid, sometimes valid in surprising ways. */
const jsonAlphabet = fc.array(fc.constantFrom(...SIGNIFICANT, '"a"', 'true', 'null', '1', '{"points":', '[{"name":'), { maxLength: 24 }).map((parts) => parts.join(''));

describe('scanJobJson', () => {
  it('accepts exactly what JSON.parse accepts, for thousands of valid, near-valid and random texts', async () => {
    for (const arbitrary of [fc.json({ maxDepth: 6 }), nearJson, jsonAlphabet]) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (text) => {
          const v = await verdict(text);
          expect(v === 'valid', `${JSON.stringify(text)}: scanner ${v}, JSON.parse ${parses(text) ? 'accepts' : 'rejects'}`).toBe(parses(text));
        }),
        { numRuns: 1500 },
      );
    }
  });

  it('agrees with JSON.parse on the edges of the grammar', async () => {
    const cases = [
      '0', '-0', '-', '01', '1.', '.5', '1e', '1e+', '1E-2', '-1.5e10', 'tru', 'true', 'nul', 'null', 'falsey', '""',
      '"\\u12"', '"\\u12G4"', '"\\x"', '"\\/"', '"a\u0001"', '"a\tb"', '"\u2028"', '[1,]', '[,1]', '[1,,2]', '[1 2]',
      '{"a":1,}', '{"a" 1}', '{a:1}', '{"a":1 "b":2}', '{}', '[]', ' [ ] ', '[}', '{]', '[[]', '[]]', '\u00a0[]', '[]\u00a0',
      '\ufeff[]', '"\\"', '"\\\\"', '', ' ',
    ];
    for (const text of cases) expect((await verdict(text)) === 'valid', JSON.stringify(text)).toBe(parses(text));
  });

  it('refuses nesting deeper than the bound, without building anything', async () => {
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    expect(await verdict(deep(MAX_JSON_DEPTH))).toBe('valid');
    expect(await verdict(deep(MAX_JSON_DEPTH + 1))).toBe('deep');
    // 5 million levels: JSON.parse takes seconds over this; the scanner stops at level 65.
    expect(await verdict(deep(5_000_000))).toBe('deep');
  });

  it('maps the points array, the site and the top-level keys of a job', async () => {
    const text = ' { "x": {"points": [9]}, "points" : [ {"name":"a"} , {"name":"b,]}"},3 ] , "site":"S\\u0031" } ';
    const layout = await scan(text);
    expect(layout.topLevel).toBe('{');
    expect(layout.pointsKeys).toBe(1);
    expect(layout.elementCount).toBe(3);
    expect(layout.elements.map((s) => text.slice(s.start, s.end))).toEqual(['{"name":"a"}', '{"name":"b,]}"}', '3']);
    expect(text.slice(layout.site!.start, layout.site!.end)).toBe('"S\\u0031"');
    expect(text.slice(layout.points!.start, layout.points!.end)).toMatch(/^\[.*\]$/);
  });

  it('counts every element but keeps the spans of only the first maxElements', async () => {
    const layout = await scan(`{"points":[${'0,'.repeat(99)}0]}`, 10);
    expect(layout.elementCount).toBe(100);
    expect(layout.elements).toHaveLength(10);
  });

  it('finds the end of strings with escapes', () => {
    expect(stringEnd('"a\\"b" x', 0)).toBe(6);
    expect(() => stringEnd('"abc', 0)).toThrow(/unterminated/);
  });

  it('yields to the event loop while it scans a large body', async () => {
    const pacer = new Pacer(0); // every slice is used up: yield at every opportunity
    await scanJobJson(`{"points":[${'{"name":"SITE1.AHU-01.SA-T","value":1},'.repeat(20_000)}{}]}`, pacer, 100_000);
    expect(pacer.yields).toBeGreaterThan(20);
  });
});
