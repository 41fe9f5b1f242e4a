import type { RecordingRule, RuleGroup } from './rule-types.js';
import type { Thresholds } from './thresholds.js';

/*
 * Recorded series, named `level:metric:operations` (kubernetes-mixin). The alerts below and the Grafana dashboards
 * query these names, so they are a stable API like the exported series. Unlike the mixin's `:rate5m`, the names
 * carry no window: the window lives in thresholds.ts and differs between the production and test profiles, and a
 * dashboard must work against either.
 */

/** V8 heap in use, summed over heap spaces (= `process.memoryUsage().heapUsed`). */
export const HEAP_USED_BYTES = 'instance:memscope_heap_used_bytes:sum';
/** V8 heap committed, summed over heap spaces (= `heapTotal`). */
export const HEAP_COMMITTED_BYTES = 'instance:memscope_heap_committed_bytes:sum';
/** Heap in use over V8's heap limit, 0 to 1. */
export const HEAP_USED_RATIO = 'instance:memscope_heap_used_ratio:limit';
/** RSS over the container memory limit, 0 to 1; absent when the container has no limit. */
export const RSS_USED_RATIO = 'instance:memscope_rss_used_ratio:container_limit';
/** V8's heap limit over the container memory limit; above 1 the kernel kills the process before V8 gives up. */
export const HEAP_LIMIT_RATIO = 'instance:memscope_heap_limit_ratio:container_limit';
/** Seconds of GC pause per second of wall-clock time (share of time in GC), all GC types. */
export const GC_TIME_RATIO = 'instance:memscope_gc_time_ratio:rate';
/** GC runs per second, by `v8js_gc_type`. */
export const GC_COLLECTIONS_RATE = 'instance_v8js_gc_type:memscope_gc_collections:rate';
/** Growth of the post-GC baseline (bytes per second, least squares), by `memscope_memory_type`. */
export const POST_GC_DERIV = 'instance_memscope_memory_type:memscope_memory_post_gc_bytes:deriv';

/** Every recorded name, for tests and for dashboards that check what they query. */
export const RECORDED_SERIES = [
  HEAP_USED_BYTES, HEAP_COMMITTED_BYTES, HEAP_USED_RATIO, RSS_USED_RATIO, HEAP_LIMIT_RATIO,
  GC_TIME_RATIO, GC_COLLECTIONS_RATE, POST_GC_DERIV,
] as const;

/** Single-valued series per target: `max by` keeps exactly `job` and `instance`, whatever relabeling added. */
const perInstance = (metric: string): string => `max by (job, instance) (${metric})`;

export function recordingRules(t: Thresholds): RuleGroup<RecordingRule> {
  return {
    name: 'memscope-recording',
    ...(t.evaluationInterval === undefined ? {} : { interval: t.evaluationInterval }),
    rules: [
      { record: HEAP_USED_BYTES, expr: 'sum by (job, instance) (v8js_memory_heap_used_bytes)' },
      { record: HEAP_COMMITTED_BYTES, expr: 'sum by (job, instance) (v8js_memory_heap_space_size_bytes)' },
      // Rules of a group run in order, so the ratios below read the sums recorded in the same evaluation.
      { record: HEAP_USED_RATIO, expr: `${HEAP_USED_BYTES} / on (job, instance) ${perInstance('memscope_v8js_memory_heap_limit_bytes')}` },
      // memscope_container_memory_limit_bytes is absent when the container is unlimited: the division then yields
      // nothing, and nothing built on it can fire (a missing limit is not a limit of 0).
      {
        record: RSS_USED_RATIO,
        expr: `${perInstance('process_memory_usage_bytes')} / on (job, instance) ${perInstance('memscope_container_memory_limit_bytes')}`,
      },
      {
        record: HEAP_LIMIT_RATIO,
        expr:
          `${perInstance('memscope_v8js_memory_heap_limit_bytes')} / on (job, instance) ` +
          perInstance('memscope_container_memory_limit_bytes'),
      },
      { record: GC_TIME_RATIO, expr: `sum by (job, instance) (rate(v8js_gc_duration_seconds_sum[${t.gcPressure.rateWindow}]))` },
      {
        record: GC_COLLECTIONS_RATE,
        expr: `sum by (job, instance, v8js_gc_type) (rate(v8js_gc_duration_seconds_count[${t.gcPressure.rateWindow}]))`,
      },
      // The baseline left after GC, not heap used: heap used is a sawtooth whose slope depends on where in the
      // allocation cycle the scrapes fall; the post-GC series stays flat under a sawtooth and rises only with live data.
      { record: POST_GC_DERIV, expr: `deriv(memscope_memory_post_gc_bytes[${t.leak.derivWindow}])` },
    ],
  };
}
