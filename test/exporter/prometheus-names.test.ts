import { DataPointType, type MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { ValueType } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PrometheusNamer, toPrometheusLabelName, toPrometheusMetricName } from '../../src/exporter/prometheus-names.js';
import {
  METRIC_BUILD_INFO,
  METRIC_EVENTLOOP_UTILIZATION,
  METRIC_LEAK_SLOPE,
  METRIC_PROBE_ERRORS,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_PROCESS_START_TIME,
  METRIC_SAMPLER_TIME,
  METRIC_V8JS_GC_DURATION,
} from '../../src/sdk/semconv.js';

const { GAUGE, SUM, HISTOGRAM } = DataPointType;

describe('toPrometheusMetricName', () => {
  it.each([
    [METRIC_PROCESS_MEMORY_USAGE, 'By', GAUGE, false, 'process_memory_usage_bytes'],
    [METRIC_V8JS_GC_DURATION, 's', HISTOGRAM, false, 'v8js_gc_duration_seconds'],
    [METRIC_EVENTLOOP_UTILIZATION, '1', GAUGE, false, 'nodejs_eventloop_utilization_ratio'],
    [METRIC_LEAK_SLOPE, 'By/s', GAUGE, false, 'memscope_leak_slope_bytes_per_second'],
    [METRIC_SAMPLER_TIME, 's', SUM, true, 'memscope_sampler_time_seconds_total'],
    [METRIC_PROBE_ERRORS, '{error}', SUM, true, 'memscope_probe_errors_total'],
    [METRIC_BUILD_INFO, '', GAUGE, false, 'memscope_build_info'],
    [METRIC_PROCESS_START_TIME, 's', GAUGE, false, 'memscope_process_start_time_seconds'],
  ] as const)('translates memscope metric %s (%s) to %s', (name, unit, type, monotonic, expected) => {
    expect(toPrometheusMetricName(name, unit, type, monotonic)).toBe(expected);
  });

  it('maps every unit of the Prometheus unit map', () => {
    const units: [string, string][] = [
      ['KiBy', 'x_kibibytes'], ['ms', 'x_milliseconds'], ['us', 'x_microseconds'], ['ns', 'x_nanoseconds'],
      ['%', 'x_percent'], ['min', 'x_minutes'], ['h', 'x_hours'], ['d', 'x_days'], ['MiBy', 'x_mebibytes'],
    ];
    for (const [unit, expected] of units) expect(toPrometheusMetricName('x', unit, GAUGE)).toBe(expected);
  });

  it('does not repeat a unit or _total the name already holds as a token', () => {
    expect(toPrometheusMetricName('http.server.duration_seconds', 's', HISTOGRAM)).toBe('http_server_duration_seconds');
    expect(toPrometheusMetricName('requests_total', '', SUM, true)).toBe('requests_total');
    expect(toPrometheusMetricName('bytes.read', 'By', SUM, true)).toBe('bytes_read_total');
    expect(toPrometheusMetricName('cpu.usage_ratio', '1', GAUGE)).toBe('cpu_usage_ratio');
  });

  it('adds a unit that is only part of a token', () => {
    expect(toPrometheusMetricName('uptimeseconds', 's', GAUGE)).toBe('uptimeseconds_seconds');
  });

  it('moves every total token of a counter to the end, as Prometheus does', () => {
    expect(toPrometheusMetricName('total.requests', '', SUM, true)).toBe('requests_total');
    expect(toPrometheusMetricName('requests.total', 's', SUM, true)).toBe('requests_seconds_total');
  });

  it('adds _ratio for unit 1 on gauges only', () => {
    expect(toPrometheusMetricName('items', '1', SUM, true)).toBe('items_total');
    expect(toPrometheusMetricName('items', '1', SUM, false)).toBe('items');
    expect(toPrometheusMetricName('items', '1', HISTOGRAM)).toBe('items');
  });

  it('drops {annotations} and keeps unknown units sanitized', () => {
    expect(toPrometheusMetricName('network.io', '{packets}', SUM, true)).toBe('network_io_total');
    expect(toPrometheusMetricName('queue.depth', '{packets}', GAUGE)).toBe('queue_depth');
    expect(toPrometheusMetricName('custom', 'custom_unit', GAUGE)).toBe('custom_custom_unit');
    expect(toPrometheusMetricName('custom', 'unit@with#special/chars', GAUGE)).toBe('custom_unit_with_special_per_chars');
    expect(toPrometheusMetricName('throughput', '{request}/s', GAUGE)).toBe('throughput_per_second');
    expect(toPrometheusMetricName('transfer', 'By/{request}', GAUGE)).toBe('transfer_bytes');
    expect(toPrometheusMetricName('rate', '1/s', GAUGE)).toBe('rate_per_second');
  });

  it('keeps an empty unit empty', () => {
    expect(toPrometheusMetricName('memscope.phase.active', '', GAUGE)).toBe('memscope_phase_active');
    expect(toPrometheusMetricName('memscope.phase.active', '  ', GAUGE)).toBe('memscope_phase_active');
  });

  it('replaces invalid characters, collapses underscores and keeps colons', () => {
    expect(toPrometheusMetricName('a-b..c__d', '', GAUGE)).toBe('a_b_c_d');
    expect(toPrometheusMetricName('.leading.and.trailing.', '', GAUGE)).toBe('leading_and_trailing');
    expect(toPrometheusMetricName('job:requests', '', GAUGE)).toBe('job:requests');
    expect(toPrometheusMetricName('métric', '', GAUGE)).toBe('m_tric');
  });

  it('prefixes a leading digit and rejects names with nothing valid left', () => {
    expect(toPrometheusMetricName('2xx.responses', '', SUM, true)).toBe('_2xx_responses_total');
    expect(toPrometheusMetricName('...', '', GAUGE)).toBe('');
    expect(toPrometheusMetricName('', '', GAUGE)).toBe('');
  });

  it('does not read prototype keys as units', () => {
    expect(toPrometheusMetricName('x', 'constructor', GAUGE)).toBe('x_constructor');
  });
});

