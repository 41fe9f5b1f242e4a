import { MeterProvider, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { memscopeViews } from '../../src/exporter/views.js';

/** A MeterProvider of the test's own (no global state) with memscope's views and a pull reader. */
export function testMeterProvider(options: { maxPhaseNames?: number } = {}): {
  provider: MeterProvider;
  reader: PrometheusReader;
  collect: () => Promise<ResourceMetrics>;
} {
  const reader = new PrometheusReader();
  const provider = new MeterProvider({ readers: [reader], views: memscopeViews(options) });
  return { provider, reader, collect: () => reader.collectResourceMetrics() };
}

export function findMetric(rm: ResourceMetrics, name: string): MetricData | undefined {
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) if (metric.descriptor.name === name) return metric;
  }
  return undefined;
}

/** Value of a gauge/sum point matching `attrs` (all given keys equal), or undefined. */
export function pointValue(rm: ResourceMetrics, name: string, attrs: Record<string, string> = {}): number | undefined {
  const metric = findMetric(rm, name);
  if (metric === undefined || metric.dataPointType === DataPointType.HISTOGRAM || metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return undefined;
  const point = metric.dataPoints.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  return point?.value;
}

/** The count of a histogram point matching `attrs`. */
export function histogramCount(rm: ResourceMetrics, name: string, attrs: Record<string, string> = {}): number | undefined {
  const metric = findMetric(rm, name);
  if (metric?.dataPointType !== DataPointType.HISTOGRAM) return undefined;
  const point = metric.dataPoints.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  return point?.value.count;
}
