// The public API of `memscope`: the instrumentation SDK and the exporter. Explicit names only (lint bans
// `export *`); what tests and pictures need lives behind `memscope/testing` and `memscope/charts`.

export { MemoryProfiler, withMemoryProfiler } from './sdk/memory-profiler.js';
export type { PhaseHandle } from './sdk/memory-profiler.js';
export type { MemoryProfilerOptions } from './sdk/profiler-options.js';
export { PhaseMetricProducer } from './sdk/instruments/phase-metric-producer.js';
export type { PhaseContextMode } from './sdk/phases/phase-context.js';
export type { MemoryFigures, MemorySample, FoldedSpan, MemoryKind } from './sdk/types.js';
export type { MemoryTimelineOptions, MemoryPeaks } from './sdk/timeline/timeline.js';
export type { PhaseStats, PhaseMemory } from './sdk/phases/phase-stats.js';
export type { PhaseInterval } from './sdk/phases/phase-intervals.js';
export type { PhaseMisuse } from './sdk/phases/phase-tracker.js';
export type { GcStats } from './sdk/gc/gc-tracker.js';
export type { GcType } from './sdk/gc/gc-watcher.js';
export type { PostGcBaseline } from './sdk/instruments/observe-memory.js';
export { LeakDetector } from './sdk/leak/leak-detector.js';
export type {
  BaselinePoint,
  ExhaustionForecast,
  ForecastInputs,
  LeakDetectorOptions,
  LeakStatus,
  LeakVerdict,
  LimitForecast,
  PostGcFigures,
  TrendEvidence,
  TrendStatus,
} from './sdk/leak/leak-detector.js';
export { describeLeakVerdict } from './sdk/leak/describe-verdict.js';
export type { HeapMeasurementOptions } from './sdk/gc/heap-measurement.js';
export { forceGc } from './sdk/gc/force-gc.js';
export { readContainerMemoryLimit } from './sdk/probes/container-memory.js';
export type { ContainerMemoryLimit, ContainerMemoryOptions } from './sdk/probes/container-memory.js';
export { HeapSnapshotCapture, captureHeapSnapshot } from './heap/capture/heap-capture.js';
export type { CaptureResult, CaptureStats } from './heap/capture/heap-capture.js';
export type { CaptureEvent, CaptureMemory, CaptureReason, HeapCaptureOptions, RefusalReason } from './heap/capture/capture-options.js';
export type { HeapSnapshotOptions, HeapSnapshotPair } from './heap/capture/auto-heap-snapshots.js';
export {
  ATTR_MEMORY_TYPE,
  ATTR_PHASE_NAME,
  ATTR_V8JS_GC_TYPE,
  ATTR_V8JS_HEAP_SPACE_NAME,
  GC_DURATION_BUCKETS,
  PHASE_DURATION_BUCKETS,
  PHASE_OTHER,
} from './sdk/semconv.js';

export { startMemscope } from './exporter/start-memscope.js';
export { getMemscope } from './run/shared-memscope.js';
export type { Memscope, MemscopeOptions } from './exporter/start-memscope.js';
export { PrometheusReader } from './exporter/prometheus-reader.js';
export type { PrometheusReaderOptions } from './exporter/prometheus-reader.js';
export { createMetricsHandler } from './exporter/metrics-handler.js';
export type { MetricsHandler, MetricsHandlerOptions, ExpositionSource } from './exporter/metrics-handler.js';
export { startMetricsServer } from './exporter/metrics-server.js';
export type { MetricsServer, MetricsServerOptions } from './exporter/metrics-server.js';
export { createOtlpReader } from './exporter/otlp.js';
export type { OtlpOptions, OtlpProtocol } from './exporter/otlp.js';
export { memscopeViews } from './exporter/views.js';

export { MemscopeError, ERROR_CODES } from './internal/errors.js';
export type { ErrorCode } from './internal/errors.js';
export { MEMSCOPE_VERSION } from './version.js';