describe('toPrometheusLabelName', () => {
  it('replaces dots and other invalid characters with underscores', () => {
    expect(toPrometheusLabelName('v8js.heap.space.name')).toBe('v8js_heap_space_name');
    expect(toPrometheusLabelName('memscope.phase.name')).toBe('memscope_phase_name');
    expect(toPrometheusLabelName('k8s-pod/name')).toBe('k8s_pod_name');
  });

  it('keeps repeated underscores, as Prometheus does for labels', () => {
    expect(toPrometheusLabelName('a..b')).toBe('a__b');
  });

  it('prefixes a leading digit with key_ and a single leading underscore with key', () => {
    expect(toPrometheusLabelName('0.status')).toBe('key_0_status');
    expect(toPrometheusLabelName('_private')).toBe('key_private');
    expect(toPrometheusLabelName('.hidden')).toBe('key_hidden');
    expect(toPrometheusLabelName('__reserved__')).toBe('__reserved__');
  });

  it('rejects keys with nothing valid left', () => {
    expect(toPrometheusLabelName('')).toBe('');
    expect(toPrometheusLabelName('..')).toBe('');
  });
});

describe('PrometheusNamer', () => {
  const descriptor = (name: string, unit: string): MetricDescriptor => ({ name, unit, description: '', valueType: ValueType.DOUBLE });

  it('caches metric names per descriptor and kind', () => {
    const namer = new PrometheusNamer();
    const memory = descriptor('process.memory.usage', 'By');
    expect(namer.metricName(memory, GAUGE, false)).toBe('process_memory_usage_bytes');
    expect(namer.metricName(memory, GAUGE, false)).toBe('process_memory_usage_bytes');
    expect(namer.metricName(memory, SUM, true)).toBe('process_memory_usage_bytes_total');
  });

  it('caches label names per key', () => {
    const namer = new PrometheusNamer();
    expect(namer.labelName('v8js.gc.type')).toBe('v8js_gc_type');
    expect(namer.labelName('v8js.gc.type')).toBe('v8js_gc_type');
    expect(namer.labelName('1st')).toBe('key_1st');
  });

  it('keeps answering correctly past its label cache bound', () => {
    const namer = new PrometheusNamer();
    for (let i = 0; i < 10_000; i++) expect(namer.labelName(`k.${i}`)).toBe(`k_${i}`);
    expect(namer.labelName('a.b')).toBe('a_b');
  });
});
