import { MetricReader, type MetricProducer, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { invalidOption } from '../internal/errors.js';
import { errorMessage } from '../internal/errors.js';
import { boolOption, intOption, objectOption, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import { WarnOnce } from '../internal/warnings.js';
import { PrometheusSerializer, type PrometheusDropReason } from './prometheus-serializer.js';

export interface PrometheusReaderOptions {
  /**
   * Emit `target_info` with the resource attributes, as Prometheus' own OTLP ingestion does.
   * @default true
   */
  targetInfo?: boolean;
  /**
   * How long one collection may take before render() gives up on the slow parts (an observable callback that hangs).
   * Keep it under Prometheus' scrape_timeout (10 s by default). Milliseconds, 1 to 600000. @default 5000
   */
  collectTimeoutMs?: number;
  /**
   * Producers whose metrics this reader serves besides its provider's, such as the PhaseMetricProducer a profiler
   * records phases into (startMemscope() adds its own). At most 16.
   * @default []
   */
  metricProducers?: MetricProducer[];
}

const READER_OPTION_KEYS = optionKeys<PrometheusReaderOptions>()(['targetInfo', 'collectTimeoutMs', 'metricProducers']);

/** Data points serialized between two looks at the clock (a histogram point is ~20 samples: ~25 µs). */
const RENDER_CHUNK_POINTS = 64;
/** The longest stretch of serializing before the render lets the event loop run (docs/benchmarks.md measures it). */
const RENDER_SLICE_MS = 4;

function conflictMessage(name: string, reason: PrometheusDropReason): string {
  const what = reason === 'duplicate-series'
    ? 'two instrumentation scopes recorded the same series; the later copy is left out'
    : `left out of the exposition (${reason})`;
  const hint = reason === 'duplicate-series' || reason === 'type-mismatch'
    ? '; with @opentelemetry/instrumentation-runtime-node on the same provider, give the MemoryProfiler runtimeMetrics: false'
    : '';
  return `memscope: metric "${name}": ${what}${hint}`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => { setImmediate(resolve); });
}

/**
 * A pull MetricReader: add it to a MeterProvider's `readers` (sdk-metrics 2.x takes readers only in the
 * constructor) and serve `render()` — or mount createMetricsHandler(reader) — at /metrics. Names are translated the
 * way Prometheus' OTLP ingestion translates them, so dashboards work the same whether metrics are scraped or pushed.
 */
export class PrometheusReader extends MetricReader {
  private readonly serializer: PrometheusSerializer;
  private readonly collectTimeoutMs: number;
  private shutDown = false;
  private readonly warnings = new WarnOnce();
  /** Errors reported by the SDK's collection (e.g. a throwing callback), counted for diagnosis. */
  collectionErrors = 0;

  constructor(options: PrometheusReaderOptions = {}) {
    const o = objectOption('options', options);
    rejectUnknownKeys(o, READER_OPTION_KEYS);
    const targetInfo = boolOption('targetInfo', o.targetInfo, true);
    const collectTimeoutMs = intOption('collectTimeoutMs', o.collectTimeoutMs, 5000, 1, 600_000);
    super({ metricProducers: producersOption(o.metricProducers) });
    // A dropped family or series is never silent: two instrumentations exporting one name (memscope and
    // @opentelemetry/instrumentation-runtime-node, say) is a setup to fix, and the warning says how.
    this.serializer = new PrometheusSerializer({
      targetInfo,
      onConflict: (name, reason) => {
        this.warnings.warn(`conflict:${name}:${reason}`, 'MEMSCOPE_W_METRIC_CONFLICT', conflictMessage(name, reason));
      },
    });
    this.collectTimeoutMs = collectTimeoutMs;
  }

  /** Whether the reader was shut down (its provider was, or it was directly). Scrapes then answer 503. */
  get isShutdown(): boolean {
    return this.shutDown;
  }

  /**
   * Collects and serializes in the Prometheus text format 0.0.4. A collection error (a throwing or timed-out
   * callback) leaves out only what failed; it is counted in `collectionErrors` and warned about once.
   */
  async render(): Promise<string> {
    const rm = await this.collectResourceMetrics();
    // In pieces, yielding to the event loop whenever one stretch of serializing has run RENDER_SLICE_MS: a render of
    // thousands of series (1,000 phase names are ~24,000 samples) must not hold up the service's requests for its whole
    // length. A small exposition is one stretch and never yields.
    let out = '';
    let sliceStart = performance.now();
    for (const chunk of this.serializer.chunks(rm, RENDER_CHUNK_POINTS)) {
      out += chunk;
      if (performance.now() - sliceStart >= RENDER_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return out;
  }

  /** Collects without serializing (for tests and other serializers). */
  async collectResourceMetrics(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.collect({ timeoutMillis: this.collectTimeoutMs });
    if (errors.length > 0) {
      this.collectionErrors += errors.length;
      this.warnings.warn('collect', 'MEMSCOPE_W_COLLECT', `memscope: collecting metrics reported ${errors.length} error(s), e.g. ${errorMessage(errors[0])}; the rest was served`);
    }
    return resourceMetrics;
  }

  protected override onShutdown(): Promise<void> {
    this.shutDown = true;
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

function producersOption(value: unknown): MetricProducer[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 16 || !value.every((p) => typeof (p as Partial<MetricProducer> | null)?.collect === 'function')) {
    throw invalidOption('metricProducers', 'an array of at most 16 MetricProducers (objects with a collect() method)', value);
  }
  return value as MetricProducer[];
}
