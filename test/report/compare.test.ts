import { beforeAll, describe, expect, it } from 'vitest';
import { comparableReport, toComparable } from '../../src/report/comparable.js';
import { COMPARE_DEFAULTS, compareReports, type Difference } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-text.js';
import { parseTextReport } from '../../src/report/parse-text-report.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { formatTextReport } from '../../src/report/text-report.js';
import { realReport, withIterations } from './report-fixtures.js';

const MIB = 1024 * 1024;
let base: BenchmarkReport;
beforeAll(async () => {
  base = await realReport({ iterations: 3 });
});

const compare = (a: BenchmarkReport, b: BenchmarkReport, options = {}) => compareReports(comparableReport(a, 'a.json'), comparableReport(b, 'b.json'), options);
const find = (differences: Difference[], metric: string): Difference => {
  const d = differences.find((x) => x.metric === metric);
  if (d === undefined) throw new Error(`no ${metric}`);
  return d;
};

describe('compareReports', () => {
  it('reports no change between runs that differ only by noise the size measured on this machine', () => {
    // Iteration times of two real same-configuration runs (3 iterations, 500 points): the second is 40% slower on
    // average — a busy machine — its CPU time 20% more, and memory moves by a few percent.
    const a = withIterations(base, [0.0305, 0.0188, 0.0144], [4.21 * MIB, 3.85 * MIB, 3.8 * MIB], [0.024, 0.015, 0.012]);
    const b = withIterations(base, [0.0406, 0.0255, 0.0229], [4.18 * MIB, 3.83 * MIB, 3.79 * MIB], [0.028, 0.019, 0.014]);
    const c = compare(a, b);
    expect(c.regressions).toEqual([]);
    expect(c.counts.improvement).toBe(0);
    expect(find(c.differences, 'processing time').verdict).toBe('unchanged');
    expect(find(c.differences, 'CPU time').verdict).toBe('unchanged');
    expect(c.refused).toBe(false);
    expect(c.configDifferences).toEqual([]);
  });

  it('finds a clear memory regression, shown by the spread (Welch p < 0.01)', () => {
    const a = withIterations(base, [0.02, 0.02, 0.02], [4.0 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const b = withIterations(base, [0.02, 0.02, 0.02], [6.0 * MIB, 6.1 * MIB, 6.05 * MIB]);
    const memory = find(compare(a, b).differences, 'memory usage');
    expect(memory).toMatchObject({ verdict: 'regression', reason: 'shown by the spread' });
    expect(memory.pValue).toBeLessThan(0.01);
    expect(memory.change).toBeCloseTo(0.494, 2);
    expect(find(compare(b, a).differences, 'memory usage').verdict).toBe('improvement');
  });

  it('calls a change beyond the tolerance that the spread does not show inconclusive', () => {
    const a = withIterations(base, [0.02, 0.02, 0.02], [4 * MIB, 6 * MIB, 5 * MIB]);
    const b = withIterations(base, [0.02, 0.02, 0.02], [7 * MIB, 4 * MIB, 8 * MIB]);
    expect(find(compare(a, b).differences, 'memory usage')).toMatchObject({ verdict: 'inconclusive', reason: 'not shown by the spread' });
  });

  it('holds time to its tolerance: twice as slow is within it by default, four times is a regression', () => {
    const a = withIterations(base, [0.1, 0.11, 0.09], [4 * MIB, 4 * MIB, 4 * MIB]);
    const twice = withIterations(base, [0.2, 0.21, 0.19], [4 * MIB, 4 * MIB, 4 * MIB]);
    const four = withIterations(base, [0.4, 0.41, 0.39], [4 * MIB, 4 * MIB, 4 * MIB]);
    expect(find(compare(a, twice).differences, 'CPU time')).toMatchObject({ verdict: 'unchanged', reason: 'within the tolerance', threshold: 1.5 });
    expect(find(compare(a, twice).differences, 'processing time')).toMatchObject({ verdict: 'unchanged', reason: 'as CPU time' });
    expect(find(compare(a, four).differences, 'CPU time').verdict).toBe('regression');
    expect(find(compare(a, four).differences, 'processing time').verdict).toBe('regression');
    // On a quiet machine a user lowers it, and twice as slow counts.
    expect(find(compare(a, twice, { timeTolerance: 0.5 }).differences, 'processing time').verdict).toBe('regression');
    // Four times faster is as large a change as four times slower.
    expect(find(compare(four, a).differences, 'processing time').verdict).toBe('improvement');
  });

  it('does not count time the runs spent waiting for the CPU: a busy machine is not a regression', () => {
    const a = withIterations(base, [0.1, 0.11, 0.09], [4 * MIB, 4 * MIB, 4 * MIB]);
    // Five times the wall-clock time for the same CPU time: the run waited 0.4 s per iteration for the CPU.
    const busy = withIterations(base, [0.5, 0.51, 0.49], [4 * MIB, 4 * MIB, 4 * MIB], [0.1, 0.11, 0.09]);
    const c = compare(a, busy);
    expect(find(c.differences, 'CPU time')).toMatchObject({ verdict: 'unchanged', reason: 'the same' });
    expect(find(c.differences, 'processing time')).toMatchObject({ verdict: 'unchanged', reason: 'as CPU time' });
    const onboarding = find(c.differences, 'phase onboarding: time');
    expect(onboarding).toMatchObject({ verdict: 'unchanged', reason: 'explained by waiting for the CPU' });
    expect(onboarding.floor).toBeCloseTo(0.4, 6);
    expect(onboarding.change).toBeGreaterThan(3);
    expect(c.regressions).toEqual([]);
    // The same slowdown in CPU time is work, not waiting.
    const slower = withIterations(base, [0.5, 0.51, 0.49], [4 * MIB, 4 * MIB, 4 * MIB]);
    expect(find(compare(a, slower).differences, 'CPU time')).toMatchObject({ verdict: 'regression', reason: 'shown by the spread', kind: 'cpu' });
  });

  it('calls wall-clock changes inconclusive at most when a report has no CPU time to tell waiting from work', () => {
    const a = withIterations(base, [0.1, 0.11, 0.09], [4 * MIB, 4 * MIB, 4 * MIB]);
    const four = withIterations(base, [0.4, 0.41, 0.39], [4 * MIB, 4 * MIB, 4 * MIB]);
    delete four.summary.cpuTimeSec;
    const c = compare(a, four);
    expect(find(c.differences, 'processing time')).toMatchObject({ verdict: 'inconclusive', reason: 'no CPU time to tell waiting from work' });
    expect(c.differences.some((d) => d.metric === 'CPU time')).toBe(false);
  });

  it('gives processing rate the verdict of processing time, with the threshold in its own direction', () => {
    const a = withIterations(base, [0.1, 0.11, 0.09], [4 * MIB, 4 * MIB, 4 * MIB]);
    const four = withIterations(base, [0.4, 0.41, 0.39], [4 * MIB, 4 * MIB, 4 * MIB]);
    const rate = find(compare(a, four).differences, 'processing rate');
    expect(rate).toMatchObject({ verdict: 'regression', reason: 'as processing time', better: 'higher' });
    expect(rate.threshold).toBeCloseTo(-0.6, 6);
    expect(rate.change).toBeLessThan(-0.7);
  });

  it('never judges differences below the floors: a phase of a few milliseconds is noise until shown otherwise', () => {
    const a = withIterations(base, [0.02, 0.021, 0.019], [4 * MIB, 4 * MIB, 4 * MIB]);
    const b = structuredClone(a);
    const [pa, pb] = [a.phases.find((p) => p.name === 'normalize')!, b.phases.find((p) => p.name === 'normalize')!];
    pa.durationMs = { mean: 1, median: 1, stddev: 0.01, min: 1, max: 1 };
    pb.durationMs = { mean: 4, median: 4, stddev: 0.01, min: 4, max: 4 };
    expect(find(compare(a, b).differences, 'phase normalize: time')).toMatchObject({ verdict: 'unchanged', reason: 'below the floor', floor: COMPARE_DEFAULTS.timeFloorSec });
  });

  it('counts a phase slower only when the CPU time of the run is: time moving between phases is inconclusive', () => {
    const a = withIterations(base, [0.2, 0.21, 0.19], [4 * MIB, 4 * MIB, 4 * MIB]);
    const b = structuredClone(a);
    const [pa, pb] = [a.phases.find((p) => p.name === 'normalize')!, b.phases.find((p) => p.name === 'normalize')!];
    pa.durationMs = { mean: 10, median: 10, stddev: 0.5, min: 9.5, max: 10.5 };
    pb.durationMs = { mean: 40, median: 40, stddev: 0.5, min: 39.5, max: 40.5 };
    const moved = compare(a, b);
    expect(find(moved.differences, 'CPU time').verdict).toBe('unchanged');
    expect(find(moved.differences, 'phase normalize: time')).toMatchObject({ verdict: 'inconclusive', reason: "not in the run's CPU time" });
    expect(moved.regressions).toEqual([]);
    // The same phase, in a run whose CPU time grew fourfold: a regression, and the phase's row points at it.
    const slower = withIterations(base, [0.8, 0.81, 0.79], [4 * MIB, 4 * MIB, 4 * MIB], [0.8, 0.81, 0.79]);
    slower.phases.find((p) => p.name === 'normalize')!.durationMs = pb.durationMs;
    const c = compare(a, slower);
    expect(find(c.differences, 'CPU time').verdict).toBe('regression');
    expect(find(c.differences, 'phase normalize: time').verdict).toBe('regression');
    // A slow phase that waits for the CPU burns a varying amount of it: the run's CPU time beyond its tolerance but not
    // shown by its spread is enough, when the phase's own spread shows its change.
    const noisy = withIterations(base, [0.8, 0.2, 1.4], [4 * MIB, 4 * MIB, 4 * MIB], [0.8, 0.2, 1.4]);
    noisy.phases.find((p) => p.name === 'normalize')!.durationMs = pb.durationMs;
    const n = compare(a, noisy);
    expect(find(n.differences, 'CPU time').verdict).toBe('inconclusive');
    expect(find(n.differences, 'phase normalize: time').verdict).toBe('regression');
  });

  it('cannot judge a single iteration: beyond the tolerance, it is inconclusive', () => {
    const a = withIterations(base, [0.02], [4 * MIB]);
    const b = withIterations(base, [0.02], [8 * MIB]);
    expect(find(compare(a, b).differences, 'memory usage')).toMatchObject({ verdict: 'inconclusive', reason: 'no spread to judge by', pValue: null });
  });

  it('judges text reports as far as they hold spreads: phase memory is printed as means only', () => {
    const a = withIterations(base, [0.02, 0.02, 0.02], [4 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const b = structuredClone(a);
    for (const p of b.phases) p.heapDeltaBytes = { ...p.heapDeltaBytes, mean: p.heapDeltaBytes.mean + 8 * MIB };
    const fromText = (r: BenchmarkReport, path: string) => toComparable({ format: 'text', path, report: parseTextReport(formatTextReport(r), path) });
    const c = compareReports(fromText(a, 'a.txt'), fromText(b, 'b.txt'));
    expect(find(c.differences, 'phase classify: heap delta')).toMatchObject({ verdict: 'inconclusive', reason: 'no spread to judge by' });
    expect(find(c.differences, 'memory usage').verdict).toBe('unchanged');
    expect(c.configDifferences).toEqual([]);
  });

  it('lists phases only one run has instead of comparing them', () => {
    const b = structuredClone(base);
    b.phases = b.phases.filter((p) => p.name !== 'store');
    b.phases.push({ ...structuredClone(base.phases[0]!), name: 'cache' });
    const c = compare(base, b);
    expect(c.onlyInBaseline).toEqual(['store']);
    expect(c.onlyInCurrent).toEqual(['cache']);
    expect(c.differences.some((d) => d.phase === 'store' || d.phase === 'cache')).toBe(false);
  });

  it('rejects bad options with the field named', () => {
    expect(() => compare(base, base, { timeTolerance: -1 })).toThrow(/timeTolerance must be a number from 0 to 1000; got -1/);
    expect(() => compare(base, base, { significance: 2 })).toThrow(/significance must be a number/);
  });
});

describe('configuration differences', () => {
  it('refuses runs that did different work: points per iteration, batch size, workload', () => {
    const b = structuredClone(base);
    b.config.pointsPerIteration = 5000;
    b.config.batchSize = 500;
    const c = compare(base, b);
    expect(c.refused).toBe(true);
    expect(c.configDifferences.map((d) => [d.label, d.baseline, d.current, d.action])).toEqual([
      ['points per iteration', '100', '5000', 'refuse'],
      ['batch size', '50', '500', 'refuse'],
    ]);
  });

  it('flags, and does not refuse, a different Node.js, machine, seed, iterations or injected faults', () => {
    const b = withIterations(base, [0.02, 0.02, 0.02, 0.02, 0.02], [4 * MIB, 4 * MIB, 4 * MIB, 4 * MIB, 4 * MIB]);
    b.environment.node = '24.11.1';
    b.environment.cpuModel = 'Other CPU';
    b.config.seed = 7;
    b.config.faults = ['4 ms more in the classify phase of every job'];
    const c = compare(base, b);
    expect(c.refused).toBe(false);
    expect(c.configDifferences.map((d) => [d.label, d.action])).toEqual([
      ['iterations', 'flag'],
      ['seed', 'flag'],
      ['injected faults', 'flag'],
      ['Node.js', 'flag'],
      ['machine', 'flag'],
    ]);
    const header = formatComparison(c).slice(0, 10).join('\n');
    expect(header).toMatch(/flagged: Node\.js differs: .* → 24\.11\.1 \(a legitimate question \("did upgrading Node regress\?"\)/);
    expect(header).toMatch(/flagged: injected faults differs: none → 4 ms more in the classify phase/);
  });

  it("flags what a text report of the original format does not record, rather than refusing it", () => {
    const text = formatTextReport(base);
    const original = text.slice(0, text.indexOf('-'.repeat(80), text.indexOf('ITERATION DETAILS')));
    const old = toComparable({ format: 'text', path: 'old.txt', report: parseTextReport(original, 'old.txt') });
    const c = compareReports(old, comparableReport(base, 'new.json'));
    expect(c.refused).toBe(false);
    expect(c.configDifferences.map((d) => [d.label, d.action, d.why])).toEqual([
      ['workload', 'flag', 'not recorded in the baseline report, so not checked'],
      ['batch size', 'flag', 'not recorded in the baseline report, so not checked'],
    ]);
  });
});

describe('formatComparison', () => {
  it('prints names from report files escaped: a phase name cannot forge a line', () => {
    const a = structuredClone(base);
    const b = structuredClone(base);
    const evil = 'x\n\n0 regression(s), 0 improvement(s), 30 unchanged, 0 inconclusive\u001b[8m';
    for (const r of [a, b]) r.phases[1]!.name = evil;
    const lines = formatComparison(compare(a, b));
    expect(lines.filter((l) => l.startsWith('0 regression(s)'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('phase x\\n\\n0 regression(s), 0 improvement(s), 30 unchanged, 0 inconclusive\\x1b[8m: time');
    expect(lines.join('\n')).not.toContain('\u001b');
  });
});
