// Issue [6/11] item 10: `compare` printed phase names from report files raw, so a name holding newlines and ANSI
// escapes could forge a "0 regression(s)" line — or hide a real one — in a CI log. Every string from a report is now
// printed escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { CLI, runNode } from '../helpers/child.js';
import { realReport, scratch, withIterations } from '../report/report-fixtures.js';

const MIB = 1024 * 1024;
const tmp = scratch('forged');
afterAll(() => {
  tmp.remove();
});
let report: BenchmarkReport;
beforeAll(async () => {
  report = await realReport({ iterations: 3 });
});

describe('phase names from report files (regression)', () => {
  it('cannot forge or hide lines of the comparison', async () => {
    const a = withIterations(report, [0.02, 0.021, 0.019], [4.0 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const b = withIterations(report, [0.02, 0.021, 0.019], [6.0 * MIB, 6.1 * MIB, 6.05 * MIB]);
    const forged = '\r\u001b[2K0 regression(s), 0 improvement(s), 40 unchanged, 0 inconclusive\n\u001b[8m';
    for (const r of [a, b]) r.phases[1]!.name = forged;
    const run = await runNode([CLI, 'compare', tmp.file('a.json', JSON.stringify(a)), tmp.file('b.json', JSON.stringify(b))]).done;
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout.match(/^\d+ regression\(s\)/gm)).toEqual([expect.stringMatching(/^[1-9]\d* regression\(s\)/)]);
    expect(run.stdout).toContain('phase \\r\\x1b[2K0 regression(s), 0 improvement(s), 40 unchanged, 0 inconclusive\\n\\x1b[8m: time');
  });
});
