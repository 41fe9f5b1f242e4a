import type { Meter, TracerProvider } from '@opentelemetry/api';
import { boolOption, intOption, numberOption } from '../internal/validate.js';
import { invalidOption } from '../internal/errors.js';
import type { LeakDetectorOptions } from './leak/leak-detector.js';
import type { HeapMeasurementOptions } from './gc/heap-measurement.js';
import type { MemorySources } from './probes/memory-probes.js';
import type { ContainerMemoryLimit } from './probes/container-memory.js';
import type { MemoryTimelineOptions } from './timeline/timeline.js';

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
   * Phases that may run at once; past it new phases are not tracked (a guard against phases never ended).
   * @default 10000
   */
  maxActivePhases?: number;
  /**
   * Read memory at every phase start and end (~2 us each). When false, boundaries use the latest sample.
   * @default true
   */
  phaseSnapshots?: boolean;
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
   * GC has run for a while and the heap has grown, ask V8 for a live-heap measurement (`vm.measureMemory()`, default
   * execution: V8 starts an incremental marking within 10–20 s if no GC comes first — never a forced, stop-the-world
   * GC), within a cost budget. `false` turns it off: the verdict then waits for V8's own majors. Needs `gc` and the
   * leak detector. docs/leak-detection.md says what it costs.
   * @default true ({ minIntervalMs: 10000, budgetBytesPerSec: 4194304 })
   */
  heapMeasurement?: boolean | HeapMeasurementOptions;
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
  maxActivePhases: number;
  maxPhaseIntervals: number;
  phaseSnapshots: boolean;
  boundaryRssMaxAgeMs: number;
  gc: boolean;
  eventLoop: boolean;
  eventLoopResolutionMs: number;
  arrayBuffersMaxAgeMs: number;
  containerLimitRefreshMs: number;
  heapMeasurement: Required<HeapMeasurementOptions> | false;
}

/** Validates options at construction: a bad option throws MEMSCOPE_E_INVALID_OPTION naming the field. */
export function resolveProfilerOptions(options: MemoryProfilerOptions): ResolvedProfilerOptions {
  if (typeof options !== 'object') throw invalidOption('options', 'an object', options);
  return {
    sampleIntervalMs: intOption('sampleIntervalMs', options.sampleIntervalMs, 200, 10, 3_600_000),
    maxPhaseNames: intOption('maxPhaseNames', options.maxPhaseNames, 100, 1, 10_000),
    maxActivePhases: intOption('maxActivePhases', options.maxActivePhases, 10_000, 1, 1_000_000),
    maxPhaseIntervals: intOption('maxPhaseIntervals', options.maxPhaseIntervals, 10_000, 0, 1_000_000),
    phaseSnapshots: boolOption('phaseSnapshots', options.phaseSnapshots, true),
    boundaryRssMaxAgeMs: numberOption('boundaryRssMaxAgeMs', options.boundaryRssMaxAgeMs, 1, 0, 60_000),
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
  return {
    minIntervalMs: intOption('heapMeasurement.minIntervalMs', o.minIntervalMs, 10_000, 1000, 3_600_000),
    budgetBytesPerSec: numberOption('heapMeasurement.budgetBytesPerSec', o.budgetBytesPerSec, 4 * 1024 * 1024, 1024, 1e12),
  };
}
