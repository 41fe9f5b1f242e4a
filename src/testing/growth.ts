import { invalidOption } from '../internal/errors.js';
import { intOption, numberOption, objectOption, oneOf, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import { forceGc } from '../sdk/gc/force-gc.js';
import type { BaselinePoint } from '../sdk/leak/baseline-series.js';
import { describeLeakVerdict } from '../sdk/leak/describe-verdict.js';
import { LeakDetector, type LeakDetectorOptions, type LeakVerdict } from '../sdk/leak/leak-detector.js';
import { mannKendall } from '../sdk/leak/mann-kendall.js';
import { theilSen } from '../sdk/leak/theil-sen.js';
import { retainedMemory } from './retained-heap.js';

/** Memory after each run of a function (after a full GC), its trend, and the leak verdict on it. */
export interface GrowthAnalysis {
  runs: number;
  /**
   * After each run and a full GC: `heapUsed` is the JS heap's data (old generation, large objects; compiled code and
   * the young generation left out, see retainedMemory()), `external` V8's external memory.
   */
  series: Array<{ run: number; time: number; heapUsed: number; external: number }>;
  /** Theil–Sen slopes of the post-GC figures: bytes per run, and bytes per second of run time. */
  heapPerRun: number;
  externalPerRun: number;
  heapPerSecond: number;
  externalPerSecond: number;
  /** Mann–Kendall one-sided p-values for an increasing trend. */
  heapP: number;
  externalP: number;
  /** Last minus first post-GC figure (heap + external). */
  totalGrowthBytes: number;
  /**
   * The leak verdict on these runs, from the same LeakDetector a service runs — fed with the post-GC figures of each
   * run as its baselines (see forcedGcLeakOptions), per run or per second as `per` said.
   */
  verdict: LeakVerdict;
  /** The baselines the verdict judged (time: epoch ms of each run's end; value: bytes). */
  baselines: { heap: BaselinePoint[]; external: BaselinePoint[] };
}

export interface MeasureGrowthOptions {
  /** Recorded runs (at least 6: fewer can never show a significant trend). */
  iterations: number;
  /** Unrecorded runs first, so caches, compiled code and lazy initialisation settle. */
  warmup: number;
  /**
   * The leak threshold: a slope of at least this many bytes per run (`per: 'run'`) or per second (`per: 'second'`)
   * that is also a significant, well-fitting, still-rising trend is a leak. @default 1024 per run
   */
  minSlope?: number;
  /** What the slope is per. @default 'run' */
  per?: 'run' | 'second';
  /** The Mann–Kendall p-value at or below which a rising trend counts. @default 0.01 */
  significance?: number;
  /**
   * Keep running past `iterations` (up to this many runs in all) while the verdict is inconclusive.
   * @default iterations
   */
  maxIterations?: number;
}

/**
 * The detector settings for baselines read after forced full GCs, where every point is exact: no warm-up (the
 * caller's warm-up runs did that), every point kept, no floors on span or growth and no noise guard — the slope, the
 * Mann–Kendall test, the fit and the recent half decide.
 */
export function forcedGcLeakOptions(minSlopePerSecond: number, maxPValue = 0.01): LeakDetectorOptions {
  return {
    ignoreFirstMs: 0,
    warmUpMs: 0,
    bucketMs: 1,
    windowMs: 7 * 86_400_000,
    maxPoints: 1000,
    minSpanMs: 0,
    minPoints: 6,
    minSlopeBytesPerSec: minSlopePerSecond,
    minGrowthBytes: 0,
    // Post-GC figures of forced GCs carry no work in flight: the noise guard would only add misses.
    minGrowthNoiseRatio: 0,
    maxPValue,
    slowScales: false,
    kinds: ['heap', 'external'],
  };
}

const GROWTH_OPTION_KEYS = optionKeys<MeasureGrowthOptions>()(['iterations', 'warmup', 'minSlope', 'per', 'significance', 'maxIterations']);

/** In per-run mode each run is one "second" on the detector's clock, so its slopes come out in bytes per run. */
const RUN_MS = 1000;

/**
 * Runs `fn` `warmup` times unrecorded, then `iterations` times with a full GC after each, and judges what stays:
 * memory that survives full GCs and grows run after run is a leak. The verdict comes from the SDK's LeakDetector, so
 * a memory test and a running service say the same thing in the same words.
 */
export async function measureGrowth(fn: () => unknown, options: MeasureGrowthOptions): Promise<GrowthAnalysis> {
  if (typeof fn !== 'function') throw invalidOption('fn', 'a function to measure', fn);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, GROWTH_OPTION_KEYS);
  const iterations = requiredInt('iterations', o.iterations, 6, 100_000);
  const warmup = requiredInt('warmup', o.warmup, 0, 100_000);
  const per = oneOf('per', o.per, 'run', ['run', 'second'] as const);
  const minSlope = numberOption('minSlope', o.minSlope, 1024, 0, 1e12);
  const significance = numberOption('significance', o.significance, 0.01, 1e-12, 0.5);
  const maxIterations = intOption('maxIterations', o.maxIterations, iterations, iterations, 1_000_000);
  const leakOptions = forcedGcLeakOptions(minSlope, significance);
  const epoch = (): number => performance.timeOrigin + performance.now();
  // The detector's clock: runs (one "second" each) or real time since the first recorded run started.
  let t0 = epoch();
  const clock = (run: number): number => (per === 'run' ? run * RUN_MS : epoch() - t0);
  // The harness warms up first: its recording steps run HARNESS_WARMUP times (without a GC) into a scratch
  // recording, and the warm-up runs of fn go through them too, so V8 has allocated their feedback and compiled them
  // before anything counts. Without this, the harness's own first-runs growth (~10 KiB per run of compiled code on
  // Node 24, ~1 KiB of feedback on both) was a false leak for a function that keeps nothing.
  const scratch = recording(leakOptions);
  for (let i = 1; i <= HARNESS_WARMUP; i++) record(scratch, i, false);
  // Node's own event-loop machinery too (timers, immediates, promise jobs): V8 compiles its functions to their next
  // tier after enough calls, and the metadata of that code lives in the old generation. A function that waits on a
  // timer calls them once per run, so without this they were still tiering up during the recorded runs — ~1 KiB per
  // run of Node's compiled-code metadata (heap-diff: "(compiled code)" held by the startup object cache), judged a
  // leak of a function that keeps nothing (measured: 400 ms timer runs, 10 runs, +1.4 KiB per run, "suspected").
  // Once per process: compiled, that code stays compiled (~0.3 s for the first leak check, none for the next ones).
  await warmEventLoop();
  for (let i = 1; i <= warmup; i++) {
    await fn();
    record(scratch, HARNESS_WARMUP + i, true);
  }
  const { detector, series, ends } = recording(leakOptions);
  t0 = epoch();
  let verdict = detector.verdict(0);
  for (let run = 1; run <= maxIterations; run++) {
    await fn();
    verdict = record({ detector, series, ends }, run, true);
    if (run >= iterations && verdict.status !== 'inconclusive') break;
  }
  const runs = series.map((s) => s.run);
  const times = series.map((s) => s.time);
  const heap = series.map((s) => s.heapUsed);
  const external = series.map((s) => s.external);
  const first = series[0];
  const last = series.at(-1);
  return {
    runs: series.length,
    series,
    heapPerRun: theilSen(runs, heap).slope,
    externalPerRun: theilSen(runs, external).slope,
    heapPerSecond: theilSen(times, heap).slope,
    externalPerSecond: theilSen(times, external).slope,
    heapP: mannKendall(heap).pValue,
    externalP: mannKendall(external).pValue,
    totalGrowthBytes: first === undefined || last === undefined ? 0 : last.heapUsed + last.external - first.heapUsed - first.external,
    verdict: per === 'run' ? Object.freeze({ ...verdict, summary: describeLeakVerdict(verdict, 'run') }) : verdict,
    baselines: { heap: toEpoch(detector.baseline('heap')), external: toEpoch(detector.baseline('external')) },
  };

  /** After a full GC (unless `gc` is false): what is retained, recorded and judged. */
  function record(into: Recording, run: number, gc: boolean): LeakVerdict {
    if (gc) forceGc();
    const { heap, external } = retainedMemory();
    const at = clock(run);
    into.series.push({ run, time: performance.now() / 1000, heapUsed: heap, external });
    into.ends.push(epoch());
    into.detector.recordGc(at, true, { heapUsed: heap, external });
    return into.detector.verdict(at + 1);
  }

  /** Baseline points on the wall clock, for reports and charts. */
  function toEpoch(points: BaselinePoint[]): BaselinePoint[] {
    return points.map((p) => ({ time: per === 'run' ? (ends[Math.round(p.time / RUN_MS) - 1] ?? t0) : t0 + p.time, value: p.value }));
  }
}

/** How often the recording steps run before the warm-up runs, so the harness itself is warm (they cost µs each). */
const HARNESS_WARMUP = 64;

/** Event-loop turns (a timer, an immediate, a promise job; ~1 ms each) before the warm-up runs. */
const EVENT_LOOP_WARMUP = 256;

let eventLoopWarm: Promise<void> | undefined;

function warmEventLoop(): Promise<void> {
  eventLoopWarm ??= (async () => {
    for (let i = 0; i < EVENT_LOOP_WARMUP; i++) await eventLoopTurn();
  })();
  return eventLoopWarm;
}

function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => { setImmediate(() => { queueMicrotask(resolve); }); }, 0);
  });
}

interface Recording {
  detector: LeakDetector;
  series: GrowthAnalysis['series'];
  /** Epoch ms at the end of each run. */
  ends: number[];
}

function recording(options: LeakDetectorOptions): Recording {
  return { detector: new LeakDetector(options, 0), series: [], ends: [] };
}

/** Both counts are required: a missing one would run nothing and fit a trend to no data. */
function requiredInt(field: string, value: unknown, min: number, max: number): number {
  if (value === undefined) throw invalidOption(field, `an integer from ${min} to ${max} (required)`, value);
  return intOption(field, value, min, min, max);
}
