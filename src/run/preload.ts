import { tmpdir } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { startMemscope, type Memscope, type MemscopeOptions } from '../exporter/start-memscope.js';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { MEMSCOPE_VERSION } from '../version.js';
import { adoptPreloaded } from './adopt.js';
import { ENV, readRegisterConfig, type RegisterConfig } from './env-config.js';
import { ProcessLifecycle, processWrapper } from './process-lifecycle.js';
import { claimPreloadedSlot, preloadedSlot, type PreloadedSlot } from './shared-memscope.js';
import { MetricsOwnership } from './metrics-ownership.js';
import { SnapshotLog } from './snapshot-log.js';
import { reportThread, ThreadCollector } from './threads.js';

/** How often a worker thread sends its memory to the main thread. */
const THREAD_REPORT_MS = 1000;

let starting: Promise<Memscope | undefined> | undefined;

/**
 * What `memscope/register` does in each thread it runs in — once per thread, however many times it is loaded (the
 * `--import` and `--require` flavours, or both). Never throws and never rejects: a bad MEMSCOPE_* variable or a
 * failure to start warns once and leaves memscope off, and the program runs as it would without it.
 */
export function startPreload(): Promise<Memscope | undefined> {
  return (starting ??= start().catch((error: unknown) => {
    new WarnOnce().warn('start', 'MEMSCOPE_W_PRELOAD', `memscope: memscope/register could not start and is off: ${errorMessage(error)}`);
    return undefined;
  }));
}

async function start(): Promise<Memscope | undefined> {
  // Another copy of memscope preloaded in this thread already: share its instance.
  const existing = preloadedSlot();
  if (existing !== undefined) return existing.ready;
  const warnings = new WarnOnce();
  let config: RegisterConfig;
  try {
    config = readRegisterConfig();
  } catch (error) {
    warnings.warn('config', 'MEMSCOPE_W_PRELOAD', `memscope: ${errorMessage(error)}; memscope/register is off for this process`);
    // Child processes inherit the variable: they stay off without repeating the warning.
    process.env[ENV.enabled] = '0';
    return undefined;
  }
  if (!config.enabled || (!isMainThread && !config.threads)) return undefined;

  let resolveReady: (m: Memscope | undefined) => void = () => undefined;
  const ready = new Promise<Memscope | undefined>((resolve) => { resolveReady = resolve; });
  // Snapshots of the main thread only: a worker's heap is its own, and one capture per process keeps the budget whole.
  const snapshots = isMainThread && config.heapSnapshots !== undefined ? new SnapshotLog(config.heapSnapshots.directory) : undefined;
  const ownOptions: MemscopeOptions = {
    ...(config.sampleIntervalMs === undefined ? {} : { sampleIntervalMs: config.sampleIntervalMs }),
    leak: config.leak,
    server: false,
    // Signals are the lifecycle's business (it writes the report first); the server is closed with the process.
    shutdownSignals: [],
    // A worker's metrics go through the main thread's series: it pushes nothing of its own.
    ...(isMainThread ? {} : { otlp: false }),
    ...(snapshots === undefined ? {} : { heapSnapshots: { ...config.heapSnapshots, directory: snapshots.directory, onEvent: snapshots.onEvent } }),
  };
  let shared: Memscope | undefined;
  const slot: PreloadedSlot = {
    version: MEMSCOPE_VERSION,
    ready,
    get memscope() { return shared; },
    ownOptions,
    adopt: async (options) => {
      const m = await ready;
      return m === undefined ? undefined : adoptPreloaded(m, options, warnings);
    },
  };
  if (!claimPreloadedSlot(slot)) return preloadedSlot()?.ready;
  try {
    const memscope = await startMemscope(ownOptions);
    shared = isMainThread ? await mainThread(memscope, config, warnings, snapshots) : workerThread(memscope);
  } catch (error) {
    warnings.warn('start', 'MEMSCOPE_W_PRELOAD', `memscope: ${errorMessage(error)}; memscope/register is off for this process`);
  }
  resolveReady(shared);
  return shared;
}

function workerThread(memscope: Memscope): Memscope {
  reportThread(memscope.profiler, THREAD_REPORT_MS);
  return memscope;
}

/** The main thread: the threads' collector, the metrics port (when this process owns it), the report and the signals. */
async function mainThread(memscope: Memscope, config: RegisterConfig, warnings: WarnOnce, snapshots: SnapshotLog | undefined): Promise<Memscope> {
  const threads = config.threads ? new ThreadCollector(memscope.meterProvider.getMeter('memscope.threads', MEMSCOPE_VERSION)).start() : undefined;
  // A wrapper (npm, npx, the tsx CLI ...) never serves the port: the program it starts does.
  const metrics = config.metricsPort === undefined || processWrapper() !== null
    ? undefined
    : new MetricsOwnership(memscope.metricsHandler, {
      port: config.metricsPort,
      host: config.metricsHost,
      claimDir: config.reportDir ?? tmpdir(),
      warnings,
    });
  // The program starts with /metrics already served when this process owns the port.
  await metrics?.start();
  new ProcessLifecycle(memscope, {
    reportDir: config.reportDir,
    checkpointMs: config.checkpointMs,
    threads,
    metrics,
    warnings,
    snapshots,
  }).start();
  return {
    profiler: memscope.profiler,
    meterProvider: memscope.meterProvider,
    reader: memscope.reader,
    metricsHandler: memscope.metricsHandler,
    get server() { return metrics?.server; },
    shutdown: () => memscope.shutdown(),
  };
}
