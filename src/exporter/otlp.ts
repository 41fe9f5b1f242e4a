import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { invalidOption } from '../internal/errors.js';
import { intOption, oneOf } from '../internal/validate.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpOptions {
  /**
   * The metrics endpoint, e.g. http://collector:4318/v1/metrics.
   * @default OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/metrics, else http://localhost:4318/v1/metrics
   */
  url?: string;
  /** @default OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else 'http/protobuf' */
  protocol?: OtlpProtocol;
  /** Headers sent with every export. @default parsed from OTEL_EXPORTER_OTLP_(METRICS_)HEADERS by the exporter */
  headers?: Record<string, string>;
  /** @default OTEL_METRIC_EXPORT_INTERVAL, else 60000 */
  intervalMs?: number;
  /** At most intervalMs. @default OTEL_METRIC_EXPORT_TIMEOUT, else 30000 or intervalMs when that is shorter */
  timeoutMs?: number;
}

/**
 * Creates a periodic OTLP/HTTP reader for fleets that outgrow scraping. The exporter packages are loaded only here,
 * so `import 'memscope'` does not load them for services that never push. Standard OTEL_* variables are honoured;
 * explicit options win over them. gRPC is not offered (it would pull in @grpc/grpc-js); collectors accept both
 * HTTP encodings on port 4318.
 */
export async function createOtlpReader(options: OtlpOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<MetricReader> {
  const envProtocol = env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (options.protocol === undefined && envProtocol === 'grpc') {
    throw invalidOption('OTEL_EXPORTER_OTLP_PROTOCOL', "'http/protobuf' or 'http/json' (memscope does not ship gRPC)", envProtocol);
  }
  const protocol = oneOf<OtlpProtocol>('otlp.protocol', options.protocol ?? envProtocol, 'http/protobuf', ['http/protobuf', 'http/json']);
  const intervalMs = intOption('otlp.intervalMs', options.intervalMs ?? envInt(env, 'OTEL_METRIC_EXPORT_INTERVAL'), 60_000, 100, 86_400_000);
  // A short interval shortens the default timeout with it; only a timeout someone set can be inconsistent.
  const timeoutField = options.timeoutMs === undefined && env.OTEL_METRIC_EXPORT_TIMEOUT !== undefined ? 'OTEL_METRIC_EXPORT_TIMEOUT' : 'otlp.timeoutMs';
  const timeoutMs = intOption(`${timeoutField} (at most the export interval)`, options.timeoutMs ?? envInt(env, 'OTEL_METRIC_EXPORT_TIMEOUT'), Math.min(30_000, intervalMs), 100, intervalMs);
  const exporterConfig = {
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    timeoutMillis: timeoutMs,
  };
  const { PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const exporter = protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(exporterConfig)
    : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(exporterConfig);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs });
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidOption(name, 'an integer number of milliseconds', raw);
  return value;
}
