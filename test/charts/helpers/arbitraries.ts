import fc from 'fast-check';
import type { MemorySample, PhaseInterval } from '../../../src/index.js';
import type { BenchmarkReport, MemoryTestReport } from '../../../src/report/report-model.js';
import { makeBenchmarkReport, makeMemoryTestReport, T0 } from './fixtures.js';

/**
 * Any number a JSON report can hold, in any figure: the ordinary, the extreme (1e308, -1e308, 2^64), Infinity (what
 * JSON.parse makes of 1e309), NaN and null (a missing reading), zero, and the negative. Each must give a picture, with
 * output bounded by the picture's size, not by the numbers.
 */
export const figure = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }) },
  { weight: 3, arbitrary: fc.constantFrom(1e308, -1e308, Infinity, -Infinity, Number.NaN, null, 0, -1, 2 ** 64, 2 ** 63, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53) },
  { weight: 1, arbitrary: fc.double() },
);

/** Times: ordinary offsets (in order or not, equal or not), huge spans, and impossible ones. */
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 600_000 }).map((ms) => T0 + ms) },
  { weight: 2, arbitrary: fc.constantFrom(T0, 0, -1e15, 8.64e15, 1e308, -1e308, Infinity, Number.NaN, null) },
  { weight: 1, arbitrary: fc.double() },
);

const sample = fc.record({ time, rss: figure, heapUsed: figure, heapTotal: figure, external: figure, arrayBuffers: figure, phase: fc.constantFrom(null, 'load', 'parse') }) as unknown as fc.Arbitrary<MemorySample>;

/** 0-length, one sample, all equal, or up to 80 of anything. */
const timeline = fc.oneof(
  fc.constant([] as MemorySample[]),
  sample.map((s) => [s]),
  fc.tuple(sample, fc.integer({ min: 2, max: 50 })).map(([s, n]) => Array.from({ length: n }, (_, i) => ({ ...s, time: T0 + i * 100 }))),
  fc.array(sample, { maxLength: 80 }),
);

const phase = fc.record({ name: fc.constantFrom('load', 'parse', 'tokenize', '<b>&'), start: time, end: time, depth: fc.constantFrom(0, 1, 2, 5) }) as unknown as fc.Arbitrary<PhaseInterval>;
const run = fc.record({ timeline, phaseIntervals: fc.array(phase, { maxLength: 12 }) });
const limit = fc.oneof(figure, fc.constant(200 * 1024 * 1024));

const benchmark = fc.tuple(fc.array(run, { minLength: 1, maxLength: 3 }), limit, fc.option(fc.array(fc.record({ time, value: figure }), { maxLength: 20 }))).map(([runs, heapLimit, baseline]): BenchmarkReport => {
  const base = makeBenchmarkReport({ iterations: 1, n: 2 });
  const template = base.iterations[0]!;
  return {
    ...base,
    iterations: runs.map((r, i) => ({ ...template, index: i + 1, timeline: r.timeline, phaseIntervals: r.phaseIntervals })),
    limits: { heapLimitBytes: heapLimit as number, containerLimitBytes: null },
    ...(baseline === null ? {} : { leakBaselines: { heap: baseline as { time: number; value: number }[] } }),
  };
});

const memoryTests = fc.array(run, { minLength: 1, maxLength: 3 }).map((runs): MemoryTestReport => {
  const base = makeMemoryTestReport({ leak: true });
  const template = base.tests[1]!;
  return { ...base, tests: runs.map((r, i) => ({ ...template, name: `test-${i}`, timeline: r.timeline, phaseIntervals: r.phaseIntervals })) };
});

/** A benchmark or memory-test report of one to three runs, with anything in its figures. */
export const anyReport = fc.oneof(benchmark, memoryTests);
// Mostly ordinary sizes; the largest now and then (its cost is eight times the default's).
export const chartSize = fc.record({
  width: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 320, max: 1600 }) }, { weight: 1, arbitrary: fc.constant(8000) }),
  height: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 240, max: 1000 }) }, { weight: 1, arbitrary: fc.constant(8000) }),
});


/** JSON as a report file would hold it: Infinity written as 1e309 (which parses back to Infinity), NaN as null. */
export function reportJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v === Infinity ? '__INF__' : v === -Infinity ? '__-INF__' : v)).replace(/"__INF__"/g, '1e309').replace(/"__-INF__"/g, '-1e309');
}
