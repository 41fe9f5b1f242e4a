import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemscopeError, errorMessage } from '../internal/errors.js';
import type { MetricsHandler } from './metrics-handler.js';

export interface MetricsServerOptions {
  /** Port to listen on; 0 picks a free one. @default 9464 (OpenTelemetry's Prometheus exporter port) */
  port?: number;
  /** Interface to bind. Loopback unless you say otherwise: metrics reveal a lot about a service. @default '127.0.0.1' */
  host?: string;
  /** How long close() waits for in-flight scrapes before cutting connections. @default 5000 */
  drainTimeoutMs?: number;
}

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
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    // A scrape in flight holds the process until answered; an idle keep-alive connection (Prometheus keeps one per
    // target) must not, or a program under memscope/register would never exit while it is scraped.
    req.socket.ref();
    res.once('close', () => { req.socket.unref(); });
    handler(req, res);
  });
  server.on('connection', (socket) => { socket.unref(); });
  server.keepAliveTimeout = 65_000;
  await listenOn(server, options.port ?? 9464, host);
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: once(() => closeServer(server, options.drainTimeoutMs ?? 5000)),
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
