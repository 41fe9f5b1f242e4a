import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { mergeExpositions } from './merge-expositions.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-serializer.js';

const gzipAsync = promisify(gzip);

/** Anything that renders Prometheus text: memscope's reader, or a prom-client Registry. */
export interface ExpositionSource {
  metrics?(): Promise<string> | string;
  render?(): Promise<string>;
  /** Set by PrometheusReader: scrapes of a shut-down reader answer 503. */
  readonly isShutdown?: boolean;
}

export interface MetricsHandlerOptions {
  /** The path served; other paths go to `next` (Express) or get 404. @default '/metrics' */
  path?: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. @default undefined (no auth) */
  bearerToken?: string;
  /**
   * Other registries to serve from the same endpoint, e.g. an existing prom-client `register`. A family whose name
   * memscope already serves is dropped from theirs (Prometheus rejects a scrape with a name twice) with a warning.
   * @default []
   */
  registries?: ExpositionSource[];
  /** Compress with gzip when the scraper accepts it (Prometheus does) and the body is larger than this. @default 1024 */
  gzipMinBytes?: number;
}

/** An Express-compatible middleware (also a plain node:http request listener). */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Serves metrics at `path`. Mount it in an existing app (`app.use(handler)`) or give it to startMetricsServer().
 * Never throws into the host: a failed render answers 500 with the reason, a stopped reader 503.
 */
export function createMetricsHandler(source: ExpositionSource, options: MetricsHandlerOptions = {}): MetricsHandler {
  const path = options.path ?? '/metrics';
  const token = options.bearerToken === undefined ? undefined : Buffer.from(`Bearer ${options.bearerToken}`);
  const registries = options.registries ?? [];
  const gzipMinBytes = options.gzipMinBytes ?? 1024;
  const warnings = new WarnOnce();

  return (req, res, next) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== path) {
      if (next !== undefined) next();
      else reply(res, 404, 'Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      reply(res, 405, 'Method Not Allowed\n');
      return;
    }
    if (token !== undefined && !authorized(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      reply(res, 401, 'Unauthorized\n');
      return;
    }
    if (source.isShutdown === true) {
      reply(res, 503, 'memscope is stopped: no metrics to serve\n');
      return;
    }
    void render(source, registries, warnings)
      .then(async (body) => {
        const accepts = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
        if (accepts && Buffer.byteLength(body) > gzipMinBytes) {
          const compressed = await gzipAsync(body);
          res.setHeader('Content-Encoding', 'gzip');
          reply(res, 200, compressed, req.method === 'HEAD');
        } else {
          reply(res, 200, body, req.method === 'HEAD');
        }
      })
      .catch((error: unknown) => {
        reply(res, 500, `memscope could not render metrics: ${errorMessage(error)}\n`);
      });
  };
}

async function render(source: ExpositionSource, registries: ExpositionSource[], warnings: WarnOnce): Promise<string> {
  const own = await renderOne(source);
  if (registries.length === 0) return own;
  const others = await Promise.all(registries.map(renderOne));
  return mergeExpositions(own, others, (name) =>
    warnings.warn(`dup:${name}`, 'MEMSCOPE_W_DUPLICATE_METRIC', `memscope: metric "${name}" is served by memscope and by another registry; the other registry's copy is dropped`),
  );
}

async function renderOne(source: ExpositionSource): Promise<string> {
  if (typeof source.render === 'function') return source.render();
  if (typeof source.metrics === 'function') return source.metrics();
  throw new TypeError('a metrics source must have render() or metrics()');
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: ServerResponse, status: number, body: string | Buffer, headOnly = false): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', status === 200 ? PROMETHEUS_CONTENT_TYPE : 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(headOnly ? undefined : body);
}
