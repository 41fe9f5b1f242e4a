import type { MemorySample, PhaseInterval } from '../../../src/index.js';
import type { BenchmarkReport, MemoryTestReport } from '../../../src/report/report-model.js';

export const MIB = 1024 * 1024;
export const T0 = 1_700_000_000_000;

export interface Fixture {
  samples: MemorySample[];
  phases: PhaseInterval[];
  /** The heap-used peak: where the chart must mark it. */
  peak: { time: number; value: number };
}

/**
 * A deterministic run of `n` samples, `stepMs` apart: four top-level phases (load, parse with a nested tokenize,
 * classify, write), heap used growing during parse with a GC sawtooth, one spike in classify (the peak), RSS above
 * heap total. No randomness, so every test sees the same data.
 */
export function makeRun(n = 600, stepMs = 100, start = T0, scale = 1): Fixture {
  const samples: MemorySample[] = [];
  const end = start + (n - 1) * stepMs;
  const at = (f: number): number => start + Math.round(f * (n - 1)) * stepMs;
  const phases: PhaseInterval[] = [
    { name: 'load', start: at(0), end: at(0.2), depth: 0 },
    { name: 'parse', start: at(0.2), end: at(0.5), depth: 0 },
    { name: 'tokenize', start: at(0.25), end: at(0.4), depth: 1 },
    { name: 'classify', start: at(0.5), end: at(0.8), depth: 0 },
    { name: 'write', start: at(0.8), end: end, depth: 0 },
  ];
  const spikeIndex = Math.round(0.65 * (n - 1));
  for (let i = 0; i < n; i++) {
    const time = start + i * stepMs;
    const f = i / (n - 1);
    const growth = f < 0.2 ? 0 : f < 0.5 ? (f - 0.2) * 100 * MIB : 30 * MIB;
    const saw = (i % 20) * 0.4 * MIB;
    const spike = i === spikeIndex ? 60 * MIB : 0;
    const heapUsed = Math.round((40 * MIB + growth + saw + spike) * scale);
    const heapTotal = Math.round((56 * MIB + growth * 1.1 + spike) * scale);
    const phase = [...phases].reverse().find((p) => p.start <= time && time <= p.end)?.name ?? null;
    samples.push({
      time,
      rss: heapTotal + 30 * MIB,
      heapUsed,
      heapTotal,
      external: Math.round((4 * MIB + f * 2 * MIB) * scale),
      arrayBuffers: Math.round(1 * MIB * scale),
      phase,
    });
  }
  const peakSample = samples[spikeIndex]!;
  return { samples, phases, peak: { time: peakSample.time, value: peakSample.heapUsed } };
}

const environment = {
  node: 'v20.20.2',
  v8: '11.3',
  platform: 'linux',
  arch: 'x64',
  cpuModel: 'Test CPU',
  cpuCount: 2,
  totalMemoryBytes: 24 * 1024 * MIB,
  heapLimitBytes: 4144 * MIB,
  containerLimitBytes: null,
};

const stats = (mean: number) => ({ mean, median: mean, stddev: mean * 0.05, min: mean * 0.9, max: mean * 1.1 });

