import { invalidOption } from '../../internal/errors.js';
import { formatBytes, formatLimit, parseBytes } from '../../internal/units.js';
import { intOption, numberOption } from '../../internal/validate.js';
import type { ExpectNoLeakOptions } from '../expect-memory.js';
import { measureGrowth, type GrowthAnalysis } from '../growth.js';
import { measureMemoryDiscardingResult, type MemoryMeasurement } from '../measure-memory.js';

/** Options of `toLeak()` and of `memoryTest`'s leak check: those of expectNoLeak(), with the same defaults. */
export type LeakCheckOptions = ExpectNoLeakOptions;

/** Limits of `toStayBelow()` and of `memoryTest`: sizes such as '50 MiB' or a number of bytes. At least one. */
export interface StayBelowLimits {
  /** The peak (JS heap + external memory above the baseline after a full GC) must stay below this. */
  peak?: string | number;
  /** What stays after the run and a full GC (above the baseline) must stay below this. */
  retained?: string | number;
}

/** What a memory test checks: `peak`/`retained` limits (one run), a leak check (repeated runs), or both. */
export interface MemoryTestLimits extends StayBelowLimits {
  /** Also fail when the function leaks: `true` for expectNoLeak()'s defaults, or its options. @default false */
  noLeak?: boolean | LeakCheckOptions;
}

export interface LeakJudgement {
  status: 'suspected' | 'no-leak' | 'inconclusive';
  /** The verdict's own sentence (the words `memscope test` and `memscope run` print). */
  summary: string;
  /** The figures the verdict rests on, one line each, for a failure message. */
  evidence: string[];
  maxGrowthPerRun: number;
  growth: GrowthAnalysis;
}

export interface StayBelowJudgement {
  pass: boolean;
  /** One clause per limit reached, e.g. `peak 63.20 MiB is not below 50 MiB`. */
  failures: string[];
  /** One clause per limit kept. */
  kept: string[];
  evidence: string[];
  measurement: MemoryMeasurement;
}

/** Runs `fn` repeatedly with a full GC after each run and judges its growth, as expectNoLeak() does. */
export async function judgeLeak(fn: unknown, options: LeakCheckOptions = {}): Promise<LeakJudgement> {
  const body = functionUnderTest(fn);
  if (typeof options !== 'object' || (options as unknown) === null) throw invalidOption('options', 'an object of leak check options', options);
  const iterations = intOption('iterations', options.iterations, 20, 6, 100_000);
  const warmup = intOption('warmup', options.warmup, 3, 0, 100_000);
  const maxGrowthPerRun = parseBytes('maxGrowthPerIteration', options.maxGrowthPerIteration ?? '1 KiB');
  const significance = numberOption('significance', options.significance, 0.01, 1e-12, 0.5);
  const growth = await measureGrowth(body, { iterations, warmup, minSlope: maxGrowthPerRun, per: 'run', significance });
  const first = growth.series[0];
  const last = growth.series.at(-1);
  const p = (value: number): string => (value < 1e-3 ? value.toExponential(1) : value.toFixed(3));
  const evidence = [
    `${growth.runs} runs after ${warmup} warm-up run${warmup === 1 ? '' : 's'}, a full GC after each; growth tolerated: ${formatBytes(maxGrowthPerRun)} per run`,
    `JS heap after GC: ${formatBytes(first?.heapUsed ?? 0)} → ${formatBytes(last?.heapUsed ?? 0)}, ${signed(growth.heapPerRun)} per run (Theil–Sen), Mann–Kendall p=${p(growth.heapP)}`,
    `external memory after GC: ${formatBytes(first?.external ?? 0)} → ${formatBytes(last?.external ?? 0)}, ${signed(growth.externalPerRun)} per run, p=${p(growth.externalP)}`,
    `JS heap after the last runs: ${growth.series.slice(-5).map((s) => formatBytes(s.heapUsed)).join(', ')}`,
  ];
  return { status: growth.verdict.status, summary: growth.verdict.summary, evidence, maxGrowthPerRun, growth };
}

/** Runs `fn` once and holds its peak and retained memory against the limits, as expectMemory() does. */
export async function judgeStayBelow(fn: unknown, limits: StayBelowLimits): Promise<StayBelowJudgement> {
  const body = functionUnderTest(fn);
  if (typeof limits !== 'object' || (limits as unknown) === null || (limits.peak === undefined && limits.retained === undefined)) {
    throw invalidOption('limits', "an object with peak and/or retained, e.g. { peak: '50 MiB', retained: '2 MiB' }", limits);
  }
  const peakLimit = limits.peak === undefined ? undefined : parseBytes('peak', limits.peak);
  const retainedLimit = limits.retained === undefined ? undefined : parseBytes('retained', limits.retained);
  const m = await measureMemoryDiscardingResult(body);
  const failures: string[] = [];
  const kept: string[] = [];
  const hold = (what: string, value: number, limit: number | undefined, given: string | number | undefined): void => {
    if (limit === undefined) return;
    const named = formatLimit(given, limit);
    (value >= limit ? failures : kept).push(`${what} ${formatBytes(value)} is ${value >= limit ? 'not ' : ''}below ${named}`);
  };
  hold('peak', m.peakBytes, peakLimit, limits.peak);
  hold('retained', m.retainedBytes, retainedLimit, limits.retained);
  const evidence = [
    `peak (JS heap + external above the baseline): ${formatBytes(m.peakBytes)} (JS heap alone ${formatBytes(m.peakHeapBytes)})`,
    `retained after a full GC: ${formatBytes(m.retainedBytes)} (JS heap alone ${formatBytes(m.retainedHeapBytes)})`,
    `baseline ${formatBytes(m.baselineBytes)}; the run took ${m.durationMs.toFixed(1)} ms with ${m.gcCount} GC${m.gcCount === 1 ? '' : 's'}`,
  ];
  return { pass: failures.length === 0, failures, kept, evidence, measurement: m };
}

function functionUnderTest(fn: unknown): () => unknown {
  if (typeof fn !== 'function') throw invalidOption('the value under test', 'a function to run (expect(() => work()))', fn);
  return fn as () => unknown;
}

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;
}
