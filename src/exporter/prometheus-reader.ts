import { MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from './prometheus-serializer.js';

export interface PrometheusReaderOptions {
  /**
   * Emit `target_info` with the resource attributes, as Prometheus' own OTLP ingestion does.
   * @default true
   */
  targetInfo?: boolean;
}

/**
 * A pull MetricReader: add it to a MeterProvider's `readers` (sdk-metrics 2.x takes readers only in the
 * constructor) and serve `render()` — or mount createMetricsHandler(reader) — at /metrics. Names are translated the
 * way Prometheus' OTLP ingestion translates them, so dashboards work the same whether metrics are scraped or pushed.
 */
export class PrometheusReader extends MetricReader {
  private readonly serializer: PrometheusSerializer;
  private shutDown = false;
  /** Errors reported by the SDK's collection (e.g. a throwing callback), counted for diagnosis. */
  collectionErrors = 0;

  constructor(options: PrometheusReaderOptions = {}) {
    super();
    this.serializer = new PrometheusSerializer({ targetInfo: options.targetInfo ?? true });
  }

  /** Whether the reader was shut down (its provider was, or it was directly). Scrapes then answer 503. */
  get isShutdown(): boolean {
    return this.shutDown;
  }

  /** Collects and serializes in the Prometheus text format 0.0.4. */
  async render(): Promise<string> {
    const { resourceMetrics, errors } = await this.collect();
    this.collectionErrors += errors.length;
    return this.serializer.serialize(resourceMetrics);
  }

  /** Collects without serializing (for tests and other serializers). */
  async collectResourceMetrics(): Promise<ResourceMetrics> {
    return (await this.collect()).resourceMetrics;
  }

  protected override onShutdown(): Promise<void> {
    this.shutDown = true;
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
