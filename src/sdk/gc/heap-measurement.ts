import vm from 'node:vm';

/** Options of the heap measurement that keeps the heap's leak baseline fed. */
export interface HeapMeasurementOptions {
  /**
   * Never ask more often than this, ms; and only when no major GC has run for this long.
   * @default 10000
   */
  minIntervalMs?: number;
  /**
   * The cost budget: ask at most once per (heap used ÷ this) seconds, so the marking V8 may do on memscope's behalf
   * stays around this many bytes of heap per second of wall time whatever the heap's size (at V8's marking speed of
   * about 600 MiB/s measured here, 8 MiB/s is about 1.3 % of a core at most — less when V8 collects on its own anyway).
   * @default 8388608
   */
  budgetBytesPerSec?: number;
}

/**
 * Keeps the heap baseline fed when V8 stops running major GCs.
 *
 * The heap's leak baseline is the heap used right after a major GC: between majors a healthy heap saw-tooths upward.
 * On a busy service with the default heap limit, V8 spaces its majors further and further apart as a leaking heap
 * grows (minutes apart at a few hundred MiB), so a verdict built only on them starves exactly when the leak is
 * largest. `vm.measureMemory()` with eager execution makes V8 start an incremental marking at once — concurrent,
 * the same kind of collection it schedules itself, never a forced stop-the-world full GC, and without `--expose-gc`
 * (default execution starts the same marking 10–20 s later, which halved the heap points of a lightly allocating
 * process). Asking only when no major has run for `minIntervalMs`, the heap has grown since the last one, and within
 * the cost budget, bounds what it adds: nothing on an idle service, at most one incremental major per 10 s on a small
 * heap, fewer on a big one.
 *
 * Never throws; stop() ends it (a request already made resolves on its own and keeps nothing alive).
 */
export class HeapMeasurement {
  private readonly minIntervalMs: number;
  private readonly budgetBytesPerSec: number;
  private pending = false;
  private stopped = false;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private lastMajorAt: number;
  private lastPostMajorHeap = Number.POSITIVE_INFINITY;
  private count = 0;

  constructor(
    options: Required<HeapMeasurementOptions>,
    now: number,
    private readonly measure: () => Promise<unknown> = measureQuietly,
  ) {
    this.minIntervalMs = options.minIntervalMs;
    this.budgetBytesPerSec = options.budgetBytesPerSec;
    // The first majors of a process come on their own within seconds: nothing to ask for at start-up.
    this.lastMajorAt = now;
  }

  /** Requests made so far. */
  get requests(): number {
    return this.count;
  }

  /** A major GC ran at `now` (monotonic ms) and left `heapUsed` bytes. */
  onMajor(now: number, heapUsed: number): void {
    this.lastMajorAt = now;
    if (Number.isFinite(heapUsed)) this.lastPostMajorHeap = heapUsed;
  }

  /** Called at every sample with the heap used now; asks for a measurement when the baseline has gone stale. */
  maybeRequest(now: number, heapUsed: number): void {
    if (this.pending || this.stopped || !Number.isFinite(heapUsed)) return;
    if (now - this.lastMajorAt < this.minIntervalMs) return;
    // Nothing new since the last major GC: the baseline is as fresh as a measurement would make it.
    if (!(heapUsed > this.lastPostMajorHeap)) return;
    const gapMs = Math.max(this.minIntervalMs, (heapUsed / this.budgetBytesPerSec) * 1000);
    if (now - this.lastRequestAt < gapMs) return;
    this.lastRequestAt = now;
    this.pending = true;
    this.count++;
    const done = (): void => {
      this.pending = false;
    };
    try {
      this.measure().then(done, done);
    } catch {
      // vm.measureMemory missing or refusing (an embedder without it): stop asking rather than fail every sample.
      this.stopped = true;
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

/**
 * `vm.measureMemory()` without its one-time ExperimentalWarning: the host did not ask for an experimental feature
 * and must not see a warning about one on its stderr. process.emitWarning is swapped only for the synchronous call.
 */
export function measureQuietly(): Promise<unknown> {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  // Restored as is, the very same function object, after the call: nothing ever calls it unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = process.emitWarning;
  process.emitWarning = function (warning: string | Error, ...rest: unknown[]): void {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    const text = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && text.includes('measureMemory')) return;
    emit(warning, ...rest);
  };
  try {
    return vm.measureMemory({ mode: 'summary', execution: 'eager' });
  } finally {
    process.emitWarning = original;
  }
}
