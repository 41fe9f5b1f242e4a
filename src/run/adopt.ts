import type { Memscope, MemscopeOptions } from '../exporter/start-memscope.js';
import { createMetricsHandler } from '../exporter/metrics-handler.js';
import { startMetricsServer, type MetricsServer } from '../exporter/metrics-server.js';
import type { WarnOnce } from '../internal/warnings.js';

/** Options of startMemscope() that only shape how /metrics is served: a program's own handler and server honour them. */
const SERVING_OPTIONS = new Set(['server', 'bearerToken', 'registries', 'collectTimeoutMs', 'shutdownSignals']);

/**
 * What startMemscope() returns to a program running under `memscope/register`: the preloaded profiler, meter
 * provider and reader — one profiler, so the program's phases are in the run's report — behind a metrics handler
 * (and a server, if asked for) built from the program's own serving options, so that its /metrics keeps its
 * registries, token and path. Options that shape the profiler or the resource cannot apply to an instance that is
 * already running: they are named in one warning (the environment configures the preload: docs/run.md).
 *
 * The returned shutdown() closes only what it started (its server); the preloaded profiler keeps running until the
 * process exits, when the preload writes its report. Nothing it starts keeps the process alive.
 */
export async function adoptPreloaded(shared: Memscope, options: MemscopeOptions, warnings: WarnOnce): Promise<Memscope> {
  const ignored = Object.keys(options).filter((key) => !SERVING_OPTIONS.has(key) && (options as Record<string, unknown>)[key] !== undefined);
  if (ignored.length > 0) {
    warnings.warn(
      'adopt-options',
      'MEMSCOPE_W_PRELOADED',
      `memscope: startMemscope() under memscope/register returns the preloaded instance; its option(s) ${ignored.join(', ')} do not apply (configure the preload with MEMSCOPE_* and OTEL_* variables, docs/run.md)`,
    );
  }
  const serverOptions = options.server === false || options.server === undefined ? undefined : options.server;
  const metricsHandler = createMetricsHandler(shared.reader, {
    bearerToken: serverOptions?.bearerToken ?? options.bearerToken,
    path: serverOptions?.path ?? '/metrics',
    registries: options.registries ?? [],
    registryTimeoutMs: options.collectTimeoutMs,
  });
  let server: MetricsServer | undefined;
  if (serverOptions !== undefined) {
    const sharedServer = shared.server;
    const samePort = sharedServer !== undefined && serverOptions.port === sharedServer.port;
    // The port the preload already serves is the program's wish fulfilled: a second bind would only fail.
    // Only the listening options go to the server; the token and the path went to the handler above.
    const { port, host, drainTimeoutMs } = serverOptions;
    server = samePort ? sharedServer : await startMetricsServer(metricsHandler, { port, host, drainTimeoutMs });
  }
  const own = server !== shared.server ? server : undefined;
  let pending: Promise<void> | undefined;
  return {
    profiler: shared.profiler,
    meterProvider: shared.meterProvider,
    reader: shared.reader,
    metricsHandler,
    server,
    shutdown: () => (pending ??= own?.close() ?? Promise.resolve()),
  };
}
