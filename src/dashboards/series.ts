/**
 * Every Prometheus series the dashboards query, by the name Prometheus stores. They come from four places, and
 * test/dashboards/series.test.ts checks each name against its source, so a rename breaks a test, never a panel:
 *   - memscope's exposition (test/golden/exposition.txt; histograms add `_bucket`, `_sum`, `_count`);
 *   - the recording rules (deploy/prometheus/rules/memscope-recording.yml, `level:metric:operations`);
 *   - Prometheus itself (`up`, `ALERTS`);
 *   - k6's Prometheus remote-write output (test/fixtures/k6-remote-write-series.json).
 */

// memscope (docs/metrics.md)
export const RSS = 'process_memory_usage_bytes';
export const MAX_RSS = 'memscope_process_memory_max_rss_bytes';
export const START_TIME = 'memscope_process_start_time_seconds';
export const HEAP_USED = 'v8js_memory_heap_used_bytes';
export const HEAP_SPACE_SIZE = 'v8js_memory_heap_space_size_bytes';
export const HEAP_LIMIT = 'memscope_v8js_memory_heap_limit_bytes';
export const EXTERNAL = 'memscope_memory_external_bytes';
export const ARRAY_BUFFERS = 'memscope_memory_array_buffers_bytes';
export const CONTAINER_LIMIT = 'memscope_container_memory_limit_bytes';
export const GC_DURATION = 'v8js_gc_duration_seconds';
export const POST_GC = 'memscope_memory_post_gc_bytes';
export const EVENTLOOP_DELAY_P50 = 'nodejs_eventloop_delay_p50_seconds';
export const EVENTLOOP_DELAY_P99 = 'nodejs_eventloop_delay_p99_seconds';
export const EVENTLOOP_DELAY_MAX = 'nodejs_eventloop_delay_max_seconds';
export const EVENTLOOP_UTILIZATION = 'nodejs_eventloop_utilization_ratio';
export const PHASE_DURATION = 'memscope_phase_duration_seconds';
export const PHASE_DELTA = 'memscope_phase_memory_delta_bytes';
export const PHASE_PEAK = 'memscope_phase_memory_peak_bytes';
export const PHASE_ACTIVE = 'memscope_phase_active';
export const PHASE_MISUSE = 'memscope_phase_misuse_total';
export const LEAK_SLOPE = 'memscope_leak_slope_bytes_per_second';
export const LEAK_SUSPECTED = 'memscope_leak_suspected';
export const LEAK_CONFIDENCE = 'memscope_leak_confidence_ratio';
export const LEAK_VERDICT = 'memscope_leak_verdict';
export const EXHAUSTION_FORECAST = 'memscope_memory_exhaustion_forecast_seconds';
export const SAMPLER_TIME = 'memscope_sampler_time_seconds_total';
export const PROBE_ERRORS = 'memscope_probe_errors_total';
export const BUILD_INFO = 'memscope_build_info';

// Recording rules (src/monitoring/recording-rules.ts)
export const RULE_RSS_OF_CONTAINER_LIMIT = 'instance:memscope_rss_used_ratio:container_limit';
export const RULE_HEAP_OF_LIMIT = 'instance:memscope_heap_used_ratio:limit';

// Prometheus
export const UP = 'up';
export const ALERTS = 'ALERTS';

// k6, `experimental-prometheus-rw` output with K6_PROMETHEUS_RW_TREND_STATS=p(50),p(95),p(99),min,max (compose.yaml)
export const K6_VUS = 'k6_vus';
export const K6_VUS_MAX = 'k6_vus_max';
export const K6_HTTP_REQS = 'k6_http_reqs_total';
export const K6_HTTP_REQ_FAILED = 'k6_http_req_failed_rate';
export const K6_CHECKS = 'k6_checks_rate';
export const K6_ITERATIONS = 'k6_iterations_total';
/** A k6 trend is written as one gauge per configured statistic: `k6_<metric>_<stat>`, time values in seconds. */
export const k6TrendStat = (metric: 'http_req_duration' | 'onboarding_job_duration', stat: 'p50' | 'p95' | 'p99' | 'max'): string =>
  `k6_${metric}_${stat}`;
