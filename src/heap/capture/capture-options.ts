import { invalidOption } from '../../internal/errors.js';
import { parseBytes } from '../../internal/units.js';
import { intOption, numberOption, objectOption, optionKeys, rejectUnknownKeys } from '../../internal/validate.js';

/** Why a snapshot was asked for. */
export type CaptureReason = 'leak_verdict' | 'forecast' | 'heap_share' | 'signal' | 'manual';

/** Why a snapshot was not taken (each counted, and warned about once as MEMSCOPE_W_HEAP_SNAPSHOT). */
export type RefusalReason =
  | 'busy'
  | 'rate_limited'
  | 'heap_limit'
  | 'container_limit'
  | 'system_memory'
  | 'disk_budget'
  | 'disk_space'
  | 'write_failed'
  | 'stopped';

export const REFUSAL_REASONS: readonly RefusalReason[] = ['busy', 'rate_limited', 'heap_limit', 'container_limit', 'system_memory', 'disk_budget', 'disk_space', 'write_failed', 'stopped'];

/** Memory figures the safety rule reads; injectable for tests. */
export interface CaptureMemory {
  heapUsed: number;
  /** The heap's usable limit (V8's heap_size_limit less the young generation's reservation: memory-check.ts). */
  heapLimit: number;
  rss: number;
  /** The container (cgroup) memory limit; null when there is none. */
  containerLimit: number | null;
  /** Memory the system can still give (MemAvailable on Linux); null when unknown. */
  systemAvailable: number | null;
}

