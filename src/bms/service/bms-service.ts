import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMemscope, type Memscope, type MemscopeOptions } from '../../exporter/start-memscope.js';
import { closeServer, listenOn } from '../../exporter/metrics-server.js';
import { createApp } from './app.js';
import { Faults, type FaultOptions } from './faults.js';
import { JobQueue } from './job-queue.js';
import { JobStore, type JobStoreLimits } from './job-store.js';
import { ServiceMetrics } from './service-metrics.js';

export interface BmsServiceOptions {
  /** @default 3000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  faults?: FaultOptions;
  /** Jobs processed at once. @default 2 */
  concurrency?: number;
  /** Jobs waiting beyond those running before POST answers 503. @default 100 */
  maxBacklog?: number;
  store?: JobStoreLimits;
  /** How long shutdown waits for accepted jobs to finish. @default 30000 */
  drainTimeoutMs?: number;
  /** memscope's options (service name, OTLP ...). */
  memscope?: MemscopeOptions;
}

export interface BmsService {
  readonly url: string;
  readonly port: number;
  readonly memscope: Memscope;
  readonly faults: Faults;
  readonly store: JobStore;
  /**
   * Graceful stop: readiness turns 503 and new jobs are refused, accepted jobs finish (up to drainTimeoutMs), the
   * HTTP server closes, memscope flushes. Resolves with how many jobs were still unfinished (0 after a clean drain).
   */
  close(): Promise<number>;
}

/** The BMS onboarding service, instrumented with memscope: the system under test and the example to copy. */
export async function startBmsService(options: BmsServiceOptions = {}): Promise<BmsService> {
  const memscope = await startMemscope({ serviceName: 'bms-onboarding', shutdownSignals: [], ...options.memscope });
  const store = new JobStore(options.store);
  const queue = new JobQueue(options.concurrency ?? 2, options.maxBacklog ?? 100);
  const faults = new Faults(options.faults ?? {});
  const metrics = new ServiceMetrics(memscope.meterProvider.getMeter('bms-onboarding'), () => queue.depth);
  let draining = false;
  const app = createApp({ memscope, store, queue, faults, metrics, isDraining: () => draining });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3000;
  try {
    await listenOn(server, port, host);
  } catch (error) {
    await memscope.shutdown();
    throw error;
  }
  faults.start();
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<number> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    memscope,
    faults,
    store,
    close: () =>
      (closing ??= (async () => {
        draining = true;
        const timeoutMs = options.drainTimeoutMs ?? 30_000;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => {
            resolve('timeout');
          }, timeoutMs);
          timer.unref();
        });
        const outcome = await Promise.race([queue.drain().then(() => 'drained' as const), timedOut]);
        clearTimeout(timer);
        const unfinished = outcome === 'drained' ? 0 : queue.depth;
        faults.stop();
        await closeServer(server, 5000);
        await memscope.shutdown();
        return unfinished;
      })()),
  };
}

