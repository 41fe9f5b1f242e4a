// Issue [5/11] item 4, found measuring it (npm run bench:compare): among every ordered pair of 20 runs of the same
// configuration (3 iterations × 5000 points), 4 of 380 had a phase's wall-clock time called a regression while the
// runs' CPU time was unchanged — a GC pause or a wait for the CPU lands in one phase in one run and in another in the
// next. Phases have no CPU time of their own: a phase's time now counts only in the direction the run's CPU time went.
import { beforeAll, describe, expect, it } from 'vitest';
import { comparableReport } from '../../src/report/comparable.js';
import { compareReports } from '../../src/report/compare.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { realReport, withIterations } from '../report/report-fixtures.js';

const MIB = 1024 * 1024;
let base: BenchmarkReport;
beforeAll(async () => {
  base = await realReport({ iterations: 3 });
});

describe('a phase whose time moved to it from another phase (regression)', () => {
  it('is not a regression when the run did no more work', () => {
    // The run's time and CPU time unchanged (and no wait for the CPU); 60 ms moved from classify to parse, consistently across iterations.
    const a = withIterations(base, [0.3, 0.31, 0.29], [4 * MIB, 4 * MIB, 4 * MIB]);
    const b = structuredClone(a);
    const phase = (r: BenchmarkReport, name: string) => r.phases.find((p) => p.name === name)!;
    phase(a, 'parse').durationMs = { mean: 20, median: 20, stddev: 2, min: 18, max: 22 };
    phase(b, 'parse').durationMs = { mean: 80, median: 80, stddev: 2, min: 78, max: 82 };
    phase(a, 'classify').durationMs = { mean: 100, median: 100, stddev: 2, min: 98, max: 102 };
    phase(b, 'classify').durationMs = { mean: 40, median: 40, stddev: 2, min: 38, max: 42 };
    const c = compareReports(comparableReport(a, 'a.json'), comparableReport(b, 'b.json'));
    expect(c.regressions).toEqual([]);
    expect(c.counts.improvement).toBe(0);
    expect(c.differences.find((d) => d.metric === 'phase parse: time')).toMatchObject({ verdict: 'inconclusive' });
  });
});
