import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMemscope, type Memscope, type MemscopeOptions } from '../../exporter/start-memscope.js';
import { closeServer, listenOn } from '../../exporter/metrics-server.js';
import { intOption } from '../../internal/validate.js';
import { createApp } from './app.js';
import { Faults, type FaultOptions } from './faults.js';
import type { InputLimits } from './input-limits.js';
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
  /** Jobs waiting beyond those running before POST answers 503 queue_full. @default 100 */
  maxBacklog?: number;
  /** Request bytes waiting beyond those running before POST answers 503 queue_full: the backlog's memory. @default 32 MiB */
  maxBacklogBytes?: number;
  /**
   * Seconds of work (at the throughput the service measures as it runs) the jobs waiting and running may add up to
   * before POST answers 503 queue_full: what was accepted must be able to finish within the drain timeout.
   * @default half of drainTimeoutMs
   */
  maxBacklogSeconds?: number;
  store?: JobStoreLimits;
  /** Input limits (points per job, field lengths). @default DEFAULT_INPUT_LIMITS */
  limits?: InputLimits;
  /** Result bytes a job may produce per byte of request (plus 64 KiB). @default 32 */
  maxResultRatio?: number;
  /** How long shutdown waits for accepted jobs to finish; those that have not are then failed. @default 30000 */
  drainTimeoutMs?: number;
  /** memscope's options (service name, OTLP ...). */
  memscope?: MemscopeOptions;
}

/** How a shutdown went for the jobs accepted before it. */
export interface DrainReport {
  /** Jobs waiting or running when shutdown began. */
  pending: number;
  /** Of those, how many finished (succeeded or failed on their own) during the drain. */
  finished: number;
  /** Ids of those the service gave up on — at the drain timeout, or when abortDrain() was called: each is failed. */
  abandoned: string[];
  /** Why the drain ended: every job finished, the timeout passed, or abortDrain() cut it short. */
  outcome: 'drained' | 'timeout' | 'aborted';
}

export interface BmsService {
  readonly url: string;
  readonly port: number;
  readonly memscope: Memscope;
  readonly faults: Faults;
  readonly store: JobStore;
  readonly queue: JobQueue;
  /**
   * Graceful stop: readiness turns 503 and new jobs are refused, accepted jobs finish (up to drainTimeoutMs) — any
   * still unfinished are then failed, each with the reason, and listed in the report — the HTTP server closes,
   * memscope flushes. Idempotent: every call returns the same report.
   */
  close(): Promise<DrainReport>;
  /** Stops waiting for accepted jobs now (a second SIGTERM): close() fails what is unfinished and proceeds. */
  abortDrain(): void;
}

/** The BMS onboarding service, instrumented with memscope: the system under test and the example to copy. */
export async function startBmsService(options: BmsServiceOptions = {}): Promise<BmsService> {
  const drainTimeoutMs = intOption('drainTimeoutMs', options.drainTimeoutMs, 30_000, 0, 3_600_000);
  const store = new JobStore(options.store);
  const queue = new JobQueue({
    concurrency: options.concurrency,
    maxBacklog: options.maxBacklog,
    maxBacklogBytes: options.maxBacklogBytes,
    // Half: the throughput measured while jobs arrive is not the throughput of a drain on a machine shared with others.
    maxBacklogSeconds: options.maxBacklogSeconds ?? Math.max(0.001, drainTimeoutMs / 2000),
  });
  const memscope = await startMemscope({ serviceName: 'bms-onboarding', shutdownSignals: [], ...options.memscope });
  const faults = new Faults(options.faults ?? {});
  const metrics = new ServiceMetrics(memscope.meterProvider.getMeter('bms-onboarding'), () => queue.depth);
  let draining = false;
  const app = createApp({ memscope, store, queue, faults, metrics, limits: options.limits, maxResultRatio: options.maxResultRatio, isDraining: () => draining });
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
  let abort: (() => void) | undefined;
  let abortRequested = false;
  let closing: Promise<DrainReport> | undefined;

  const drain = async (): Promise<DrainReport> => {
    draining = true;
    const pending = queue.depth;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      queue.drain().then(() => 'drained' as const),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          resolve('timeout');
        }, drainTimeoutMs);
      }),
      new Promise<'aborted'>((resolve) => {
        abort = () => {
          resolve('aborted');
        };
        if (abortRequested) abort();
      }),
    ]);
    clearTimeout(timer);
    const reason =
      outcome === 'timeout'
        ? `the service shut down before the job finished (drain timeout ${drainTimeoutMs} ms)`
        : 'the service shut down before the job finished (stopped without waiting: second signal)';
    const abandoned = outcome === 'drained' ? [] : queue.cancel(reason);
    for (const id of abandoned) {
      const job = store.get(id);
      if (job !== undefined && store.fail(job, reason)) metrics.jobFinished('failed');
    }
    faults.stop();
    await closeServer(server, outcome === 'aborted' ? 0 : 5000);
    await memscope.shutdown();
    return { pending, finished: pending - abandoned.length, abandoned, outcome };
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    memscope,
    faults,
    store,
    queue,
    close: () => (closing ??= drain()),
    abortDrain: () => {
      abortRequested = true;
      abort?.();
    },
  };
}
