import { describe, expect, it } from 'vitest';
import { phasesFromSamples, toChartInput } from '../../../src/charts/index.js';
import { makeBenchmarkReport, makeMemoryTestReport, makeRun, T0 } from '../helpers/fixtures.js';

describe('toChartInput', () => {
  it('joins every benchmark iteration into one timeline with the report limits', () => {
    const report = makeBenchmarkReport({ iterations: 3, n: 100 });
    const input = toChartInput(report);
    expect(input.samples).toHaveLength(300);
    expect(input.phases).toHaveLength(15);
    expect(input.limits).toEqual({ heapLimitBytes: report.limits.heapLimitBytes, containerLimitBytes: null });
  });

  it('selects one iteration, or one test', () => {
    const report = makeBenchmarkReport({ iterations: 3, n: 100 });
    expect(toChartInput(report, { iteration: 2 }).samples).toBe(report.iterations[1]!.timeline);
    expect(toChartInput(report, { iteration: 2 }).title).toContain('iteration 2 of 3');
    const tests = makeMemoryTestReport();
    expect(toChartInput(tests, { test: 'burst' }).samples).toBe(tests.tests[1]!.timeline);
    expect(toChartInput(tests).samples).toHaveLength(400);
  });

  it('names what exists when the selection names nothing', () => {
    expect(() => toChartInput(makeBenchmarkReport(), { iteration: 9 })).toThrow(/iteration must be an iteration from 1 to 2; got 9/);
    expect(() => toChartInput(makeMemoryTestReport(), { test: 'nope' })).toThrow(/test must be one of steady, burst; got "nope"/);
  });

  it('passes samples and inputs through', () => {
    const run = makeRun(10);
    expect(toChartInput(run.samples).samples).toBe(run.samples);
    const input = { samples: run.samples, title: 't' };
    expect(toChartInput(input)).toBe(input);
  });
});

describe('phasesFromSamples', () => {
  it('turns runs of the same phase into intervals that end where the next phase starts', () => {
    const s = (i: number, phase: string | null) => ({ time: T0 + i, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, phase });
    expect(phasesFromSamples([s(0, 'a'), s(1, 'a'), s(2, 'b'), s(3, null), s(4, 'a'), s(5, 'a')])).toEqual([
      { name: 'a', start: T0, end: T0 + 2, depth: 0 },
      { name: 'b', start: T0 + 2, end: T0 + 3, depth: 0 },
      { name: 'a', start: T0 + 4, end: T0 + 5, depth: 0 },
    ]);
  });
});