/** A schema-v1 benchmark report of `iterations` runs (each from makeRun, one after another). */
export function makeBenchmarkReport(options: { iterations?: number; n?: number; scale?: number; containerLimitBytes?: number | null } = {}): BenchmarkReport {
  const iterations = options.iterations ?? 2;
  const n = options.n ?? 300;
  const runs = Array.from({ length: iterations }, (_, i) => makeRun(n, 100, T0 + i * n * 100 + i * 500, options.scale ?? 1));
  return {
    schema: 'memscope.report',
    schemaVersion: 1,
    kind: 'benchmark',
    generatedAt: '2026-01-02T03:04:05.000Z',
    tool: { name: 'memscope', version: '0.1.0' },
    environment,
    config: { iterations, pointsPerIteration: 500, batchSize: 100, seed: 42, workload: 'bms-onboarding' },
    summary: {
      processingTimeSec: stats(1.5 * (options.scale ?? 1)),
      memoryUsageBytes: stats(70 * MIB * (options.scale ?? 1)),
      processingRate: stats(333 / (options.scale ?? 1)),
      pointsProcessed: stats(500),
      peakRssBytes: stats(150 * MIB * (options.scale ?? 1)),
      retainedAfterGcBytes: stats(1 * MIB),
    },
    phases: ['load', 'parse', 'classify', 'write'].map((name, i) => ({
      name,
      durationMs: stats(100 * (i + 1)),
      heapDeltaBytes: stats((i + 1) * MIB * (options.scale ?? 1)),
      peakHeapUsedBytes: stats((60 + i * 10) * MIB),
      count: 1,
    })),
    iterations: runs.map((run, i) => ({
      index: i + 1,
      processingTimeSec: 1.5,
      memoryUsageBytes: 70 * MIB,
      pointsProcessed: 500,
      processingRate: 333,
      peakRssBytes: 150 * MIB,
      peakHeapUsedBytes: run.peak.value,
      retainedAfterGcBytes: MIB,
      phases: [],
      phaseIntervals: run.phases,
      timeline: run.samples,
    })),
    limits: { heapLimitBytes: environment.heapLimitBytes, containerLimitBytes: options.containerLimitBytes ?? null },
    leak: {
      status: 'suspected',
      suspected: true,
      slopeBytesPerSec: 524_288,
      confidence: 0.87,
      basis: 'heap',
      moreMs: null,
      summary: 'leak suspected in JS heap: +512.00 KiB/s over 10 min (p=1.0e-5, R²=0.91)',
      evidence: {
        heap: { ...EVIDENCE, status: 'suspected', points: 40, spanMs: 600_000, fromTime: T0, toTime: T0 + 600_000, slopeBytesPerSec: 524_288, recentSlopeBytesPerSec: 500_000, pValue: 1e-5, rSquared: 0.91, rising: true },
        external: { ...EVIDENCE, status: 'no-growth', points: 40, spanMs: 600_000, fromTime: T0, toTime: T0 + 600_000, slopeBytesPerSec: 10, pValue: 0.4, rSquared: 0.01 },
        array_buffers: { ...EVIDENCE, status: 'insufficient-data', points: 3, spanMs: 1000, fromTime: T0, toTime: T0 + 1000 },
        rss: { ...EVIDENCE, status: 'warming-up' },
      },
    },
  };
}

const EVIDENCE = { status: 'insufficient-data', scale: '10m', points: 0, spanMs: 0, fromTime: 0, toTime: 0, slopeBytesPerSec: 0, recentSlopeBytesPerSec: 0, pValue: 1, rSquared: 0, noiseBytes: 0, rising: false } as const;

/** The post-GC baseline of a makeRun timeline: the bottom of each GC sawtooth (every 20th sample). */
export function baselineOf(run: Fixture): { time: number; value: number }[] {
  return run.samples.filter((_, i) => i % 20 === 0).map((s) => ({ time: s.time, value: s.heapUsed }));
}

/**
 * A memory-test report with two tests, the second failing one assertion. With `leak`, the second carries the post-GC
 * baseline its leak verdict judged (`leakBaselines.heap`); `names` renames the tests.
 */
export function makeMemoryTestReport(options: { leak?: boolean; names?: [string, string]; heapLimitBytes?: number } = {}): MemoryTestReport {
  const first = makeRun(200, 100, T0);
  const second = makeRun(200, 100, T0 + 30_000, 1.3);
  const [nameA, nameB] = options.names ?? ['steady', 'burst'];
  const test = (name: string, run: Fixture, passed: boolean) => ({
    name,
    description: `${name} description`,
    passed,
    durationSec: 20,
    assertions: [
      { name: 'peak heap', passed, actual: run.peak.value, limit: 120 * MIB, unit: 'bytes' as const, message: passed ? 'ok' : 'peak heap above limit' },
    ],
    figures: { peakHeapUsedBytes: run.peak.value, retainedBytes: 2 * MIB },
    phases: [],
    phaseIntervals: run.phases,
    timeline: run.samples,
  });
  return {
    schema: 'memscope.report',
    schemaVersion: 1,
    kind: 'memory-test',
    generatedAt: '2026-01-02T03:04:05.000Z',
    tool: { name: 'memscope', version: '0.1.0' },
    environment,
    config: { stress: false, injectLeak: null, tests: [nameA, nameB] },
    passed: false,
    tests: [test(nameA, first, true), { ...test(nameB, second, false), ...(options.leak === true ? { leakBaselines: { heap: baselineOf(second) } } : {}) }],
    limits: { heapLimitBytes: options.heapLimitBytes ?? environment.heapLimitBytes, containerLimitBytes: 512 * MIB },
  };
}
