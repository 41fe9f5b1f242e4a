import type { Meter, TracerProvider } from '@opentelemetry/api';
import { boolOption, intOption, numberOption, objectOption, oneOf, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import { invalidOption } from '../internal/errors.js';
import type { LeakDetectorOptions } from './leak/leak-detector.js';
import type { HeapMeasurementOptions } from './gc/heap-measurement.js';
import type { HeapSnapshotOptions } from '../heap/capture/auto-heap-snapshots.js';
import { LEAK_OPTION_KEYS } from './leak/leak-options.js';
import type { MemorySources } from './probes/memory-probes.js';
import type { ContainerMemoryLimit } from './probes/container-memory.js';
import type { MemoryTimelineOptions } from './timeline/timeline.js';
import { PhaseMetricProducer } from './instruments/phase-metric-producer.js';
import type { PhaseContextMode } from './phases/phase-context.js';

export interface MemoryProfilerOptions {
  /**
   * Milliseconds between memory samples; the timer is unref()ed and never keeps the process alive.
   * @default 200
   */
  sampleIntervalMs?: number;
  /**
   * Record metrics on this Meter (from memscope's own MeterProvider, see startMemscope(), or from the service's
   * OpenTelemetry SDK). Without one the profiler records nothing outside the process.
   * @default undefined (no metrics)
   */
  meter?: Meter;
  /**
   * Distinct phase names kept as labels and statistics; the rest are recorded as `other`.
   * @default 100
   */
  maxPhaseNames?: number;
  /**
   * Longest phase name kept, in UTF-16 code units; a longer name is cut to this length (its last character replaced
   * by `…`) and counted as misuse `name_too_long`. Every series of a phase carries its name, so names of 64 KiB
   * would make each scrape hundreds of MiB.
   * @default 128
   */
  maxPhaseNameLength?: number;
  /**
   * Phases that may run at once; past it new phases are not tracked (a guard against phases never ended).
   * @default 10000
   */
  maxActivePhases?: number;
  /**
   * Read memory at every phase start and end: the heap figures fresh each time (v8.getHeapStatistics(), 0.2-0.3 us),
   * RSS at most once per `boundaryRssMaxAgeMs`. When false, boundaries use the latest sample and a phase reads no
   * probe at all. docs/benchmarks.md measures both.
   * @default true
   */
  phaseSnapshots?: boolean;
  /**
   * How phase() finds the phase it runs in, for nesting:
   * - `'async-local-storage'`: an AsyncLocalStorage (created at the first phase() call), so phases nest across
   *   `await` and concurrent flows stay apart. On Node 24 (AsyncContextFrame) it costs each phase() two context
   *   frames and awaits nothing; on Node 20 it makes every `await` in the process about 3x slower (~46 -> ~137 ns)
   *   once phase() has been used, while each phase() pays little.
   * - `'sync'`: only phases started synchronously inside fn nest under it; after an `await` a phase starts at the
   *   top level (or under the innermost open mark). No async context exists: nothing is added to any `await`.
   * Marks (markPhaseStart/markPhaseEnd) never create one. docs/benchmarks.md measures every mode on Node 20 and 24.
   * @default 'async-local-storage'
   */
  phaseContext?: PhaseContextMode;
  /**
   * Hand the phase series (duration histogram, running count, memory delta and peak) to OpenTelemetry at collection
   * time through this producer, instead of recording them on `meter`: add it to the `metricProducers` of your readers
   * and a phase costs no OpenTelemetry call at all. Without it, a phase records one histogram measurement on `meter`
   * and the rest is observed at collection. startMemscope() always uses one. docs/benchmarks.md measures both.
   * @default undefined (phase series on `meter`)
   */
  phaseMetrics?: PhaseMetricProducer;
  /**
   * At phase boundaries, RSS and the kernel's RSS high-water mark are re-read only when the previous boundary read
   * is older than this (heap figures are always fresh): tiny phases in a tight loop would otherwise cost more in
   * /proc reads than their work. 0 reads them at every boundary.
   * @default 1
   */
  boundaryRssMaxAgeMs?: number;
  /** Completed phase intervals kept for charts (the latest ones; statistics never depend on them). @default 10000 */
  maxPhaseIntervals?: number;
  /** Sizes of the in-memory timeline. @default { recentCapacity: 3000, foldedCapacity: 1000 } */
  timeline?: MemoryTimelineOptions;
  /** Leak detector settings, or false to turn it off. @default {} (the detector's defaults) */
  leak?: LeakDetectorOptions | false;
  /**
   * Keep the heap's leak baseline fed when V8 runs major GCs rarely (big default heaps, busy services): when no major
   * GC has run for a while and the heap has grown, ask V8 for a live-heap measurement (`vm.measureMemory()`, eager
   * execution: V8 starts an incremental marking at once — never a forced, stop-the-world GC), within a cost budget.
   * `false` turns it off: the verdict then waits for V8's own majors. Needs `gc` and the leak detector. docs/leak-detection.md says what it costs.
   * @default true ({ minIntervalMs: 10000, budgetBytesPerSec: 8388608 })
   */
  heapMeasurement?: boolean | HeapMeasurementOptions;
  /**
   * Write V8 heap snapshots when memory goes wrong (opt-in): a pair when the leak verdict turns to suspected or the
   * exhaustion forecast falls under `forecastHorizonMs` (and optionally at a share of the heap limit), one on a signal
   * (SIGUSR2) — within a rate limit, a disk budget, a retention count, and never when the snapshot itself could kill
   * the process; each pair is diffed in a separate process (`memscope heap-diff`). docs/heap-snapshots.md.
   * @default undefined (off)
   */
  heapSnapshots?: HeapSnapshotOptions;
  /**
   * Record the runtime instruments that OpenTelemetry's `@opentelemetry/instrumentation-runtime-node` records under
   * the same names: `v8js.memory.heap.used`, `v8js.memory.heap.space.size`, `.available_size`, `.physical_size`,
   * `v8js.gc.duration` and `nodejs.eventloop.delay.*` / `nodejs.eventloop.utilization`. Set it to false when that
   * instrumentation runs on the same MeterProvider: both would otherwise export each of these families (a second HELP
   * line, every heap space counted twice). memscope still watches GC and the heap for its own figures (post-GC
   * baseline, leak verdict, forecasts); only these instruments are left to runtime-node, and the event-loop monitor
   * (used only for them) is not started. docs/guides/existing-otel-sdk.md.
   * @default true
   */
  runtimeMetrics?: boolean;
  /** Watch garbage collections. @default true */
  gc?: boolean;
  /** Monitor event-loop delay and utilization (for metrics). @default true */
  eventLoop?: boolean;
  /** Resolution of the event-loop delay histogram, ms. @default 20 */
  eventLoopResolutionMs?: number;
  /** Record phases as spans on this provider. @default the globally registered tracer provider, if any */
  tracerProvider?: TracerProvider;
  /**
   * Interval samples reuse an ArrayBuffer reading at most this old (reading it costs a full process.memoryUsage()).
   * Forced samples and scrapes always read it fresh.
   * @default 1000
   */
  arrayBuffersMaxAgeMs?: number;
  /** How often the container memory limit is re-read (it can change at run time). @default 30000 */
  containerLimitRefreshMs?: number;
  /** @internal Memory sources, injected by tests. */
  sources?: MemorySources;
  /** @internal Container limit source, injected by tests. */
  containerLimit?: () => ContainerMemoryLimit;
}

export interface ResolvedProfilerOptions {
  sampleIntervalMs: number;
  maxPhaseNames: number;
  maxPhaseNameLength: number;
  maxActivePhases: number;
  maxPhaseIntervals: number;
  phaseSnapshots: boolean;
  phaseContext: PhaseContextMode;
  boundaryRssMaxAgeMs: number;
  runtimeMetrics: boolean;
  gc: boolean;
  eventLoop: boolean;
  eventLoopResolutionMs: number;
  arrayBuffersMaxAgeMs: number;
  containerLimitRefreshMs: number;
  heapMeasurement: Required<HeapMeasurementOptions> | false;
}

/** Every key of MemoryProfilerOptions (a key added to the interface and not here fails to compile). */
export const PROFILER_OPTION_KEYS = optionKeys<MemoryProfilerOptions>()([
  'sampleIntervalMs', 'meter', 'maxPhaseNames', 'maxPhaseNameLength', 'maxActivePhases', 'phaseSnapshots', 'phaseContext', 'phaseMetrics',
  'boundaryRssMaxAgeMs', 'maxPhaseIntervals', 'timeline', 'leak', 'heapMeasurement', 'heapSnapshots', 'runtimeMetrics', 'gc', 'eventLoop', 'eventLoopResolutionMs',
  'tracerProvider', 'arrayBuffersMaxAgeMs', 'containerLimitRefreshMs', 'sources', 'containerLimit',
]);

const TIMELINE_KEYS = optionKeys<MemoryTimelineOptions>()(['recentCapacity', 'foldedCapacity']);
const HEAP_MEASUREMENT_KEYS = optionKeys<HeapMeasurementOptions>()(['minIntervalMs', 'budgetBytesPerSec']);
const SOURCE_KEYS = optionKeys<MemorySources>()(['rss', 'heapStatistics', 'heapSpaceStatistics', 'memoryUsage', 'resourceUsage', 'close']);

/**
 * Keys of the nested options objects, by their full paths, so that a key given one level too high is pointed to
 * where it belongs (`recentCapacity` → `timeline.recentCapacity`). The leak keys come from the leak detector's own
 * defaults, so an option added there is hinted here without a second list.
 */
export function profilerNestedKeys(): Record<string, string> {
  const nested: Record<string, string> = {};
  for (const key of TIMELINE_KEYS) nested[key] = `timeline.${key}`;
  for (const key of LEAK_OPTION_KEYS) nested[key] = `leak.${key}`;
  for (const key of HEAP_MEASUREMENT_KEYS) nested[key] ??= `heapMeasurement.${key}`;
  return nested;
}

/**
 * Validates options at construction: a bad option throws MEMSCOPE_E_INVALID_OPTION naming the field, and so does an
 * unknown one (naming the closest valid key). `keys` lets startMemscope() check its wider set of keys instead.
 */
export function resolveProfilerOptions(options: MemoryProfilerOptions, keys: readonly string[] = PROFILER_OPTION_KEYS): ResolvedProfilerOptions {
  objectOption('options', options);
  rejectUnknownKeys(options, keys, '', profilerNestedKeys());
  validateNested(options);
  return {
    sampleIntervalMs: intOption('sampleIntervalMs', options.sampleIntervalMs, 200, 10, 3_600_000),
    maxPhaseNames: intOption('maxPhaseNames', options.maxPhaseNames, 100, 1, 10_000),
    maxPhaseNameLength: intOption('maxPhaseNameLength', options.maxPhaseNameLength, 128, 1, 4096),
    maxActivePhases: intOption('maxActivePhases', options.maxActivePhases, 10_000, 1, 1_000_000),
    maxPhaseIntervals: intOption('maxPhaseIntervals', options.maxPhaseIntervals, 10_000, 0, 1_000_000),
    phaseSnapshots: boolOption('phaseSnapshots', options.phaseSnapshots, true),
    phaseContext: oneOf<PhaseContextMode>('phaseContext', options.phaseContext, 'async-local-storage', ['async-local-storage', 'sync']),
    boundaryRssMaxAgeMs: numberOption('boundaryRssMaxAgeMs', options.boundaryRssMaxAgeMs, 1, 0, 60_000),
    runtimeMetrics: boolOption('runtimeMetrics', options.runtimeMetrics, true),
    gc: boolOption('gc', options.gc, true),
    eventLoop: boolOption('eventLoop', options.eventLoop, true),
    eventLoopResolutionMs: intOption('eventLoopResolutionMs', options.eventLoopResolutionMs, 20, 1, 1000),
    arrayBuffersMaxAgeMs: intOption('arrayBuffersMaxAgeMs', options.arrayBuffersMaxAgeMs, 1000, 0, 3_600_000),
    containerLimitRefreshMs: intOption('containerLimitRefreshMs', options.containerLimitRefreshMs, 30_000, 1000, 86_400_000),
    heapMeasurement: resolveHeapMeasurement(options.heapMeasurement),
  };
}

function resolveHeapMeasurement(value: unknown): Required<HeapMeasurementOptions> | false {
  if (value === false) return false;
  if (value !== undefined && value !== true && (typeof value !== 'object' || value === null)) {
    throw invalidOption('heapMeasurement', 'true, false or { minIntervalMs, budgetBytesPerSec }', value);
  }
  const o = (typeof value === 'object' ? value : {}) as HeapMeasurementOptions;
  rejectUnknownKeys(o, HEAP_MEASUREMENT_KEYS, 'heapMeasurement');
  return {
    minIntervalMs: intOption('heapMeasurement.minIntervalMs', o.minIntervalMs, 10_000, 1000, 3_600_000),
    budgetBytesPerSec: numberOption('heapMeasurement.budgetBytesPerSec', o.budgetBytesPerSec, 8 * 1024 * 1024, 1024, 1e12),
  };
}

/**
 * The shapes of the object- and function-valued options (their contents are validated by whoever takes them: the
 * timeline its capacities, the leak detector its settings).
 */
function validateNested(options: MemoryProfilerOptions): void {
  if (options.timeline !== undefined) rejectUnknownKeys(objectOption('timeline', options.timeline), TIMELINE_KEYS, 'timeline');
  if (options.leak !== undefined && options.leak !== false) objectOption('leak', options.leak);
  if (options.meter !== undefined && typeof (options.meter as Partial<Meter> | null)?.createHistogram !== 'function') {
    throw invalidOption('meter', 'an OpenTelemetry Meter', options.meter);
  }
  if (options.tracerProvider !== undefined && typeof (options.tracerProvider as Partial<TracerProvider> | null)?.getTracer !== 'function') {
    throw invalidOption('tracerProvider', 'an OpenTelemetry TracerProvider', options.tracerProvider);
  }
  if (options.phaseMetrics !== undefined && !(options.phaseMetrics instanceof PhaseMetricProducer)) {
    throw invalidOption('phaseMetrics', 'a PhaseMetricProducer', options.phaseMetrics);
  }
  if (options.containerLimit !== undefined && typeof options.containerLimit !== 'function') {
    throw invalidOption('containerLimit', 'a function', options.containerLimit);
  }
  if (options.sources !== undefined) {
    // Internal (injected by tests, whose doubles carry extra fields such as call counters): the probes it must have
    // are checked, other keys are not.
    const sources = objectOption('sources', options.sources);
    for (const key of SOURCE_KEYS) {
      const value = sources[key];
      if (typeof value !== 'function' && !(key === 'close' && value === undefined)) throw invalidOption(`sources.${key}`, 'a function', value);
    }
  }
}
