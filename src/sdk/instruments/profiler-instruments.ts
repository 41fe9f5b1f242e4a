import type { Attributes, BatchObservableCallback, Histogram, Meter, Observable } from '@opentelemetry/api';
import * as S from '../semconv.js';
import type { PhaseSlot } from '../phases/phase-stats.js';
import type { GcType } from '../gc/gc-watcher.js';
import type { ProbeName } from '../probes/probe-errors.js';
import { observeMemory, type MemoryObservables, type MetricsSource } from './observe-memory.js';
import { MEMSCOPE_VERSION } from '../../version.js';

/** Every probe, as `memscope.probe.name` names it (the check below keeps the list complete). */
const PROBE_NAMES = ['rss', 'heap', 'heap_spaces', 'array_buffers', 'max_rss', 'container_limit', 'event_loop', 'gc'] as const satisfies readonly ProbeName[];
const _everyProbe: [Exclude<ProbeName, (typeof PROBE_NAMES)[number]>] extends [never] ? true : never = true;

export interface InstrumentOptions {
  /** Phase series on the Meter (false when a PhaseMetricProducer carries them). */
  phasesOnMeter: boolean;
  /**
   * The instruments @opentelemetry/instrumentation-runtime-node records under the same names (RUNTIME_METRIC_NAMES);
   * false leaves them to it, so that one provider never exports a family twice.
   */
  runtimeMetrics: boolean;
}

/**
 * What memscope leaves to @opentelemetry/instrumentation-runtime-node with `runtimeMetrics: false`: every name both
 * record (runtime-node 0.36 records these and `nodejs.eventloop.time`, `v8js.resource.active`, which memscope does
 * not). test/regression/otel-runtime-node-duplicate-families.test.ts runs the two on one provider: without the option exactly
 * these names are exported twice, with it none is.
 */
export const RUNTIME_METRIC_NAMES = [
  S.METRIC_V8JS_HEAP_USED, S.METRIC_V8JS_HEAP_SPACE_SIZE, S.METRIC_V8JS_HEAP_SPACE_AVAILABLE, S.METRIC_V8JS_HEAP_SPACE_PHYSICAL,
  S.METRIC_V8JS_GC_DURATION,
  S.METRIC_EVENTLOOP_DELAY_MIN, S.METRIC_EVENTLOOP_DELAY_MAX, S.METRIC_EVENTLOOP_DELAY_MEAN, S.METRIC_EVENTLOOP_DELAY_STDDEV,
  S.METRIC_EVENTLOOP_DELAY_P50, S.METRIC_EVENTLOOP_DELAY_P90, S.METRIC_EVENTLOOP_DELAY_P99, S.METRIC_EVENTLOOP_UTILIZATION,
] as const;

/**
 * memscope's instruments on a Meter — its own MeterProvider's or the host's. Observable instruments share one batch
 * callback so that one collection takes one fresh memory reading; synchronous ones are recorded as events happen.
 *
 * Phases are read from memscope's own table at collection time: the running count, the misuse counts and the memory
 * gauges are observable instruments. Only the duration histogram has no asynchronous form in OpenTelemetry's API: on a
 * Meter it is recorded once per completed phase, with the attribute object its slot made once (the least work the API
 * allows: docs/benchmarks.md measures it). With `phasesOnMeter` false, a PhaseMetricProducer carries every phase
 * series instead and nothing here is called per phase.
 */
export class ProfilerInstruments {
  private readonly gcDuration: Histogram | undefined;
  private readonly phaseDuration: Histogram | undefined;
  private readonly probeErrors;
  private readonly samplerSamples;
  private readonly samplerTime;
  private readonly observables: MemoryObservables;
  private readonly batch: BatchObservableCallback;
  private readonly observed: Observable[];
  private readonly gcAttrs: Record<GcType, Attributes>;

