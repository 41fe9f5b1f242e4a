// Issue [5/11] item 4: comparing a 500-point run with a 5000-point run reported 13 regressions and no word that the
// runs differed. Runs that did different work are now refused (exit 12) unless --force, which says what differs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { CLI, runNode } from '../helpers/child.js';
import { realReport, scratch } from '../report/report-fixtures.js';

const tmp = scratch('points');
afterAll(() => {
  tmp.remove();
});
let small: BenchmarkReport;
let large: BenchmarkReport;
beforeAll(async () => {
  small = await realReport({ iterations: 2, points: 500 });
  large = await realReport({ iterations: 2, points: 5000 });
});

describe('compare of runs of different points per iteration (regression)', () => {
  it('refuses them, naming the difference, and says it up front when forced', async () => {
    const [a, b] = [tmp.file('500.json', JSON.stringify(small)), tmp.file('5000.json', JSON.stringify(large))];
    const refused = await runNode([CLI, 'compare', a, b]).done;
    expect(refused.code).toBe(12);
    expect(refused.stderr).toMatch(/MEMSCOPE_E_NOT_COMPARABLE: .*points per iteration differs: 500 → 5000/);
    const forced = await runNode([CLI, 'compare', a, b, '--force']).done;
    expect(forced.code).toBe(0);
    expect(forced.stdout.split('\n').slice(0, 5).join('\n')).toMatch(/FORCED: {2}points per iteration differs: 500 → 5000/);
  });
});
