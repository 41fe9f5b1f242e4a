import type { MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import { invalidOption, MemscopeError } from '../internal/errors.js';
import { intOption, objectOption, oneOf, optionKeys, rejectUnknownKeys } from '../internal/validate.js';

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

export const OTLP_OPTION_KEYS = optionKeys<OtlpOptions>()(['url', 'protocol', 'headers', 'intervalMs', 'timeoutMs']);

export interface ResolvedOtlpOptions {
  url: string | undefined;
  protocol: OtlpProtocol;
  headers: Record<string, string> | undefined;
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Validates OTLP options (and the OTEL_* variables they fall back to) without loading the exporter packages, so
 * startMemscope() can reject a bad option before it starts anything. `path` prefixes the fields in messages.
 */
export function resolveOtlpOptions(options: unknown, env: NodeJS.ProcessEnv = process.env, path = 'otlp'): ResolvedOtlpOptions {
  const o = objectOption(path, options) as OtlpOptions;
  rejectUnknownKeys(o, OTLP_OPTION_KEYS, path);
  const envProtocol = env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (o.protocol === undefined && envProtocol === 'grpc') {
    throw invalidOption('OTEL_EXPORTER_OTLP_PROTOCOL', "'http/protobuf' or 'http/json' (memscope does not ship gRPC)", envProtocol);
  }
  const protocol = oneOf<OtlpProtocol>(`${path}.protocol`, o.protocol ?? envProtocol, 'http/protobuf', ['http/protobuf', 'http/json']);
  const intervalMs = intOption(`${path}.intervalMs`, o.intervalMs ?? envInt(env, 'OTEL_METRIC_EXPORT_INTERVAL'), 60_000, 100, 86_400_000);
  // A short interval shortens the default timeout with it; only a timeout someone set can be inconsistent.
  const timeoutField = o.timeoutMs === undefined && env.OTEL_METRIC_EXPORT_TIMEOUT !== undefined ? 'OTEL_METRIC_EXPORT_TIMEOUT' : `${path}.timeoutMs`;
  const timeoutMs = intOption(`${timeoutField} (at most the export interval)`, o.timeoutMs ?? envInt(env, 'OTEL_METRIC_EXPORT_TIMEOUT'), Math.min(30_000, intervalMs), 100, intervalMs);
  return { url: urlOption(`${path}.url`, o.url), protocol, headers: headersOption(`${path}.headers`, o.headers), intervalMs, timeoutMs };
}

/**
 * Creates a periodic OTLP/HTTP reader for fleets that outgrow scraping. The exporter packages are loaded only here,
 * so `import 'memscope'` does not load them for services that never push. Standard OTEL_* variables are honoured;
 * explicit options win over them. gRPC is not offered (it would pull in @grpc/grpc-js); collectors accept both
 * HTTP encodings on port 4318. `metricProducers` are served besides the provider's metrics (startMemscope() passes its
 * PhaseMetricProducer).
 */
export async function createOtlpReader(options: OtlpOptions = {}, env: NodeJS.ProcessEnv = process.env, metricProducers: MetricProducer[] = []): Promise<MetricReader> {
  const { url, protocol, headers, intervalMs, timeoutMs } = resolveOtlpOptions(options, env);
  const exporterConfig = {
    ...(url === undefined ? {} : { url }),
    ...(headers === undefined ? {} : { headers }),
    timeoutMillis: timeoutMs,
  };
  const { PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const exporter = protocol === 'http/json'
    ? new (await importExporter('@opentelemetry/exporter-metrics-otlp-http', () => import('@opentelemetry/exporter-metrics-otlp-http'))).OTLPMetricExporter(exporterConfig)
    : new (await importExporter('@opentelemetry/exporter-metrics-otlp-proto', () => import('@opentelemetry/exporter-metrics-otlp-proto'))).OTLPMetricExporter(exporterConfig);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs, metricProducers });
}

/**
 * The OTLP exporters are optional peer dependencies: a service that only serves /metrics installs none of their ~40
 * packages, and the exporters pin an exact @opentelemetry/sdk-metrics, which would put a second copy beside the
 * application's own. Pushing OTLP without the one its protocol needs is a configuration error, said at start.
 */
async function importExporter<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (error as Error).message.includes(name)) {
      throw new MemscopeError(
        'MEMSCOPE_E_INVALID_OPTION',
        `otlp: pushing OTLP needs ${name}, an optional peer dependency of memscope: npm install ${name}@${OTLP_EXPORTER_RANGE}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The exporter line that matches the @opentelemetry/sdk-metrics 2.x line memscope depends on. */
export const OTLP_EXPORTER_RANGE = '^0.223.0';

/** An http(s) URL; a typo here would otherwise fail only at the first export, a minute after start. */
function urlOption(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = typeof value === 'string' ? new URL(value).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw invalidOption(field, 'an http:// or https:// URL', value);
  return value as string;
}

/** Header names are HTTP tokens and values visible text: anything else makes every export fail with a Node error. */
function headersOption(field: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const headers = objectOption(field, value);
  for (const [name, v] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalidOption(`${field} name`, 'an HTTP header name', name);
    if (typeof v !== 'string' || !/^[\t\x20-\x7e\x80-\xff]*$/.test(v)) throw invalidOption(`${field}[${JSON.stringify(name)}]`, 'a header value (a string without control characters)', v);
  }
  return headers as Record<string, string>;
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidOption(name, 'an integer number of milliseconds', raw);
  return value;
}
