import type { Meter } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { ProfilerInstruments } from '../sdk/instruments/profiler-instruments.js';
import type { MetricsSource } from '../sdk/instruments/observe-memory.js';
import { toPrometheusMetricName } from './prometheus-names.js';

/**
 * The two ways memscope's series are named in Prometheus, and the one switch between them for dashboards and rules:
 * - `otlp` (the default): what memscope's own PrometheusReader writes and what Prometheus stores for metrics pushed
 *   over OTLP — unit suffixes (`process_memory_usage_bytes`, `v8js_gc_duration_seconds_bucket`), `_ratio` on gauges
 *   of unit 1, `_total` on counters;
 * - `otel-prometheus-exporter`: what `@opentelemetry/exporter-prometheus` (the JavaScript SDK's exporter, 0.2xx)
 *   writes — the name with invalid characters replaced, no unit suffix (`process_memory_usage`,
 *   `v8js_gc_duration_bucket`), `_total` on counters only. A service that keeps its own PrometheusExporter and
 *   records memscope on its provider is scraped under these names.
 */
export type MetricNaming = 'otlp' | 'otel-prometheus-exporter';

export const METRIC_NAMINGS: readonly MetricNaming[] = ['otlp', 'otel-prometheus-exporter'];

/** One memscope instrument as the SDK sees it. */
export interface MetricShape {
  readonly name: string;
  readonly unit: string;
  readonly type: DataPointType;
  readonly monotonic: boolean;
}

/**
 * Every instrument a MemoryProfiler creates on a Meter (phase series and runtime instruments included), read from
 * the instruments themselves through a Meter that only writes down what is created — so this list cannot drift from
 * what memscope records.
 */
export function memscopeMetricShapes(): MetricShape[] {
  const shapes: MetricShape[] = [];
  const instrument = { add: () => undefined, record: () => undefined, addCallback: () => undefined, removeCallback: () => undefined };
  const create = (type: DataPointType, monotonic: boolean) => (name: string, options: { unit?: string } = {}) => {
    shapes.push({ name, unit: options.unit ?? '', type, monotonic });
    return instrument;
  };
  const meter = {
    createHistogram: create(DataPointType.HISTOGRAM, false),
    createCounter: create(DataPointType.SUM, true),
    createUpDownCounter: create(DataPointType.SUM, false),
    createGauge: create(DataPointType.GAUGE, false),
    createObservableGauge: create(DataPointType.GAUGE, false),
    createObservableCounter: create(DataPointType.SUM, true),
    createObservableUpDownCounter: create(DataPointType.SUM, false),
    addBatchObservableCallback: () => undefined,
    removeBatchObservableCallback: () => undefined,
  } as unknown as Meter;
  // Nothing is read before a collection, and this meter never collects.
  new ProfilerInstruments(meter, {} as MetricsSource, { phasesOnMeter: true, runtimeMetrics: true });
  return shapes;
}

// exporter-prometheus' sanitizePrometheusMetricName (PrometheusSerializer.ts), rule for rule.
const EXPORTER_INVALID_CHARS = /[^a-z0-9_]/gi;
const EXPORTER_MULTIPLE_UNDERSCORES = /_{2,}/g;

/**
 * The name `@opentelemetry/exporter-prometheus` gives a metric: invalid characters become `_` (runs collapse), a
 * leading digit gets `_`, a monotonic sum ends in `_total`; the unit is never added.
 */
export function toOtelExporterMetricName(name: string, type: DataPointType, monotonic: boolean): string {
  let out = name.replace(EXPORTER_INVALID_CHARS, '_').replace(EXPORTER_MULTIPLE_UNDERSCORES, '_');
  if (out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57) out = `_${out}`;
  if (type === DataPointType.SUM && monotonic && !out.endsWith('_total')) out = `${out}_total`;
  return out;
}

/**
 * Sample names under `otlp` naming -> the same samples under `naming` (histograms with `_bucket`, `_sum`,
 * `_count`). Empty for `otlp`.
 */
export function seriesRenames(naming: MetricNaming): ReadonlyMap<string, string> {
  const renames = new Map<string, string>();
  if (naming === 'otlp') return renames;
  for (const shape of memscopeMetricShapes()) {
    const from = toPrometheusMetricName(shape.name, shape.unit, shape.type, shape.monotonic);
    const to = toOtelExporterMetricName(shape.name, shape.type, shape.monotonic);
    if (from === to) continue;
    renames.set(from, to);
    if (shape.type === DataPointType.HISTOGRAM) {
      for (const suffix of ['_bucket', '_sum', '_count']) renames.set(`${from}${suffix}`, `${to}${suffix}`);
    }
  }
  return renames;
}

// A PromQL metric name (recording-rule names with colons included, which therefore never match a memscope name).
const IDENTIFIER = /[A-Za-z_:][A-Za-z0-9_:]*/g;

/**
 * `text` (a PromQL expression, a rule file, a dashboard's JSON) with every memscope series name written the way
 * `naming` writes it. Whole names only: `process_memory_usage_bytes_total` or a label named like a metric is left
 * alone unless it is itself a memscope sample name.
 */
export function renameSeries(text: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return text;
  return text.replace(IDENTIFIER, (token) => renames.get(token) ?? token);
}
