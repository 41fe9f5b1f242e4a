import { ValueType, type HrTime } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type CollectionResult, type MetricData, type MetricDescriptor, type MetricProducer } from '@opentelemetry/sdk-metrics';
import * as S from '../semconv.js';
import { MEMSCOPE_VERSION } from '../../version.js';
import type { PhaseSlot } from '../phases/phase-stats.js';

/** What the producer reads: the profiler's phase table, and whether the profiler still observes memory. */
export interface PhaseMetricSource {
  forEachPhase(fn: (slot: PhaseSlot) => void): void;
  /** False once the profiler stopped: the memory gauges stop, the histogram and the running count stay. */
  observing(): boolean;
}

const descriptor = (name: string, description: string, unit: string): MetricDescriptor =>
  Object.freeze({ name, description, unit, valueType: ValueType.DOUBLE });

/** The phase series' descriptors; the same objects at every collection (the serializer caches per descriptor). */
export const PHASE_DESCRIPTORS = {
  duration: descriptor(S.METRIC_PHASE_DURATION, 'Duration of completed processing phases.', 's'),
  active: descriptor(S.METRIC_PHASE_ACTIVE, 'Processing phases running now.', '{phase}'),
  delta: descriptor(S.METRIC_PHASE_MEMORY_DELTA, 'Memory at the end minus memory at the start of the most recent completed instance of the phase.', 'By'),
  peak: descriptor(S.METRIC_PHASE_MEMORY_PEAK, 'Highest memory seen during the most recent completed instance of the phase.', 'By'),
} as const;

/**
 * Phase metrics handed to OpenTelemetry at collection time, straight from memscope's phase table: a phase costs the
 * request path no OpenTelemetry call at all (no synchronous recording, no attribute hashing), and a collection builds
 * each series once from fields the table already holds, with attribute objects made once per phase name.
 *
 * Add it to the `metricProducers` of every reader that should export phase metrics (a PrometheusReader, an OTLP
 * PeriodicExportingMetricReader), and give it to the profiler as `phaseMetrics`. startMemscope() does both. The series
 * are the ones a Meter would carry — same names, types, units, labels and values; the histogram is cumulative.
 */
export class PhaseMetricProducer implements MetricProducer {
  private source: PhaseMetricSource | undefined;

  /** @internal Called by the profiler that records into this producer. */
  attach(source: PhaseMetricSource): void {
    this.source = source;
  }

  /** @internal Whether a profiler records into it. */
  get attached(): boolean {
    return this.source !== undefined;
  }

  collect(): Promise<CollectionResult> {
    try {
      return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics: this.scopeMetrics() }, errors: [] });
    } catch (error) {
      return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics: [] }, errors: [error] });
    }
  }

  private scopeMetrics(): CollectionResult['resourceMetrics']['scopeMetrics'] {
    const source = this.source;
    if (source === undefined) return [];
    const endTime = hrTime(performance.timeOrigin + performance.now());
    const observing = source.observing();
    const duration: MetricData & { dataPointType: DataPointType.HISTOGRAM } = {
      descriptor: PHASE_DESCRIPTORS.duration, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints: [],
    };
    const active: MetricData & { dataPointType: DataPointType.SUM } = {
      descriptor: PHASE_DESCRIPTORS.active, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: false, dataPoints: [],
    };
    const delta: MetricData & { dataPointType: DataPointType.GAUGE } = {
      descriptor: PHASE_DESCRIPTORS.delta, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [],
    };
    const peak: MetricData & { dataPointType: DataPointType.GAUGE } = {
      descriptor: PHASE_DESCRIPTORS.peak, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [],
    };
    source.forEachPhase((slot) => {
      const startTime = hrTime(slot.createdAt);
      active.dataPoints.push({ startTime, endTime, attributes: slot.attrs, value: slot.active });
      const counts = slot.bucketCounts;
      if (slot.count === 0 || counts === undefined) return;
      duration.dataPoints.push({
        startTime,
        endTime,
        attributes: slot.attrs,
        value: {
          buckets: { boundaries: slot.bounds as number[], counts: Array.from(counts) },
          sum: slot.sumSeconds,
          count: slot.count,
          min: slot.minMs / 1000,
          max: slot.maxMs / 1000,
        },
      });
      if (!observing) return;
      gauge(delta, slot.heapAttrs, slot.endHeapUsed - slot.startHeapUsed, startTime, endTime);
      gauge(delta, slot.rssAttrs, slot.endRss - slot.startRss, startTime, endTime);
      gauge(peak, slot.heapAttrs, slot.lastPeakHeapUsed, startTime, endTime);
      gauge(peak, slot.rssAttrs, slot.lastPeakRss, startTime, endTime);
    });
    const metrics: MetricData[] = [];
    for (const m of [duration, active, delta, peak]) if (m.dataPoints.length > 0) metrics.push(m);
    return metrics.length === 0 ? [] : [{ scope: { name: 'memscope', version: MEMSCOPE_VERSION }, metrics }];
  }
}

/** A gauge point, unless a failed probe left the figure non-finite (a skipped series beats a made-up number). */
function gauge(metric: { dataPoints: MetricData['dataPoints'] }, attributes: PhaseSlot['attrs'], value: number, startTime: HrTime, endTime: HrTime): void {
  if (Number.isFinite(value)) (metric.dataPoints as Array<{ startTime: HrTime; endTime: HrTime; attributes: PhaseSlot['attrs']; value: number }>).push({ startTime, endTime, attributes, value });
}

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.min(999_999_999, Math.round((epochMs - seconds * 1000) * 1e6))];
}
