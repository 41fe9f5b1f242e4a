import { mkdirSync, renameSync, statfsSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { errorMessage } from '../../internal/errors.js';
import { formatBytes } from '../../internal/units.js';
import { WarnOnce } from '../../internal/warnings.js';
import {
  REFUSAL_REASONS,
  resolveCaptureOptions,
  type CaptureEvent,
  type CaptureMemory,
  type CaptureReason,
  type HeapCaptureOptions,
  type RefusalReason,
  type ResolvedCaptureOptions,
} from './capture-options.js';
import { defaultCaptureMemory, memoryRefusal } from './memory-check.js';
import { acquireLock, makeRoom, releaseLock, snapshotFileName } from './snapshot-files.js';

export type CaptureResult =
  | { ok: true; reason: CaptureReason; path: string; bytes: number; pauseMs: number; heapUsed: number }
  | { ok: false; reason: CaptureReason; refused: RefusalReason; detail: string };

export interface CaptureStats {
  snapshots: number;
  /** Pauses of the process while V8 wrote a snapshot, ms. */
  lastPauseMs: number;
  maxPauseMs: number;
  totalPauseMs: number;
  refusals: Record<RefusalReason, number>;
  /** The newest complete pair (for `memscope heap-diff before after`), null before the first. */
  latestPair: { before: string; after: string; reason: CaptureReason } | null;
}

/**
 * Writes V8 heap snapshots when memory goes wrong, in pairs to diff: `trigger()` (the leak verdict and the exhaustion
 * forecast through `autoTrigger`, asked at every check, or the heap-share threshold checked here) takes the first,
 * and the second follows once the heap grew by `pairGrowth` or after `pairMaxDelayMs`. On demand: the signal
 * (SIGUSR2 by default) or `snapshot()`.
 *
 * Every snapshot passes the same gates, refused with a counted reason otherwise: one at a time (also across
 * processes sharing the directory), the rate limit, the memory rule (memory-check.ts), the disk budget and
 * retention (oldest files deleted first, before writing on an estimate and after on the real size) and free disk
 * space. A snapshot is written under a temporary name and renamed when complete. Nothing here throws at run time
 * or keeps the process alive; stop() removes the timer and the signal handler.
 */
export class HeapSnapshotCapture implements Disposable {
  private readonly options: ResolvedCaptureOptions;
  private readonly memory: () => CaptureMemory;
  private readonly write: (path: string) => void;
  private readonly freeDisk: (directory: string) => number | null;
  private readonly now: () => number;
  private readonly onEvent: ((event: CaptureEvent) => void) | undefined;
  private readonly autoTrigger: (() => CaptureReason | undefined) | undefined;
  private readonly warnings = new WarnOnce();
  private readonly counts: CaptureStats;
  private timer: NodeJS.Timeout | undefined;
  private readonly onSignal = (): void => {
    this.snapshot('signal');
  };
  private busy = false;
  private stopped = false;
  private started = false;
  private seq = 0;
  private lastPairAt = Number.NEGATIVE_INFINITY;
  private lastOnDemandAt = Number.NEGATIVE_INFINITY;
  private pending: { path: string; at: number; heapUsed: number; reason: CaptureReason } | undefined;

  /** `keys` and `path` let a wrapper with more options of its own (AutoHeapSnapshots) check its wider set. */
  constructor(options: HeapCaptureOptions, keys?: readonly string[], path?: string) {
    this.options = resolveCaptureOptions(options, keys, path);
    this.now = options.now ?? Date.now;
    this.memory = options.memory ?? defaultCaptureMemory(this.now);
    this.write = options.writeSnapshot ?? ((path) => { writeHeapSnapshot(path); });
    this.freeDisk = options.freeDiskBytes ?? freeDiskBytes;
    this.onEvent = options.onEvent;
    this.autoTrigger = options.autoTrigger;
    const refusals = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
    this.counts = { snapshots: 0, lastPauseMs: 0, maxPauseMs: 0, totalPauseMs: 0, refusals, latestPair: null };
  }

  /** Starts the check timer (unref'd) and the signal handler. Idempotent. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    this.timer = setInterval(() => { this.check(); }, this.options.checkIntervalMs);
    this.timer.unref();
    // Node's signal watchers do not keep the event loop alive; a handler does replace the signal's default action.
    if (this.options.signal !== null) process.on(this.options.signal, this.onSignal);
    return this;
  }

  /** Removes the timer and the signal handler. Files stay. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.started && this.options.signal !== null) process.removeListener(this.options.signal, this.onSignal);
    this.pending = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  /**
   * Starts a pair (for the leak verdict turning to suspected, or the forecast falling under its horizon): the
   * first snapshot now, the second later from check(). A pair already under way is left to finish.
   */
  trigger(reason: CaptureReason): CaptureResult | undefined {
    if (this.stopped) return this.refuse(reason, 'stopped', 'the capture was stopped');
    if (this.pending !== undefined) return undefined;
    const now = this.now();
    if (now - this.lastPairAt < this.options.minIntervalMs) {
      return this.refuse(reason, 'rate_limited', `the last snapshot pair started ${Math.round((now - this.lastPairAt) / 1000)} s ago; minIntervalMs is ${this.options.minIntervalMs}`);
    }
    const result = this.take(reason, 'first');
    if (result.ok) {
      this.lastPairAt = now;
      this.pending = { path: result.path, at: now, heapUsed: result.heapUsed, reason };
    }
    return result;
  }

  /** One snapshot on demand (also what the signal does). */
  snapshot(reason: CaptureReason = 'manual'): CaptureResult {
    if (this.stopped) return this.refuse(reason, 'stopped', 'the capture was stopped');
    const now = this.now();
    if (now - this.lastOnDemandAt < this.options.onDemandMinIntervalMs) {
      return this.refuse(reason, 'rate_limited', `the last on-demand snapshot was ${Math.round(now - this.lastOnDemandAt)} ms ago; onDemandMinIntervalMs is ${this.options.onDemandMinIntervalMs}`);
    }
    const result = this.take(reason, 'single');
    if (result.ok) this.lastOnDemandAt = now;
    return result;
  }

  /** What the timer runs: the pending pair's second snapshot when due, and the heap-share trigger. */
  check(): void {
    if (this.stopped) return;
    try {
      const pending = this.pending;
      if (pending !== undefined) {
        const grown = this.memory().heapUsed - pending.heapUsed >= this.options.pairGrowthBytes;
        if (grown || this.now() - pending.at >= this.options.pairMaxDelayMs) {
          this.pending = undefined;
          const second = this.take(pending.reason, 'second', new Set([pending.path]));
          if (second.ok) this.counts.latestPair = { before: pending.path, after: second.path, reason: pending.reason };
        }
        return;
      }
      const due = this.autoTrigger?.();
      if (due !== undefined) {
        this.trigger(due);
        return;
      }
      const share = this.options.heapShareTrigger;
      if (share !== undefined) {
        const m = this.memory();
        if (m.heapUsed >= share * m.heapLimit) this.trigger('heap_share');
      }
    } catch (error) {
      this.warnings.warn('check', 'MEMSCOPE_W_HEAP_SNAPSHOT', `memscope: heap snapshot check failed: ${errorMessage(error)}`);
    }
  }

  stats(): CaptureStats {
    return { ...this.counts, refusals: { ...this.counts.refusals }, latestPair: this.counts.latestPair && { ...this.counts.latestPair } };
  }

  private take(reason: CaptureReason, pair: 'first' | 'second' | 'single', keep: ReadonlySet<string> = new Set()): CaptureResult {
    if (this.stopped) return this.refuse(reason, 'stopped', 'the capture was stopped');
    if (this.busy) return this.refuse(reason, 'busy', 'a snapshot is being written');
    const dir = this.options.directory;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      return this.refuse(reason, 'write_failed', `cannot create ${dir}: ${errorMessage(error)}`);
    }
    if (!acquireLock(dir)) return this.refuse(reason, 'busy', `another process is writing a snapshot into ${dir}`);
    this.busy = true;
    try {
      return this.takeLocked(reason, pair, keep);
    } catch (error) {
      return this.refuse(reason, 'write_failed', errorMessage(error));
    } finally {
      this.busy = false;
      releaseLock(dir);
    }
  }

  private takeLocked(reason: CaptureReason, pair: 'first' | 'second' | 'single', keep: ReadonlySet<string>): CaptureResult {
    const o = this.options;
    const m = this.memory();
    const unsafe = memoryRefusal(m, o);
    if (unsafe !== undefined) return this.refuse(reason, unsafe.refused, unsafe.detail);
    const estimate = o.fileFactor * m.heapUsed;
    const limits = { maxFiles: o.maxFiles, maxBytes: o.maxDiskBytes };
    const room = makeRoom(o.directory, limits, estimate, keep);
    if (!room.fits) {
      return this.refuse(reason, 'disk_budget', `an estimated ${formatBytes(estimate)} snapshot does not fit the ${formatBytes(o.maxDiskBytes)} / ${o.maxFiles}-file budget beside the files kept`);
    }
    const free = this.freeDisk(o.directory);
    if (free !== null && free < estimate) return this.refuse(reason, 'disk_space', `${formatBytes(free)} free on the disk of ${o.directory}; the snapshot needs about ${formatBytes(estimate)}`);

    const path = join(o.directory, snapshotFileName(this.now(), process.pid, ++this.seq, reason));
    const partial = `${path}.partial`;
    const t0 = performance.now();
    try {
      this.write(partial);
    } catch (error) {
      removeQuietly(partial);
      return this.refuse(reason, 'write_failed', errorMessage(error));
    }
    const pauseMs = performance.now() - t0;
    renameSync(partial, path);
    const bytes = statSync(path).size;
    // The estimate can be short: the budget is enforced again on the real size, the new file and the pair kept.
    const after = makeRoom(o.directory, limits, 0, new Set([...keep, path]), false);
    if (!after.fits) {
      removeQuietly(path);
      return this.refuse(reason, 'disk_budget', `the ${formatBytes(bytes)} snapshot did not fit the ${formatBytes(o.maxDiskBytes)} / ${o.maxFiles}-file budget; it was deleted`);
    }
    this.counts.snapshots++;
    this.counts.lastPauseMs = pauseMs;
    this.counts.maxPauseMs = Math.max(this.counts.maxPauseMs, pauseMs);
    this.counts.totalPauseMs += pauseMs;
    this.emit({ type: 'snapshot', reason, path, bytes, pauseMs, heapUsed: m.heapUsed, pair });
    return { ok: true, reason, path, bytes, pauseMs, heapUsed: m.heapUsed };
  }

  private refuse(reason: CaptureReason, refused: RefusalReason, detail: string): CaptureResult {
    this.counts.refusals[refused]++;
    this.warnings.warn(refused, 'MEMSCOPE_W_HEAP_SNAPSHOT', `memscope: heap snapshot (${reason}) refused: ${refused}: ${detail}`);
    this.emit({ type: 'refused', reason, refused, detail });
    return { ok: false, reason, refused, detail };
  }

  private emit(event: CaptureEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A failing listener must not turn a snapshot into a thrown error.
    }
  }
}

function freeDiskBytes(directory: string): number | null {
  try {
    const s = statfsSync(directory);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never written, or already gone.
  }
}

/**
 * Takes one heap snapshot into `options.directory` now, through the same gates as HeapSnapshotCapture (memory
 * rule, disk budget, retention, one writer at a time): `captureHeapSnapshot({ directory: '/var/tmp/heap' })`.
 * Returns what happened; never throws at run time (bad options throw MEMSCOPE_E_INVALID_OPTION).
 */
export function captureHeapSnapshot(options: HeapCaptureOptions): CaptureResult {
  const capture = new HeapSnapshotCapture({ ...options, signal: null });
  try {
    return capture.snapshot('manual');
  } finally {
    capture.stop();
  }
}
