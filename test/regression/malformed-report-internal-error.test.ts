// Issue [6/11] item 10: reports that passed the top-level schema check but were malformed inside —
// `phases: [{"name":"x"}, null, 5]`, `summary: {}`, `null` timeline entries — crashed compare (and the picture
// commands, which share the reader) with exit 70, MEMSCOPE_E_INTERNAL. The reader now checks the whole structure and
// refuses them with exit 4, naming the JSON path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { CLI, runNode } from '../helpers/child.js';
import { realReport, scratch } from '../report/report-fixtures.js';

const tmp = scratch('malformed');
afterAll(() => {
  tmp.remove();
});
let good = '';
let report: BenchmarkReport;
beforeAll(async () => {
  report = await realReport();
  good = tmp.file('good.json', JSON.stringify(report));
});

describe('malformed reports (regression)', () => {
  it('exit 4 naming the JSON path, in compare and in plot', async () => {
    const edit = (name: string, change: (r: Record<string, unknown>) => void): string => {
      const r = structuredClone(report) as unknown as Record<string, unknown>;
      change(r);
      return tmp.file(name, JSON.stringify(r));
    };
    const cases: Array<[string, RegExp]> = [
      [edit('phases.json', (r) => { r.phases = [{ name: 'x' }, null, 5]; }), /phases\[0\]\.count: missing/],
      [edit('summary.json', (r) => { r.summary = {}; }), /summary\.processingTimeSec: missing/],
      [edit('timeline.json', (r) => { (r.iterations as Array<{ timeline: unknown[] }>)[0]!.timeline = [null, null]; }), /iterations\[0\]\.timeline\[0\]: expected an object, got null/],
    ];
    for (const [file, message] of cases) {
      for (const args of [['compare', good, file], ['plot', file, '--out', `${tmp.dir}/x.svg`]]) {
        const run = await runNode([CLI, ...args]).done;
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(4);
        expect(run.stderr).toMatch(/^memscope: MEMSCOPE_E_REPORT_CORRUPT: /);
        expect(run.stderr).toMatch(message);
      }
    }
  });
});
