import { invalidOption } from '../internal/errors.js';
import type { HeapSnapshotOptions } from '../heap/capture/auto-heap-snapshots.js';
import type { LeakDetectorOptions } from '../sdk/leak/leak-options.js';

/** Heap snapshot options a variable can carry: all but the callbacks and the injected test doubles. */
export type EnvHeapSnapshotOptions = Omit<HeapSnapshotOptions, 'onEvent' | 'memory' | 'writeSnapshot' | 'freeDiskBytes' | 'now'>;

/**
 * The MEMSCOPE_* variables `memscope/register` reads (docs/run.md lists each with its default). OTEL_* variables
 * (service name, resource attributes, OTLP push) are honoured by startMemscope() itself.
 */
export const ENV = {
  enabled: 'MEMSCOPE_ENABLED',
  metricsPort: 'MEMSCOPE_METRICS_PORT',
  metricsHost: 'MEMSCOPE_METRICS_HOST',
  sampleIntervalMs: 'MEMSCOPE_SAMPLE_INTERVAL_MS',
  reportDir: 'MEMSCOPE_REPORT_DIR',
  checkpointMs: 'MEMSCOPE_CHECKPOINT_MS',
  leak: 'MEMSCOPE_LEAK',
  threads: 'MEMSCOPE_THREADS',
  heapSnapshots: 'MEMSCOPE_HEAP_SNAPSHOTS',
} as const;

export interface RegisterConfig {
  /** MEMSCOPE_ENABLED. @default true */
  enabled: boolean;
  /** MEMSCOPE_METRICS_PORT: serve /metrics on this port (one process of the tree binds it). @default undefined (no server) */
  metricsPort: number | undefined;
  /** MEMSCOPE_METRICS_HOST. @default '127.0.0.1' */
  metricsHost: string;
  /** MEMSCOPE_SAMPLE_INTERVAL_MS. @default 200 (the profiler's default) */
  sampleIntervalMs: number | undefined;
  /** MEMSCOPE_REPORT_DIR: write `<pid>.json` here when the process exits. @default undefined (no report file) */
  reportDir: string | undefined;
  /** MEMSCOPE_CHECKPOINT_MS: rewrite the report this often while the process runs; 0: only at exit. @default 30000 */
  checkpointMs: number;
  /** MEMSCOPE_LEAK: the leak detector's options as JSON, or `off`. @default {} (the detector's defaults) */
  leak: LeakDetectorOptions | false;
  /** MEMSCOPE_THREADS: worker threads report their own heaps (when the `--require` flavour is loaded). @default true */
  threads: boolean;
  /**
   * MEMSCOPE_HEAP_SNAPSHOTS: heap snapshots on anomaly in the main thread — a directory, or a JSON object of the
   * `heapSnapshots` options (`{"directory":"/var/tmp/heap","heapShareTrigger":0.8}`). @default undefined (off)
   */
  heapSnapshots: EnvHeapSnapshotOptions | undefined;
}

/**
 * Reads the configuration from the environment. Throws MEMSCOPE_E_INVALID_OPTION naming the variable when one is
 * malformed: `memscope run` refuses to start then, the preload warns once and leaves memscope off.
 */
export function readRegisterConfig(env: NodeJS.ProcessEnv = process.env): RegisterConfig {
  return {
    enabled: bool(env, ENV.enabled, true),
    metricsPort: int(env, ENV.metricsPort, 0, 65_535),
    metricsHost: text(env, ENV.metricsHost) ?? '127.0.0.1',
    sampleIntervalMs: int(env, ENV.sampleIntervalMs, 10, 3_600_000),
    reportDir: text(env, ENV.reportDir),
    checkpointMs: checkpoint(env),
    leak: leak(env),
    threads: bool(env, ENV.threads, true),
    heapSnapshots: heapSnapshots(env),
  };
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw invalidOption(name, '1, true, 0 or false', env[name]);
}

function int(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw invalidOption(name, `an integer from ${min} to ${max}`, env[name]);
  return value;
}

function checkpoint(env: NodeJS.ProcessEnv): number {
  const value = int(env, ENV.checkpointMs, 0, 86_400_000) ?? 30_000;
  // Rewriting a report costs a JSON of the timeline: more often than every second would be memscope's own load.
  if (value !== 0 && value < 1000) throw invalidOption(ENV.checkpointMs, '0 (only at exit) or an integer from 1000 to 86400000', env[ENV.checkpointMs]);
  return value;
}

function leak(env: NodeJS.ProcessEnv): LeakDetectorOptions | false {
  const raw = text(env, ENV.leak);
  if (raw === undefined) return {};
  if (raw.toLowerCase() === 'off') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidOption(ENV.leak, 'off or a JSON object of leak detector options, e.g. {"warmUpMs":30000}', raw);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidOption(ENV.leak, 'off or a JSON object of leak detector options', raw);
  }
  return parsed;
}

/** Options with a callback or a test double cannot come from a variable. */
const NOT_FROM_ENV = ['onEvent', 'memory', 'writeSnapshot', 'freeDiskBytes', 'now'];

function heapSnapshots(env: NodeJS.ProcessEnv): EnvHeapSnapshotOptions | undefined {
  const raw = text(env, ENV.heapSnapshots);
  if (raw === undefined) return undefined;
  if (!raw.startsWith('{')) return { directory: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidOption(ENV.heapSnapshots, 'a directory or a JSON object of heapSnapshots options, e.g. {"directory":"/var/tmp/heap"}', raw);
  }
  const o = parsed as Record<string, unknown>;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof o.directory !== 'string' || o.directory === '') {
    throw invalidOption(ENV.heapSnapshots, 'a JSON object of heapSnapshots options with a "directory"', raw);
  }
  const bad = NOT_FROM_ENV.find((k) => k in o);
  if (bad !== undefined) throw invalidOption(`${ENV.heapSnapshots}.${bad}`, 'left out (a callback or test double cannot come from a variable)', o[bad]);
  return parsed as EnvHeapSnapshotOptions;
}
