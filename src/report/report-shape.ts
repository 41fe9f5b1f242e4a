import { arrayOf, boolean, both, finite, literal, nonNegative, nullable, object, recordOf, string, uniqueNames, type Check } from './json-shape.js';
import { LEAK_VERDICT } from './leak-shape.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './report-model.js';

/**
 * The JSON report (schema version 1) as the readers use it: every field that `compare`, `plot`, `report --html` or a
 * text rendering reads is checked here, all the way down, so that code after the reader can rely on the types in
 * report-model.ts — a malformed report is refused by the reader with the JSON path of the first thing wrong, never
 * met later as a TypeError. Fields the readers do not use are not checked, so adding optional fields stays compatible.
 */

const stats = object({ mean: finite, median: finite, stddev: nonNegative, min: finite, max: finite });

const phaseMemory = object({ rss: finite, heapUsed: finite, external: finite });

const phaseStats = object({
  name: string,
  count: nonNegative,
  active: nonNegative,
  parent: nullable(string),
  duration: object({ totalMs: finite, meanMs: finite, minMs: finite, maxMs: finite, lastMs: finite }),
  memoryAtStart: nullable(phaseMemory),
  memoryAtEnd: nullable(phaseMemory),
  delta: nullable(phaseMemory),
  meanDelta: nullable(phaseMemory),
  peak: nullable(phaseMemory),
  lastPeak: nullable(phaseMemory),
});

const phaseInterval = object({ name: string, start: finite, end: finite, depth: nonNegative });

const memoryFigures = { rss: finite, heapUsed: finite, heapTotal: finite, external: finite, arrayBuffers: finite };

const sample = object(
  { time: finite, ...memoryFigures, phase: nullable(string) },
  { folded: object({ count: nonNegative, startTime: finite, min: object(memoryFigures), max: object(memoryFigures) }) },
);

/** What every measured run has (an iteration, a memory test): its phases, their intervals and its timeline. */
const run = { phases: arrayOf(phaseStats), phaseIntervals: arrayOf(phaseInterval), timeline: arrayOf(sample) };

const header = {
  schema: literal(REPORT_SCHEMA),
  schemaVersion: literal(REPORT_SCHEMA_VERSION),
  generatedAt: string,
  tool: object({ name: string, version: string }),
  environment: object({
    node: string,
    v8: string,
    platform: string,
    arch: string,
    cpuModel: string,
    cpuCount: nonNegative,
    totalMemoryBytes: nonNegative,
    heapLimitBytes: nonNegative,
    containerLimitBytes: nullable(nonNegative),
  }),
  limits: object({ heapLimitBytes: nonNegative, containerLimitBytes: nullable(nonNegative) }),
};

const iteration = object(
  {
    index: finite,
    processingTimeSec: finite,
    memoryUsageBytes: finite,
    pointsProcessed: nonNegative,
    processingRate: finite,
    peakRssBytes: finite,
    peakHeapUsedBytes: finite,
    retainedAfterGcBytes: finite,
    ...run,
  },
  { cpuTimeSec: nonNegative },
);

const phaseSummary = object({ name: string, count: nonNegative, durationMs: stats, heapDeltaBytes: stats, peakHeapUsedBytes: stats });

export const BENCHMARK_REPORT: Check = object(
  {
    ...header,
    kind: literal('benchmark'),
    config: object(
      { iterations: nonNegative, pointsPerIteration: nonNegative, batchSize: nonNegative, seed: nonNegative, workload: string },
      { faults: arrayOf(string) },
    ),
    summary: object(
      { processingTimeSec: stats, memoryUsageBytes: stats, processingRate: stats, pointsProcessed: stats, peakRssBytes: stats, retainedAfterGcBytes: stats },
      { cpuTimeSec: stats },
    ),
    phases: both(arrayOf(phaseSummary), uniqueNames),
    // The runner never writes a benchmark without an iteration; every reader indexes the first one.
    iterations: arrayOf(iteration, { minItems: 1 }),
  },
  { leak: LEAK_VERDICT },
);

const assertion = object({ name: string, passed: boolean, actual: finite, limit: finite, unit: string, message: string });

const memoryTest = object(
  { name: string, description: string, passed: boolean, durationSec: finite, assertions: arrayOf(assertion), figures: recordOf(finite), ...run },
  { leak: LEAK_VERDICT },
);

export const MEMORY_TEST_REPORT: Check = object({
  ...header,
  kind: literal('memory-test'),
  config: object({ stress: boolean, injectLeak: nullable(string), tests: arrayOf(string) }, { files: arrayOf(string) }),
  passed: boolean,
  tests: arrayOf(memoryTest),
});
