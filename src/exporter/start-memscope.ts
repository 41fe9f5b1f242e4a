import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { MemoryProfiler } from '../sdk/memory-profiler.js';
import type { MemoryProfilerOptions } from '../sdk/profiler-options.js';
import { MEMSCOPE_VERSION } from '../version.js';
import { createMetricsHandler, type ExpositionSource, type MetricsHandler } from './metrics-handler.js';
import { resolveMemscopeOptions } from './memscope-options.js';
import { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';
import { createOtlpReader, type OtlpOptions } from './otlp.js';
import { PrometheusReader } from './prometheus-reader.js';
import { PhaseMetricProducer } from '../sdk/instruments/phase-metric-producer.js';
import { memscopeViews } from './views.js';
import { preloadedSlot } from '../run/shared-memscope.js';

/**
 * Options of startMemscope(): the profiler's (all but `meter`) and memscope's own. Every key is checked at start: an
 * unknown one throws MEMSCOPE_E_INVALID_OPTION naming the closest valid key (`port` → `server.port`).
 */
export interface MemscopeOptions extends Omit<MemoryProfilerOptions, 'meter' | 'phaseMetrics'> {
  /** `service.name` of the resource. @default OTEL_SERVICE_NAME, else 'unknown_service:node' */
  serviceName?: string;
  /** Extra resource attributes (merged over OTEL_RESOURCE_ATTRIBUTES). @default {} */
  resourceAttributes?: Attributes;
  /**
   * Serve /metrics on a standalone server (`{ port, host, drainTimeoutMs, bearerToken, path }`), or only build the
   * handler to mount in your own app (`false`). @default false — mount `memscope.metricsHandler`
   */
  server?: (MetricsServerOptions & { bearerToken?: string; path?: string }) | false;
  /**
   * Bearer token required by the metrics handler (or give it as `server.bearerToken`): visible ASCII without spaces.
   * `''` and `null` are rejected. @default undefined (no auth)
   */
  bearerToken?: string;
  /** Other registries (e.g. prom-client's `register`) served from the same /metrics. @default [] */
  registries?: ExpositionSource[];
  /**
   * How long a scrape waits for memscope's collection and for each other registry before serving without what is
   * late (warned about once). Keep it under Prometheus' scrape_timeout. @default 5000
   */
  collectTimeoutMs?: number;
  /**
   * Push metrics over OTLP/HTTP as well. @default true when OTEL_METRICS_EXPORTER lists `otlp`, else false
   */
  otlp?: OtlpOptions | boolean;
  /**
   * Signals on which memscope drains its server and flushes OTLP. When memscope is the only listener it re-raises the
   * signal afterwards so the process still exits as it would have. @default ['SIGTERM', 'SIGINT'] when a server is
   * started, else []
   */
  shutdownSignals?: NodeJS.Signals[];
}

export interface Memscope {
  readonly profiler: MemoryProfiler;
  readonly meterProvider: MeterProvider;
  readonly reader: PrometheusReader;
  /** Express-compatible handler for /metrics (also a node:http listener). */
  readonly metricsHandler: MetricsHandler;
  /** The standalone server, when one was asked for. */
  readonly server: MetricsServer | undefined;
  /** Stops the profiler, drains the server, flushes and shuts down the MeterProvider (OTLP included). Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * memscope owning its MeterProvider: the profiler's metrics served at /metrics (and pushed over OTLP if asked).
 * Under `memscope/register` (or `memscope run`) it returns the preloaded instance instead, with its own handler and
 * server for the serving options given (docs/run.md).
 * For a service that already runs an OpenTelemetry SDK, use `new MemoryProfiler({ meter })` with a PrometheusReader
 * added to that SDK's provider instead (docs/guides/existing-otel-sdk.md).
 */
export async function startMemscope(options: MemscopeOptions = {}): Promise<Memscope> {
  // Everything is validated first: a bad option throws before a reader, a timer or a socket exists.
  const resolved = resolveMemscopeOptions(options);
  // Under memscope/register the program shares the preloaded instance: one profiler, one report (docs/run.md).
  const preloaded = preloadedSlot();
  if (preloaded !== undefined && preloaded.ownOptions !== options) {
    const adopted = await preloaded.adopt(options);
    if (adopted !== undefined) return adopted;
  }
  // Phase series go from memscope's phase table to every reader at collection time: a phase costs no OpenTelemetry call.
  const phaseMetrics = new PhaseMetricProducer();
  const reader = new PrometheusReader({ collectTimeoutMs: options.collectTimeoutMs, metricProducers: [phaseMetrics] });
  const metricsHandler = createMetricsHandler(reader, {
    ...(resolved.bearerToken === undefined ? {} : { bearerToken: resolved.bearerToken }),
    path: resolved.path,
    registries: options.registries ?? [],
    registryTimeoutMs: options.collectTimeoutMs,
  });
  const readers: MetricReader[] = [reader];
  const otlp = resolved.otlp ?? otlpFromEnv();
  if (otlp !== false) readers.push(await createOtlpReader(otlp === true ? {} : otlp, process.env, [phaseMetrics]));
  const meterProvider = new MeterProvider({
    resource: buildResource(options),
    readers,
    views: memscopeViews({ maxPhaseNames: options.maxPhaseNames ?? 100 }),
  });
  let profiler: MemoryProfiler;
  try {
    profiler = new MemoryProfiler({ ...resolved.profiler, meter: meterProvider.getMeter('memscope', MEMSCOPE_VERSION), phaseMetrics });
  } catch (error) {
    // A bad option found by a part that validates its own (the leak detector): nothing may stay behind, an OTLP
    // reader's export timer included.
    await meterProvider.shutdown().catch(() => undefined);
    throw error;
  }
  let server: MetricsServer | undefined;
  try {
    profiler.start();
    if (resolved.server !== undefined) server = await startMetricsServer(metricsHandler, resolved.server);
  } catch (error) {
    profiler.stop();
    await meterProvider.shutdown().catch(() => undefined);
    throw error;
  }

  let pending: Promise<void> | undefined;
  const warnings = new WarnOnce();
  const shutdown = (): Promise<void> =>
    (pending ??= (async () => {
      removeSignalHandlers();
      profiler.stop();
      await server?.close();
      await meterProvider.shutdown().catch((error: unknown) => {
        warnings.warn('shutdown', 'MEMSCOPE_W_SHUTDOWN', `memscope: flushing metrics on shutdown failed: ${errorMessage(error)}`);
      });
    })());

  const signals = resolved.shutdownSignals ?? (server === undefined ? [] : ['SIGTERM', 'SIGINT']);
  const onSignal = (signal: NodeJS.Signals): void => {
    const alone = process.listenerCount(signal) === 1;
    void shutdown().then(() => {
      // Re-raise only when nobody else handles the signal: then the default action (exit) happens as without us.
      if (alone) process.kill(process.pid, signal);
    });
  };
  const removeSignalHandlers = (): void => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return { profiler, meterProvider, reader, metricsHandler, server, shutdown };
}

function otlpFromEnv(): boolean {
  const exporters = (process.env.OTEL_METRICS_EXPORTER ?? '').split(',').map((s) => s.trim());
  return exporters.includes('otlp');
}

function buildResource(options: MemscopeOptions) {
  const base = defaultResource().merge(detectResources({ detectors: [envDetector] }));
  const given: Attributes = { ...(options.resourceAttributes ?? {}) };
  if (options.serviceName !== undefined) given['service.name'] = options.serviceName;
  return base.merge(resourceFromAttributes(given));
}
