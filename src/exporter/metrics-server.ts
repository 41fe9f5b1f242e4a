import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemscopeError, errorMessage, invalidOption } from '../internal/errors.js';
import { intOption, objectOption, optionKeys, rejectUnknownKeys } from '../internal/validate.js';
import type { MetricsHandler } from './metrics-handler.js';

export interface MetricsServerOptions {
  /** Port to listen on, 0 to 65535; 0 picks a free one. @default 9464 (OpenTelemetry's Prometheus exporter port) */
  port?: number;
  /**
   * Interface to bind: a host name or an IP address (no spaces; `''` is rejected, since Node would bind every
   * interface). Loopback unless you say otherwise: metrics reveal a lot about a service. @default '127.0.0.1'
   */
  host?: string;
  /** How long close() waits for in-flight scrapes before cutting connections, ms, 0 to 600000. @default 5000 */
  drainTimeoutMs?: number;
}

export const SERVER_OPTION_KEYS = optionKeys<MetricsServerOptions>()(['port', 'host', 'drainTimeoutMs']);

export interface ResolvedServerOptions {
  port: number;
  host: string;
  drainTimeoutMs: number;
}

/** Validates server options at construction (startMemscope() validates them before it starts anything). */
export function resolveServerOptions(options: unknown, path = ''): ResolvedServerOptions {
  const o = objectOption(path === '' ? 'options' : path, options);
  rejectUnknownKeys(o, SERVER_OPTION_KEYS, path);
  const field = (name: string): string => (path === '' ? name : `${path}.${name}`);
  return {
    port: intOption(field('port'), o.port, 9464, 0, 65_535),
    host: hostOption(field('host'), o.host),
    drainTimeoutMs: intOption(field('drainTimeoutMs'), o.drainTimeoutMs, 5000, 0, 600_000),
  };
}

/** A host to bind: a name or address of visible ASCII (IPv6 in or without brackets' contents), at most 255 characters. */
export function hostOption(field: string, value: unknown): string {
  const v = value ?? '127.0.0.1';
  if (typeof v !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(v)) throw invalidOption(field, 'a host name or IP address (default 127.0.0.1)', v);
  return v;
}

/**
 * A socket that neither sends nor accepts a byte for this long is closed: a scraper that stops reading mid-response
 * would otherwise hold its socket and the rest of the body forever (see docs/reliability.md). Prometheus' own scrape
 * timeout is 10 s by default and memscope's collection gives up after collectTimeoutMs (5 s), so no healthy scrape
 * comes near it.
 */
const SOCKET_IDLE_TIMEOUT_MS = 60_000;
/** Headers must arrive within this (slowloris); Node's default is 60 s. */
const HEADERS_TIMEOUT_MS = 10_000;

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight scrapes finish (up to drainTimeoutMs), then closes. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a standalone HTTP server for a metrics handler. Its listening socket does not keep the process alive (it is
 * unref'd, like every timer memscope starts): the service's own work does; a scrape in flight holds it until answered.
 */
export async function startMetricsServer(handler: MetricsHandler, options: MetricsServerOptions = {}): Promise<MetricsServer> {
  if (typeof handler !== 'function') throw invalidOption('handler', 'a metrics handler (see createMetricsHandler())', handler);
  const { port: wanted, host, drainTimeoutMs } = resolveServerOptions(options);
  const server = createServer((req, res) => {
    // A scrape in flight holds the process until answered; an idle keep-alive connection (Prometheus keeps one per
    // target) must not, or a program under memscope/register would never exit while it is scraped.
    req.socket.ref();
    res.once('close', () => { req.socket.unref(); });
    handler(req, res);
  });
  server.on('connection', (socket) => { socket.unref(); });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = HEADERS_TIMEOUT_MS;
  server.timeout = SOCKET_IDLE_TIMEOUT_MS;
  await listenOn(server, wanted, host);
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: once(() => closeServer(server, drainTimeoutMs)),
  };
}

/** Listens, turning a failure (port taken, no such interface) into MEMSCOPE_E_LISTEN. */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(new MemscopeError('MEMSCOPE_E_LISTEN', `cannot listen on ${host}:${port}: ${errorMessage(error)}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Graceful close: stop accepting, then keep closing keep-alive sockets as they go idle (a request in flight when
 * close() was called leaves its socket open afterwards), and cut whatever is left after `drainTimeoutMs`.
 */
export function closeServer(server: Server, drainTimeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => { server.closeAllConnections(); }, drainTimeoutMs);
    const reap = setInterval(() => { server.closeIdleConnections(); }, 25);
    force.unref();
    reap.unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(reap);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= fn());
}