  constructor(private readonly meter: Meter, source: MetricsSource, options: InstrumentOptions) {
    const { phasesOnMeter, runtimeMetrics } = options;
    this.gcDuration = runtimeMetrics
      ? meter.createHistogram(S.METRIC_V8JS_GC_DURATION, {
        description: 'Garbage collection pause duration by GC type.',
        unit: 's',
        advice: { explicitBucketBoundaries: [...S.GC_DURATION_BUCKETS] },
      })
      : undefined;
    this.phaseDuration = phasesOnMeter
      ? meter.createHistogram(S.METRIC_PHASE_DURATION, {
        description: 'Duration of completed processing phases.',
        unit: 's',
        advice: { explicitBucketBoundaries: [...S.PHASE_DURATION_BUCKETS] },
      })
      : undefined;
    this.probeErrors = meter.createCounter(S.METRIC_PROBE_ERRORS, {
      description: 'Failed probe reads; a failed probe is skipped, never thrown into the service.',
      unit: '{error}',
    });
    // Counters whose label values are all known start at 0: a healthy service shows 0 on the error panels rather than
    // "No data", and increase() over the first error sees it (a series born at 1 has no earlier point to rise from).
    // (Phase misuse is observed from zero-initialised counts, see observeMemory.)
    for (const probe of PROBE_NAMES) this.probeErrors.add(0, { [S.ATTR_PROBE_NAME]: probe });
    this.samplerSamples = meter.createCounter(S.METRIC_SAMPLER_SAMPLES, {
      description: 'Memory samples memscope has taken.',
      unit: '{sample}',
    });
    this.samplerTime = meter.createCounter(S.METRIC_SAMPLER_TIME, {
      description: 'Time memscope has spent taking memory samples (its own cost).',
      unit: 's',
    });
    this.gcAttrs = {
      major: { [S.ATTR_V8JS_GC_TYPE]: 'major' },
      minor: { [S.ATTR_V8JS_GC_TYPE]: 'minor' },
      incremental: { [S.ATTR_V8JS_GC_TYPE]: 'incremental' },
      weakcb: { [S.ATTR_V8JS_GC_TYPE]: 'weakcb' },
    };
    const buildInfo = meter.createObservableGauge(S.METRIC_BUILD_INFO, {
      description: 'memscope build information; the value is always 1.',
    });
    this.observables = createObservables(meter, options);
    const buildAttrs = {
      [S.ATTR_MEMSCOPE_VERSION]: MEMSCOPE_VERSION,
      [S.ATTR_NODEJS_VERSION]: process.versions.node,
      [S.ATTR_V8JS_VERSION]: process.versions.v8,
    };
    this.batch = (result) => {
      result.observe(buildInfo, 1, buildAttrs);
      observeMemory(result, this.observables, source);
    };
    this.observed = [buildInfo, ...Object.values(this.observables).filter((o): o is Observable => o !== undefined)];
    meter.addBatchObservableCallback(this.batch, this.observed);
  }

  gc(type: GcType, durationMs: number): void {
    this.gcDuration?.record(durationMs / 1000, this.gcAttrs[type]);
  }

  /** A completed phase, on a Meter's histogram (not called when a PhaseMetricProducer carries the phase series). */
  phaseEnded(slot: PhaseSlot, durationMs: number): void {
    this.phaseDuration?.record(durationMs / 1000, slot.attrs);
  }

  probeError(probe: ProbeName): void {
    this.probeErrors.add(1, { [S.ATTR_PROBE_NAME]: probe });
  }

  sampled(seconds: number): void {
    this.samplerSamples.add(1);
    this.samplerTime.add(seconds);
  }

  /** Stops observing; synchronous instruments keep their last values in the provider. */
  unregister(): void {
    this.meter.removeBatchObservableCallback(this.batch, this.observed);
  }
}

