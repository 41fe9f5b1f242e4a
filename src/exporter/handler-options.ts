import { invalidOption } from '../internal/errors.js';
import { intOption, objectOption, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import type { ExpositionSource, MetricsHandlerOptions } from './metrics-handler.js';

export interface ResolvedHandlerOptions {
  path: string;
  bearerToken: string | undefined;
  registries: ExpositionSource[];
  gzipMinBytes: number;
  registryTimeoutMs: number;
}

export const HANDLER_OPTION_KEYS = optionKeys<MetricsHandlerOptions>()(['path', 'bearerToken', 'registries', 'gzipMinBytes', 'registryTimeoutMs']);

/** Registries merged into one endpoint: more is a mistake (each renders on every scrape), not a use. */
const MAX_REGISTRIES = 64;

/**
 * Validates createMetricsHandler()'s source and options at construction — before, a bad `path`, `registries` or
 * `gzipMinBytes` surfaced only at the first scrape, as a 500 or a handler that never matched.
 */
export function resolveHandlerOptions(source: unknown, options: unknown): ResolvedHandlerOptions {
  exposition('source', source);
  const o = objectOption('options', options);
  rejectUnknownKeys(o, HANDLER_OPTION_KEYS);
  const registries = o.registries ?? [];
  if (!Array.isArray(registries) || registries.length > MAX_REGISTRIES) {
    throw invalidOption('registries', `an array of at most ${MAX_REGISTRIES} registries`, registries);
  }
  registries.forEach((registry, i) => {
    exposition(`registries[${i}]`, registry);
  });
  return {
    path: pathOption('path', o.path),
    bearerToken: bearerTokenOption('bearerToken', o.bearerToken),
    registries: registries as ExpositionSource[],
    gzipMinBytes: intOption('gzipMinBytes', o.gzipMinBytes, 1024, 0, Number.MAX_SAFE_INTEGER),
    registryTimeoutMs: intOption('registryTimeoutMs', o.registryTimeoutMs, 5000, 1, 600_000),
  };
}

/** Something that renders Prometheus text: an object with a render() or a metrics() method. */
function exposition(field: string, value: unknown): void {
  const v = value as { render?: unknown; metrics?: unknown } | null;
  if (typeof v !== 'object' || v === null || (typeof v.render !== 'function' && typeof v.metrics !== 'function')) {
    throw invalidOption(field, 'a metrics source with a render() or metrics() method (a PrometheusReader, a prom-client Registry)', value);
  }
}

/** Tokens are compared after trimming the header, so a token is visible ASCII without spaces (RFC 6750's b64token and more). */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * A bearer token, or undefined for no auth. Only a missing option (or `undefined`) turns auth off: `null` or `''`
 * there is a configuration mistake (`process.env.TOKEN ?? null`, an empty variable) — `''` or `' '` would lock every
 * scraper out, `null` would silently serve metrics without auth, a number would fail with a Node type error.
 */
export function bearerTokenOption(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw invalidOption(field, 'a token of 1 to 4096 visible ASCII characters without spaces (leave it out for no auth)', value);
  }
  return value;
}

/** The served path: absolute, without a query, a fragment, spaces or control characters. */
export function pathOption(field: string, value: unknown): string {
  const v = value ?? '/metrics';
  if (typeof v !== 'string' || !/^\/[\x21-\x7e]{0,1023}$/.test(v) || v.includes('?') || v.includes('#')) {
    throw invalidOption(field, "a path starting with '/', without '?', '#', spaces or control characters, at most 1024 characters", v);
  }
  return v;
}
