import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip } from 'node:zlib';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { resolveHandlerOptions } from './handler-options.js';
import { mergeExpositions } from './merge-expositions.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-serializer.js';

const gzipAsync = promisify(gzip);
/**
 * zlib's fastest level: on exposition text it compresses about as well as the default level 6 (the body is repetitive
 * names and labels) for a fraction of the CPU, which a scrape takes from the service's core. docs/benchmarks.md
 * measures both levels and identity.
 */
const GZIP_OPTIONS = { level: zlibConstants.Z_BEST_SPEED };

/** Anything that renders Prometheus text: memscope's reader, or a prom-client Registry. */
export interface ExpositionSource {
  metrics?(): Promise<string> | string;
  render?(): Promise<string>;
  /** Set by PrometheusReader: scrapes of a shut-down reader answer 503. */
  readonly isShutdown?: boolean;
}

export interface MetricsHandlerOptions {
  /** The path served (starts with '/', no query); other paths go to `next` (Express) or get 404. @default '/metrics' */
  path?: string;
  /**
   * When set, requests must carry `Authorization: Bearer <token>`: 1 to 4096 visible ASCII characters without spaces.
   * `''`, `null` or a number are rejected at construction (they would lock every scraper out, or turn auth off).
   * @default undefined (no auth)
   */
  bearerToken?: string;
  /**
   * Other registries to serve from the same endpoint, e.g. an existing prom-client `register`. A family whose name
   * memscope already serves is dropped from theirs (Prometheus rejects a scrape with a name twice) with a warning.
   * Each needs a render() or metrics() method; at most 64.
   * @default []
   */
  registries?: ExpositionSource[];
  /**
   * Compress with gzip when the scraper accepts it (Prometheus does) and the body is larger than this many bytes (an
   * integer, 0 or more). @default 1024
   */
  gzipMinBytes?: number;
  /**
   * How long another registry may take to render; one that fails or takes longer is left out of that scrape (with a
   * warning) and memscope's own series are still served. Milliseconds, 1 to 600000. @default 5000
   */
  registryTimeoutMs?: number;
}

/** An Express-compatible middleware (also a plain node:http request listener). */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Serves metrics at `path`. Mount it in an existing app (`app.use(handler)`) or give it to startMetricsServer().
 * Every option is validated here, at construction. Never throws into the host: a failed render answers 500 with the
 * reason, a stopped reader 503.
 *
 * Scrapes are answered in batches: every scrape waiting when a render starts shares it (and its gzipped body), and at
 * most one render runs at a time — 200 scrapers at once cost the host one collection at a time, not 200 queued ones
 * (see docs/reliability.md). Each answer is still rendered after its request arrived: nothing is served stale.
 */
export function createMetricsHandler(source: ExpositionSource, options: MetricsHandlerOptions = {}): MetricsHandler {
  const { path, bearerToken, registries, gzipMinBytes, registryTimeoutMs } = resolveHandlerOptions(source, options);
  const tokenHash = bearerToken === undefined ? undefined : sha256(bearerToken);
  const warnings = new WarnOnce();
  const renders = new RenderBatches(() => render(source, registries, registryTimeoutMs, warnings));

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
    if (tokenHash !== undefined && !authorized(req.headers.authorization, tokenHash)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      reply(res, 401, 'Unauthorized\n');
      return;
    }
    if (source.isShutdown === true) {
      reply(res, 503, 'memscope is stopped: no metrics to serve\n');
      return;
    }
    if (req.method === 'HEAD') {
      // A HEAD (a load balancer's probe, say) does not collect: collecting resets the event-loop window for the scrape.
      res.statusCode = 200;
      res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Vary', 'Accept-Encoding');
      res.end();
      return;
    }
    if (gone(req, res)) return; // the scraper hung up while its request waited to be read: nothing to render for
    void renders.next(() => !gone(req, res))
      .then(async (rendered) => {
        if (rendered === undefined) return;
        res.setHeader('Vary', 'Accept-Encoding');
        if (acceptsGzip(req.headers['accept-encoding']) && rendered.bytes > gzipMinBytes) {
          const compressed = await rendered.gzipped();
          res.setHeader('Content-Encoding', 'gzip');
          reply(res, 200, compressed);
        } else {
          reply(res, 200, rendered.body);
        }
      })
      .catch((error: unknown) => {
        reply(res, 500, `memscope could not render metrics: ${errorMessage(error)}\n`);
      });
  };
}

/**
 * Renders in batches. A scrape joins the batch waiting for the next render; that render starts on the next turn of
 * the event loop (so scrapes parsed in the same turn join it) and only once the previous one finished. A render is
 * synchronous work in a single turn for memscope's own reader, so without batching each of N concurrent scrapes would
 * queue a render of its own behind the others, and the host's event loop would stall N renders long. A batch whose
 * scrapers have all hung up is not rendered (it resolves to undefined): a burst of clients that ask and disconnect
 * would otherwise leave the host rendering for nobody long after they left.
 */