export interface HeapCaptureOptions {
  /** Directory the `.heapsnapshot` files are written to; created when missing. Required. */
  directory: string;
  /**
   * Minimum time between the starts of two automatic snapshot pairs (leak verdict, forecast, heap share).
   * @default 1_800_000 (30 minutes)
   */
  minIntervalMs?: number;
  /** Minimum time between two on-demand snapshots (signal, `snapshot()`). @default 10_000 */
  onDemandMinIntervalMs?: number;
  /**
   * The second snapshot of a pair is taken once the JS heap has grown by this much since the first...
   * @default '32 MiB'
   */
  pairGrowth?: string | number;
  /** ...or this long after the first, whichever comes first. @default 600_000 (10 minutes) */
  pairMaxDelayMs?: number;
  /** Start a pair on its own when heap used reaches this share of the heap limit (0 to 1). @default undefined (off) */
  heapShareTrigger?: number;
  /** How often the pair's second snapshot and the heap-share trigger are checked (an unref'd timer). @default 5_000 */
  checkIntervalMs?: number;
  /** Snapshot files kept in `directory` (the oldest are deleted first). @default 4 */
  maxFiles?: number;
  /** Bytes of snapshot files kept in `directory`, checked before writing (estimated) and after. @default '2 GiB' */
  maxDiskBytes?: string | number;
  /**
   * Memory a snapshot needs beyond the process's RSS, as a multiple of the JS heap used: refused when RSS plus this
   * would pass the container limit or exceed the memory the system has available. Measured (docs/heap-snapshots.md):
   * 8-10x for heaps of small objects, far above the "about twice the heap" Node's documentation gives.
   * @default 12
   */
  memoryFactor?: number;
  /** JS heap that must stay free below the heap limit (a snapshot allocates little there: <1 MiB measured). @default '16 MiB' */
  heapHeadroom?: string | number;
  /** Estimated file size as a multiple of the JS heap used (measured ~2.1x). @default 2.5 */
  fileFactor?: number;
  /** Signal that takes a snapshot on demand; null for none. Node uses SIGUSR1 for its inspector. @default 'SIGUSR2' */
  signal?: NodeJS.Signals | null;
  /**
   * Asked at every check while no pair is under way: a reason to start a pair now (the profiler answers from the
   * leak verdict and the exhaustion forecast), or undefined.
   */
  autoTrigger?: () => CaptureReason | undefined;
  /** Called after every snapshot and every refusal (to count them in metrics or log them). */
  onEvent?: (event: CaptureEvent) => void;
  /** Reads memory for the safety rule. @default V8's heap statistics, RSS, the cgroup limit and os.freemem() */
  memory?: () => CaptureMemory;
  /** Writes the snapshot. @default v8.writeHeapSnapshot */
  writeSnapshot?: (path: string) => void;
  /** Free bytes on the directory's filesystem; null when unknown. @default fs.statfsSync */
  freeDiskBytes?: (directory: string) => number | null;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

export type CaptureEvent =
  | { type: 'snapshot'; reason: CaptureReason; path: string; bytes: number; pauseMs: number; heapUsed: number; pair: 'first' | 'second' | 'single' }
  | { type: 'refused'; reason: CaptureReason; refused: RefusalReason; detail: string };

export interface ResolvedCaptureOptions {
  directory: string;
  minIntervalMs: number;
  onDemandMinIntervalMs: number;
  pairGrowthBytes: number;
  pairMaxDelayMs: number;
  heapShareTrigger: number | undefined;
  checkIntervalMs: number;
  maxFiles: number;
  maxDiskBytes: number;
  memoryFactor: number;
  heapHeadroomBytes: number;
  fileFactor: number;
  signal: NodeJS.Signals | null;
}

const DAY_MS = 86_400_000;

/** Every key of HeapCaptureOptions (a key added to the interface and not here fails to compile). */
export const CAPTURE_OPTION_KEYS = optionKeys<HeapCaptureOptions>()([
  'directory', 'minIntervalMs', 'onDemandMinIntervalMs', 'pairGrowth', 'pairMaxDelayMs', 'heapShareTrigger', 'checkIntervalMs',
  'maxFiles', 'maxDiskBytes', 'memoryFactor', 'heapHeadroom', 'fileFactor', 'signal', 'autoTrigger', 'onEvent', 'memory',
  'writeSnapshot', 'freeDiskBytes', 'now',
]);

export function resolveCaptureOptions(o: HeapCaptureOptions, keys: readonly string[] = CAPTURE_OPTION_KEYS, path = ''): ResolvedCaptureOptions {
  rejectUnknownKeys(objectOption(path === '' ? 'options' : path, o), keys, path);
  if (typeof o.directory !== 'string' || o.directory === '') throw invalidOption('directory', 'a directory path', o.directory);
  const signal = o.signal === undefined ? 'SIGUSR2' : o.signal;
  if (signal !== null && (typeof signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(signal) || signal === 'SIGKILL' || signal === 'SIGSTOP')) {
    throw invalidOption('signal', 'a signal name such as SIGUSR2, or null', signal);
  }
  if (o.heapShareTrigger !== undefined) numberOption('heapShareTrigger', o.heapShareTrigger, 0, 0.05, 0.99);
  return {
    directory: o.directory,
    minIntervalMs: intOption('minIntervalMs', o.minIntervalMs, 1_800_000, 0, 30 * DAY_MS),
    onDemandMinIntervalMs: intOption('onDemandMinIntervalMs', o.onDemandMinIntervalMs, 10_000, 0, DAY_MS),
    pairGrowthBytes: parseBytes('pairGrowth', o.pairGrowth ?? '32 MiB'),
    pairMaxDelayMs: intOption('pairMaxDelayMs', o.pairMaxDelayMs, 600_000, 1, 30 * DAY_MS),
    heapShareTrigger: o.heapShareTrigger,
    checkIntervalMs: intOption('checkIntervalMs', o.checkIntervalMs, 5_000, 10, DAY_MS),
    maxFiles: intOption('maxFiles', o.maxFiles, 4, 1, 10_000),
    maxDiskBytes: parseBytes('maxDiskBytes', o.maxDiskBytes ?? '2 GiB'),
    memoryFactor: numberOption('memoryFactor', o.memoryFactor, 12, 0, 1000),
    heapHeadroomBytes: parseBytes('heapHeadroom', o.heapHeadroom ?? '16 MiB'),
    fileFactor: numberOption('fileFactor', o.fileFactor, 2.5, 0, 1000),
    signal,
  };
}