function createObservables(meter: Meter, { phasesOnMeter, runtimeMetrics }: InstrumentOptions): MemoryObservables {
  const bytes = (name: string, description: string) => meter.createObservableGauge(name, { description, unit: 'By' });
  const upDownBytes = (name: string, description: string) => meter.createObservableUpDownCounter(name, { description, unit: 'By' });
  const seconds = (name: string, description: string) => meter.createObservableGauge(name, { description, unit: 's' });
  const runtime = <T>(make: () => T): T | undefined => (runtimeMetrics ? make() : undefined);
  return {
    rss: upDownBytes(S.METRIC_PROCESS_MEMORY_USAGE, 'The amount of physical memory in use (resident set size).'),
    maxRss: bytes(S.METRIC_PROCESS_MAX_RSS, "The kernel's high-water mark of the resident set size; never decreases."),
    startTime: seconds(S.METRIC_PROCESS_START_TIME, 'Start time of the process since the Unix epoch.'),
    heapUsed: runtime(() => upDownBytes(S.METRIC_V8JS_HEAP_USED, 'V8 heap memory used, by heap space.')),
    spaceSize: runtime(() => upDownBytes(S.METRIC_V8JS_HEAP_SPACE_SIZE, 'V8 heap memory committed, by heap space.')),
    spaceAvailable: runtime(() => upDownBytes(S.METRIC_V8JS_HEAP_SPACE_AVAILABLE, 'V8 heap space available size, by heap space.')),
    spacePhysical: runtime(() => upDownBytes(S.METRIC_V8JS_HEAP_SPACE_PHYSICAL, 'V8 heap space physical (resident) size, by heap space.')),
    heapLimit: bytes(S.METRIC_HEAP_LIMIT, 'V8 heap size limit: the heap cannot grow past it (see --max-old-space-size).'),
    external: bytes(S.METRIC_MEMORY_EXTERNAL, 'Memory of C++ objects bound to JavaScript objects, array buffers included.'),
    arrayBuffers: bytes(S.METRIC_MEMORY_ARRAY_BUFFERS, 'Memory of ArrayBuffers and SharedArrayBuffers, Node.js Buffers included.'),
    containerLimit: bytes(S.METRIC_CONTAINER_MEMORY_LIMIT, 'Memory limit of the cgroup (container) the process runs in; absent when unlimited.'),
    postGc: bytes(S.METRIC_MEMORY_POST_GC, 'Memory right after the most recent garbage collection that reclaims it (major GC for the heap).'),
    delayMin: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_MIN, 'Event loop minimum delay since the previous collection.')),
    delayMax: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_MAX, 'Event loop maximum delay since the previous collection.')),
    delayMean: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_MEAN, 'Event loop mean delay since the previous collection.')),
    delayStddev: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_STDDEV, 'Event loop standard deviation of delay since the previous collection.')),
    delayP50: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_P50, 'Event loop 50th percentile delay since the previous collection.')),
    delayP90: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_P90, 'Event loop 90th percentile delay since the previous collection.')),
    delayP99: runtime(() => seconds(S.METRIC_EVENTLOOP_DELAY_P99, 'Event loop 99th percentile delay since the previous collection.')),
    utilization: runtime(() => meter.createObservableGauge(S.METRIC_EVENTLOOP_UTILIZATION, {
      description: 'Event loop utilization since the previous collection.',
      unit: '1',
    })),
    phaseDelta: phasesOnMeter ? bytes(S.METRIC_PHASE_MEMORY_DELTA, 'Memory at the end minus memory at the start of the most recent completed instance of the phase.') : undefined,
    phasePeak: phasesOnMeter ? bytes(S.METRIC_PHASE_MEMORY_PEAK, 'Highest memory seen during the most recent completed instance of the phase.') : undefined,
    phaseActive: phasesOnMeter
      ? meter.createObservableUpDownCounter(S.METRIC_PHASE_ACTIVE, { description: 'Processing phases running now.', unit: '{phase}' })
      : undefined,
    phaseMisuse: meter.createObservableCounter(S.METRIC_PHASE_MISUSE, {
      description: 'Phase API misuse: ends without a start, double ends, names past the cap, too many running phases.',
      unit: '{event}',
    }),
    leakSlope: meter.createObservableGauge(S.METRIC_LEAK_SLOPE, {
      description: 'Robust (Theil-Sen) slope of the post-GC memory baseline.',
      unit: 'By/s',
    }),
    leakSuspected: meter.createObservableGauge(S.METRIC_LEAK_SUSPECTED, {
      description: '1 when the leak detector suspects this kind of memory leaks, else 0.',
    }),
    leakConfidence: meter.createObservableGauge(S.METRIC_LEAK_CONFIDENCE, {
      description: 'Confidence of the leak verdict, 0 to 1.',
      unit: '1',
    }),
    leakVerdict: meter.createObservableGauge(S.METRIC_LEAK_VERDICT, {
      description: 'The leak verdict as a state set: 1 for the current status (suspected, no_leak, inconclusive), 0 for the others.',
    }),
    exhaustion: meter.createObservableGauge(S.METRIC_MEMORY_EXHAUSTION, {
      description: 'Time until the limit would be reached at the current post-GC baseline trend; absent when there is no trend.',
      unit: 's',
    }),
    heapMeasurements: meter.createObservableCounter(S.METRIC_HEAP_MEASUREMENTS, {
      description: 'Live-heap measurements memscope asked V8 for (vm.measureMemory) because no major GC had refreshed the heap baseline.',
      unit: '{request}',
    }),
  };
}
