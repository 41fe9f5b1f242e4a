// Issue [6/11] item 2: `compare` on a text report holding "Iteration 1:" and then 100,000 newlines took 30 s, 200 KB
// of blank lines 61-77 s, a 700 KB phases section 47-71 s: the reader's patterns spanned lines and backtracked over
// whitespace. Now one pass over the lines, each looked at once. Reproduced at a quarter of those sizes and at their
// full size: the work must grow like the input (about 8 times for 8 times the input; the old reader took 64 times).
import { beforeAll, describe, expect, it } from 'vitest';
import { MemscopeError } from '../../src/internal/errors.js';
import { parseTextReport } from '../../src/report/parse-text-report.js';
import { formatTextReport } from '../../src/report/text-report.js';
import { realReport, workRatio } from '../report/report-fixtures.js';

let head = '';
let beforePhases = '';
beforeAll(async () => {
  const text = formatTextReport(await realReport());
  head = text.slice(0, text.indexOf('Iteration 1:'));
  beforePhases = text.slice(0, text.indexOf('PHASES'));
});

function parse(text: string): void {
  try {
    parseTextReport(text, 'r.txt');
  } catch (error) {
    if (!(error instanceof MemscopeError)) throw error;
  }
}

describe('text report reading is linear (regression)', () => {
  it('"Iteration 1:" followed by 100,000 newlines', () => {
    const build = (n: number): string => `${head}Iteration 1:${'\n'.repeat(n)}`;
    expect(workRatio(parse, build(5_000), build(40_000))).toBeLessThan(24);
    expect(() => { parseTextReport(build(100_000), 'r.txt'); }).toThrow(/declares 2 iterations but details 0/);
  });

  it('200 KB of blank lines after an iteration header', () => {
    const build = (bytes: number): string => `${head}Iteration 1:\n${' \n'.repeat(bytes / 2)}`;
    expect(workRatio(parse, build(10_000), build(80_000))).toBeLessThan(24);
    expect(() => { parseTextReport(build(200_000), 'r.txt'); }).toThrow(MemscopeError);
  });

  it('a 700 KB phases section that never ends', () => {
    const build = (bytes: number): string => `${beforePhases}${'PHASES\n'.repeat(bytes / 7)}`;
    expect(workRatio(parse, build(35_000), build(280_000))).toBeLessThan(24);
    expect(parseTextReport(build(700_000), 'r.txt').phases).toEqual([]);
  });
});
