/**
 * Every metric and attribute memscope records, in one place. Names follow the OpenTelemetry semantic conventions where
 * one exists (process.*, v8js.*, nodejs.*) and use the `memscope.` namespace for the rest. Metric names are a
 * versioned API: dashboards, alert rules and docs/metrics.md are checked against the exposition these produce.
 */

export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name';
export const ATTR_V8JS_GC_TYPE = 'v8js.gc.type';
export const ATTR_PHASE_NAME = 'memscope.phase.name';
export const ATTR_MEMORY_TYPE = 'memscope.memory.type';
export const ATTR_PROBE_NAME = 'memscope.probe.name';
export const ATTR_MISUSE_KIND = 'memscope.phase.misuse';
/** The state of the leak verdict: `suspected`, `no_leak`, `inconclusive`. */
export const ATTR_LEAK_STATUS = 'memscope.leak.status';
/** Which limit a forecast is about: `heap` (V8's heap size limit) or `container` (the cgroup memory limit). */
export const ATTR_MEMORY_LIMIT = 'memscope.memory.limit';
/** Why a heap snapshot was taken: `leak_verdict`, `forecast`, `heap_share`, `signal`, `manual`. */
export const ATTR_SNAPSHOT_REASON = 'memscope.snapshot.reason';
/** Why a heap snapshot was refused: `busy`, `rate_limited`, `heap_limit`, `container_limit`, ... */
export const ATTR_SNAPSHOT_REFUSAL = 'memscope.snapshot.refusal';
export const ATTR_SNAPSHOT_BEFORE = 'memscope.snapshot.before';
export const ATTR_SNAPSHOT_AFTER = 'memscope.snapshot.after';
export const ATTR_SNAPSHOT_TOP_CONSTRUCTOR = 'memscope.snapshot.top_constructor';
export const ATTR_MEMSCOPE_VERSION = 'memscope.version';
export const ATTR_NODEJS_VERSION = 'nodejs.version';
export const ATTR_V8JS_VERSION = 'v8js.version';
/** A worker thread's `threadId` (OpenTelemetry's general `thread.id` attribute), on the per-thread series of memscope/register. */
export const ATTR_THREAD_ID = 'thread.id';

/** The phase label every name past the cardinality cap is folded into. */
export const PHASE_OTHER = 'other';

export const METRIC_PROCESS_MEMORY_USAGE = 'process.memory.usage';
export const METRIC_PROCESS_MAX_RSS = 'memscope.process.memory.max_rss';
export const METRIC_PROCESS_START_TIME = 'memscope.process.start_time';
export const METRIC_V8JS_HEAP_USED = 'v8js.memory.heap.used';
export const METRIC_V8JS_HEAP_SPACE_SIZE = 'v8js.memory.heap.space.size';
export const METRIC_V8JS_HEAP_SPACE_AVAILABLE = 'v8js.memory.heap.space.available_size';
export const METRIC_V8JS_HEAP_SPACE_PHYSICAL = 'v8js.memory.heap.space.physical_size';
export const METRIC_HEAP_LIMIT = 'memscope.v8js.memory.heap.limit';
export const METRIC_MEMORY_EXTERNAL = 'memscope.memory.external';
export const METRIC_MEMORY_ARRAY_BUFFERS = 'memscope.memory.array_buffers';
export const METRIC_CONTAINER_MEMORY_LIMIT = 'memscope.container.memory.limit';
export const METRIC_V8JS_GC_DURATION = 'v8js.gc.duration';
export const METRIC_MEMORY_POST_GC = 'memscope.memory.post_gc';
export const METRIC_EVENTLOOP_DELAY_MIN = 'nodejs.eventloop.delay.min';
export const METRIC_EVENTLOOP_DELAY_MAX = 'nodejs.eventloop.delay.max';
export const METRIC_EVENTLOOP_DELAY_MEAN = 'nodejs.eventloop.delay.mean';
export const METRIC_EVENTLOOP_DELAY_STDDEV = 'nodejs.eventloop.delay.stddev';
export const METRIC_EVENTLOOP_DELAY_P50 = 'nodejs.eventloop.delay.p50';
export const METRIC_EVENTLOOP_DELAY_P90 = 'nodejs.eventloop.delay.p90';
export const METRIC_EVENTLOOP_DELAY_P99 = 'nodejs.eventloop.delay.p99';
export const METRIC_EVENTLOOP_UTILIZATION = 'nodejs.eventloop.utilization';
export const METRIC_PHASE_DURATION = 'memscope.phase.duration';
export const METRIC_PHASE_MEMORY_DELTA = 'memscope.phase.memory.delta';
export const METRIC_PHASE_MEMORY_PEAK = 'memscope.phase.memory.peak';
export const METRIC_PHASE_ACTIVE = 'memscope.phase.active';
export const METRIC_PHASE_MISUSE = 'memscope.phase.misuse';
export const METRIC_LEAK_SLOPE = 'memscope.leak.slope';
export const METRIC_LEAK_SUSPECTED = 'memscope.leak.suspected';
export const METRIC_LEAK_CONFIDENCE = 'memscope.leak.confidence';
export const METRIC_LEAK_VERDICT = 'memscope.leak.verdict';
export const METRIC_MEMORY_EXHAUSTION = 'memscope.memory.exhaustion.forecast';
export const METRIC_HEAP_MEASUREMENTS = 'memscope.heap.measurements';
export const METRIC_HEAP_SNAPSHOTS = 'memscope.heap.snapshots';
export const METRIC_HEAP_SNAPSHOT_REFUSALS = 'memscope.heap.snapshot.refusals';
export const METRIC_HEAP_SNAPSHOT_PAUSE = 'memscope.heap.snapshot.pause';
export const METRIC_HEAP_SNAPSHOT_MAX_PAUSE = 'memscope.heap.snapshot.max_pause';
export const METRIC_HEAP_SNAPSHOT_INFO = 'memscope.heap.snapshot.info';
export const METRIC_SAMPLER_SAMPLES = 'memscope.sampler.samples';
export const METRIC_SAMPLER_TIME = 'memscope.sampler.time';
export const METRIC_PROBE_ERRORS = 'memscope.probe.errors';
export const METRIC_BUILD_INFO = 'memscope.build.info';
/** Per worker thread, under memscope/register only (docs/run.md): each thread's own V8 heap, used and committed. */
export const METRIC_THREAD_HEAP_USED = 'memscope.thread.heap.used';
export const METRIC_THREAD_HEAP_TOTAL = 'memscope.thread.heap.total';

/**
 * Bucket boundaries (seconds) for GC pauses. OpenTelemetry's default boundaries (0, 5, 10, 25 ...) are meant for
 * milliseconds; in seconds they would put every pause into one bucket. Most scavenges take 0.1-2 ms.
 */
export const GC_DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

/** Bucket boundaries (seconds) for phase durations: from 1 ms to 10 minutes. */
export const PHASE_DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
] as const;
