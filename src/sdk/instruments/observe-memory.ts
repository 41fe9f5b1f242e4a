import type { Attributes, BatchObservableResult, Observable } from '@opentelemetry/api';
import type { HeapSpaceInfo } from 'node:v8';
import * as S from '../semconv.js';
import { MEMORY_KINDS, type MemoryFigures, type MemoryKind } from '../types.js';
import type { EventLoopFigures } from '../probes/event-loop-probe.js';
import type { PhaseSlot } from '../phases/phase-stats.js';
import { PHASE_MISUSE_KINDS, type PhaseMisuse } from '../phases/phase-tracker.js';
import type { LeakStatus, LeakVerdict } from '../leak/leak-detector.js';

/** Memory right after the most recent GC that reclaims it; NaN until one has happened. */
export type PostGcBaseline = Record<MemoryKind, number>;

/** What the metrics layer reads at each collection. Implemented by the profiler. */
export interface MetricsSource {
  /** A fresh full reading (array buffers included). */
  readFresh(): MemoryFigures;
  heapSpaces(): HeapSpaceInfo[];
  heapLimit(): number;
  /** Bytes, or null when the cgroup has no limit. */
  containerLimit(): number | null;
  maxRss(): number;
  startTimeSeconds(): number;
  postGc(): PostGcBaseline;
  eventLoop(): EventLoopFigures | undefined;
  /**
   * Every phase slot, when phase metrics are observed on the Meter; absent when a PhaseMetricProducer hands them to
   * the readers instead.
   */
  forEachPhase?(fn: (slot: PhaseSlot) => void): void;
  /** Phase misuse so far, by kind. */
  misuseCounts(): Readonly<Record<PhaseMisuse, number>>;
  /** The verdict, with its exhaustion forecast. */
  leakVerdict(): LeakVerdict | undefined;
  /** Live-heap measurements requested so far, or undefined when the heap measurement is off. */
  heapMeasurements(): number | undefined;
}

/** The runtime instruments (heap spaces, event loop) are absent with `runtimeMetrics: false`. */
export interface MemoryObservables {
  rss: Observable;
  maxRss: Observable;
  startTime: Observable;
  heapUsed: Observable | undefined;
  spaceSize: Observable | undefined;
  spaceAvailable: Observable | undefined;
  spacePhysical: Observable | undefined;
  heapLimit: Observable;
  external: Observable;
  arrayBuffers: Observable;
  containerLimit: Observable;
  postGc: Observable;
  delayMin: Observable | undefined;
  delayMax: Observable | undefined;
  delayMean: Observable | undefined;
  delayStddev: Observable | undefined;
  delayP50: Observable | undefined;
  delayP90: Observable | undefined;
  delayP99: Observable | undefined;
  utilization: Observable | undefined;
  /** The phase series observed on the Meter (absent when a PhaseMetricProducer carries them). */
  phaseDelta: Observable | undefined;
  phasePeak: Observable | undefined;
  phaseActive: Observable | undefined;
  phaseMisuse: Observable;
  leakSlope: Observable;
  leakSuspected: Observable;
  leakConfidence: Observable;
  leakVerdict: Observable;
  exhaustion: Observable;
  heapMeasurements: Observable;
}

const KIND_ATTRS: Record<MemoryKind, { [S.ATTR_MEMORY_TYPE]: MemoryKind }> = {
  heap: { [S.ATTR_MEMORY_TYPE]: 'heap' },
  external: { [S.ATTR_MEMORY_TYPE]: 'external' },
  array_buffers: { [S.ATTR_MEMORY_TYPE]: 'array_buffers' },
  rss: { [S.ATTR_MEMORY_TYPE]: 'rss' },
};

/** Observes `value` unless a failed probe made it NaN: a skipped series beats a made-up number. */
function observe(result: BatchObservableResult, o: Observable | undefined, value: number, attrs?: Attributes): void {
  if (o !== undefined && Number.isFinite(value)) result.observe(o, value, attrs);
}

export function observeMemory(result: BatchObservableResult, o: MemoryObservables, source: MetricsSource): void {
  const m = source.readFresh();
  observe(result, o.rss, m.rss);
  observe(result, o.external, m.external);
  observe(result, o.arrayBuffers, m.arrayBuffers);
  observe(result, o.heapLimit, source.heapLimit());
  observe(result, o.maxRss, source.maxRss());
  observe(result, o.startTime, source.startTimeSeconds());
  const limit = source.containerLimit();
  if (limit !== null) observe(result, o.containerLimit, limit);

  // Read only when observed: with the runtime instruments left to runtime-node, nothing here needs the spaces.
  if (o.heapUsed !== undefined) observeHeapSpaces(result, o, source.heapSpaces());

  const postGc = source.postGc();
  for (const kind of MEMORY_KINDS) observe(result, o.postGc, postGc[kind], KIND_ATTRS[kind]);

  const loop = source.eventLoop();
  if (loop !== undefined) {
    observe(result, o.delayMin, loop.delayMin);
    observe(result, o.delayMax, loop.delayMax);
    observe(result, o.delayMean, loop.delayMean);
    observe(result, o.delayStddev, loop.delayStddev);
    observe(result, o.delayP50, loop.delayP50);
    observe(result, o.delayP90, loop.delayP90);
    observe(result, o.delayP99, loop.delayP99);
    observe(result, o.utilization, loop.utilization);
  }

  const misuse = source.misuseCounts();
  for (const kind of PHASE_MISUSE_KINDS) result.observe(o.phaseMisuse, misuse[kind], MISUSE_ATTRS[kind]);
  if (source.forEachPhase !== undefined) observePhases(result, o, source.forEachPhase.bind(source));

  const verdict = source.leakVerdict();
  if (verdict !== undefined) observeVerdict(result, o, verdict);
  const measurements = source.heapMeasurements();
  if (measurements !== undefined) observe(result, o.heapMeasurements, measurements);
}

