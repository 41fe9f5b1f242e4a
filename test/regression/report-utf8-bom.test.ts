// Issue [6/11] item 10: a valid report saved with a UTF-8 byte order mark (as some editors and Windows tools write
// it) was "not valid JSON (truncated?)". The reader now skips the mark, for JSON and text reports alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTextReport } from '../../src/report/text-report.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { CLI, runNode } from '../helpers/child.js';
import { realReport, scratch } from '../report/report-fixtures.js';

const tmp = scratch('bom');
afterAll(() => {
  tmp.remove();
});
let report: BenchmarkReport;
beforeAll(async () => {
  report = await realReport();
});

describe('reports with a UTF-8 byte order mark (regression)', () => {
  it('are read like any other', async () => {
    const json = tmp.file('bom.json', `\ufeff${JSON.stringify(report)}`);
    const text = tmp.file('bom.txt', `\ufeff${formatTextReport(report)}`);
    const run = await runNode([CLI, 'compare', json, text]).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^0 regression\(s\)/m);
  });
});