class RenderBatches {
  private running = false;
  private waiting: Batch | undefined;

  constructor(private readonly render: () => Promise<string>) {}

  /** The render for a scrape; `alive` says whether its scraper still waits for it. */
  next(alive: () => boolean): Promise<Rendered | undefined> {
    if (this.waiting === undefined) {
      let resolve!: (r: Rendered | undefined) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<Rendered | undefined>((res, rej) => { resolve = res; reject = rej; });
      this.waiting = { promise, resolve, reject, alive: [] };
      if (!this.running) this.schedule();
    }
    this.waiting.alive.push(alive);
    return this.waiting.promise;
  }

  private schedule(): void {
    setImmediate(() => { this.start(); });
  }

  private start(): void {
    const batch = this.waiting;
    if (batch === undefined || this.running) return;
    this.waiting = undefined;
    if (!batch.alive.some((alive) => alive())) {
      batch.resolve(undefined);
      return;
    }
    this.running = true;
    void this.render()
      .then((body) => { batch.resolve(new Rendered(body)); }, (error: unknown) => { batch.reject(error); })
      .finally(() => {
        this.running = false;
        if (this.waiting !== undefined) this.schedule();
      });
  }
}

interface Batch {
  promise: Promise<Rendered | undefined>;
  resolve: (r: Rendered | undefined) => void;
  reject: (e: unknown) => void;
  alive: Array<() => boolean>;
}

/**
 * Whether the scraper has gone: its request was aborted (the client closed or half-closed its connection) or the
 * response can no longer be written. `req.destroyed` alone would not do: a GET whose (empty) body some middleware
 * resumed is destroyed too, and its client is still waiting.
 */
function gone(req: IncomingMessage, res: ServerResponse): boolean {
  return req.readableAborted || res.destroyed || res.socket?.destroyed === true;
}

/** One render, shared by the scrapes of its batch; gzipped at most once, when a scraper first asks for it. */
class Rendered {
  readonly bytes: number;
  private compressed: Promise<Buffer> | undefined;

  constructor(readonly body: string) {
    this.bytes = Buffer.byteLength(body);
  }

  gzipped(): Promise<Buffer> {
    return (this.compressed ??= gzipAsync(this.body, GZIP_OPTIONS));
  }
}

async function render(source: ExpositionSource, registries: ExpositionSource[], timeoutMs: number, warnings: WarnOnce): Promise<string> {
  if (registries.length === 0) return renderOne(source);
  const [own, ...others] = await Promise.all([renderOne(source), ...registries.map((r) => settle(r, timeoutMs))]);
  const served: string[] = [];
  for (const [i, other] of others.entries()) {
    if (typeof other === 'string') served.push(other);
    else warnings.warn(`registry:${i}`, 'MEMSCOPE_W_REGISTRY', `memscope: registry #${i + 1} could not be rendered (${errorMessage(other.error)}); it is left out of the scrape, memscope's own metrics are served`);
  }
  return mergeExpositions(own, served, (name) =>
    warnings.warn(`dup:${name}`, 'MEMSCOPE_W_DUPLICATE_METRIC', `memscope: metric "${name}" is served by memscope and by another registry; the other registry's copy is dropped`),
  );
}

async function renderOne(source: ExpositionSource): Promise<string> {
  if (typeof source.render === 'function') return source.render();
  if (typeof source.metrics === 'function') return source.metrics();
  throw new TypeError('a metrics source must have render() or metrics()');
}

/** Renders another registry, never rejecting: its text, or why it is left out (an error, or too slow). */
async function settle(source: ExpositionSource, timeoutMs: number): Promise<string | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ error: unknown }>((resolve) => {
    timer = setTimeout(() => { resolve({ error: new Error(`no answer within ${timeoutMs} ms`) }); }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([renderOne(source).then((text) => (typeof text === 'string' ? text : { error: new TypeError('it did not render a string') })), timeout]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an Accept-Encoding header accepts gzip: listed (or `*`) with a q-value above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzipQ: number | undefined;
  let starQ: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    let q = 1;
    for (const param of params) {
      const m = /^q=([0-9.]+)$/.exec(param);
      if (m?.[1] !== undefined) q = Number(m[1]);
    }
    if (!Number.isFinite(q)) q = 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzipQ = q;
    else if (coding === '*') starQ = q;
  }
  return (gzipQ ?? starQ ?? 0) > 0;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** `Authorization: Bearer <token>`, the scheme case-insensitive (RFC 9110 §11.1), compared in constant time. */
function authorized(header: string | undefined, expectedHash: Buffer): boolean {
  const m = header === undefined ? null : /^bearer +(.*)$/i.exec(header.trim());
  if (m?.[1] === undefined) return false;
  return timingSafeEqual(sha256(m[1].trim()), expectedHash);
}

function reply(res: ServerResponse, status: number, body: string | Buffer): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', status === 200 ? PROMETHEUS_CONTENT_TYPE : 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}