function observeHeapSpaces(result: BatchObservableResult, o: MemoryObservables, spaces: HeapSpaceInfo[]): void {
  for (const space of spaces) {
    const attrs = { [S.ATTR_V8JS_HEAP_SPACE_NAME]: space.space_name };
    observe(result, o.heapUsed, space.space_used_size, attrs);
    observe(result, o.spaceSize, space.space_size, attrs);
    observe(result, o.spaceAvailable, space.space_available_size, attrs);
    observe(result, o.spacePhysical, space.physical_space_size, attrs);
  }
}

const MISUSE_ATTRS: Record<PhaseMisuse, Attributes> = {
  not_started: { [S.ATTR_MISUSE_KIND]: 'not_started' },
  ended_twice: { [S.ATTR_MISUSE_KIND]: 'ended_twice' },
  name_overflow: { [S.ATTR_MISUSE_KIND]: 'name_overflow' },
  name_too_long: { [S.ATTR_MISUSE_KIND]: 'name_too_long' },
  too_many_active: { [S.ATTR_MISUSE_KIND]: 'too_many_active' },
};

/**
 * Each phase's series, with the attribute objects its slot made once (nothing allocated per phase per collection).
 * Delta and peak exist once an instance has completed; the running count from the first start, as a synchronous
 * up-down counter's would.
 */
function observePhases(result: BatchObservableResult, o: MemoryObservables, forEachPhase: (fn: (slot: PhaseSlot) => void) => void): void {
  const { phaseDelta, phasePeak, phaseActive } = o;
  if (phaseDelta === undefined || phasePeak === undefined || phaseActive === undefined) return;
  forEachPhase((slot) => {
    result.observe(phaseActive, slot.active, slot.attrs);
    if (slot.count === 0) return;
    observe(result, phaseDelta, slot.endHeapUsed - slot.startHeapUsed, slot.heapAttrs);
    observe(result, phaseDelta, slot.endRss - slot.startRss, slot.rssAttrs);
    observe(result, phasePeak, slot.lastPeakHeapUsed, slot.heapAttrs);
    observe(result, phasePeak, slot.lastPeakRss, slot.rssAttrs);
  });
}

const STATUS_ATTRS: ReadonlyArray<[LeakStatus, Record<string, string>]> = [
  ['suspected', { [S.ATTR_LEAK_STATUS]: 'suspected' }],
  ['no-leak', { [S.ATTR_LEAK_STATUS]: 'no_leak' }],
  ['inconclusive', { [S.ATTR_LEAK_STATUS]: 'inconclusive' }],
];
const LIMIT_ATTRS = { heap: { [S.ATTR_MEMORY_LIMIT]: 'heap' }, container: { [S.ATTR_MEMORY_LIMIT]: 'container' } } as const;

/**
 * The verdict as series. A kind's slope and suspected flag are exported only once the detector can speak about it
 * (enough baseline points after the warm-up): before that a 0 would read as "no leak" and a two-point slope as a
 * trend. The state set says "inconclusive" outright; the forecast is absent without a trend.
 */
function observeVerdict(result: BatchObservableResult, o: MemoryObservables, verdict: LeakVerdict): void {
  for (const kind of MEMORY_KINDS) {
    const evidence = verdict.evidence[kind];
    if (evidence.status !== 'no-growth' && evidence.status !== 'suspected') continue;
    observe(result, o.leakSlope, evidence.slopeBytesPerSec, KIND_ATTRS[kind]);
    observe(result, o.leakSuspected, evidence.status === 'suspected' ? 1 : 0, KIND_ATTRS[kind]);
  }
  observe(result, o.leakConfidence, verdict.confidence);
  for (const [status, attrs] of STATUS_ATTRS) observe(result, o.leakVerdict, verdict.status === status ? 1 : 0, attrs);
  const forecast = verdict.forecast;
  if (forecast?.heap) observe(result, o.exhaustion, forecast.heap.seconds, LIMIT_ATTRS.heap);
  if (forecast?.container) observe(result, o.exhaustion, forecast.container.seconds, LIMIT_ATTRS.container);
}
