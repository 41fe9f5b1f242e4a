import { trace, type Span } from '@opentelemetry/api';
import { isPromise } from 'node:util/types';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { MEMSCOPE_VERSION } from '../version.js';
import { forceGc } from './gc/force-gc.js';
import { GcTracker, type GcStats } from './gc/gc-tracker.js';
import { GcWatcher } from './gc/gc-watcher.js';
import { HeapMeasurement } from './gc/heap-measurement.js';
import { AutoHeapSnapshots } from '../heap/capture/auto-heap-snapshots.js';
import type { HeapSnapshotCapture } from '../heap/capture/heap-capture.js';
import { SnapshotInstruments } from '../heap/capture/snapshot-instruments.js';
import type { PostGcBaseline } from './instruments/observe-memory.js';
import { ProfilerInstruments } from './instruments/profiler-instruments.js';
import { LeakDetector, type BaselinePoint, type LeakVerdict } from './leak/leak-detector.js';
import { PhaseContext } from './phases/phase-context.js';
import type { MarkEnder, PhaseInstance } from './phases/phase-instance.js';
import { PhaseIntervals, type PhaseInterval } from './phases/phase-intervals.js';
import { truncateName } from './phases/phase-names.js';
import { PhaseSpans } from './phases/phase-spans.js';
import type { PhaseStats } from './phases/phase-stats.js';
import { PhaseTable } from './phases/phase-table.js';
import { PhaseTracker, type BoundaryReading, type PhaseFailure } from './phases/phase-tracker.js';
import { readContainerMemoryLimit, type ContainerMemoryLimit } from './probes/container-memory.js';
import { EventLoopProbe } from './probes/event-loop-probe.js';
import { usableHeapLimit } from './probes/heap-limit.js';
import { defaultMemorySources, MemoryProbes } from './probes/memory-probes.js';
import { ProbeErrors } from './probes/probe-errors.js';
import { resolveProfilerOptions, type MemoryProfilerOptions, type ResolvedProfilerOptions } from './profiler-options.js';
import { MemoryTimeline } from './timeline/timeline.js';
import { MEMORY_FIELDS, type MemoryFigures, type MemoryKind, type MemorySample } from './types.js';
import { PHASE_DURATION_BUCKETS } from './semconv.js';

/** A running phase started with markPhaseStart(); `end()` is the same as markPhaseEnd() for exactly this instance. */
export interface PhaseHandle {
  readonly name: string;
  end(): void;
}

/** The handle of a phase that is not tracked (after stop(), past maxActivePhases): ending it does nothing. */
class UntrackedHandle implements PhaseHandle {
  constructor(readonly name: string) {}

  end(): void {
    // Nothing was started.
  }
}

/**
 * The in-process memory profiler: samples RSS and the V8 heap on an interval, tracks named phases with memory at
 * their boundaries, watches GC, judges leaks, and — given a Meter — records all of it as OpenTelemetry metrics.
 *
 * Configuration errors throw at construction; nothing the profiler does at run time throws into the host. Nothing it
 * starts keeps the process alive, and stop() (or `using`, or withMemoryProfiler) releases all of it.
 */
export class MemoryProfiler implements Disposable {
  private readonly options: ResolvedProfilerOptions;
  private readonly warnings = new WarnOnce();
  private readonly probeErrors = new ProbeErrors(this.warnings);
  private readonly probes: MemoryProbes;
  private readonly timeline: MemoryTimeline;
  private readonly table: PhaseTable;
  private readonly intervals: PhaseIntervals;
  private readonly tracker: PhaseTracker;
  private readonly context: PhaseContext;
  /** What a mark handle's end() calls: markPhaseEnd() for exactly that instance, guarded like every entry point. */
  private readonly ender: MarkEnder = {
    endMark: (instance) => {
      try {
        this.tracker.endMark(instance);
      } catch (error) {
        this.internalError(error);
      }
    },
  };
  private readonly leak: LeakDetector | undefined;
  private readonly gcTracker: GcTracker;
  private readonly heapMeasurement: HeapMeasurement | undefined;
  private readonly heapSnapshots: AutoHeapSnapshots | undefined;
  private readonly snapshotInstruments: SnapshotInstruments | undefined;
  private readonly gcWatcher: GcWatcher | undefined;
  private readonly eventLoop: EventLoopProbe | undefined;
  private readonly instruments: ProfilerInstruments | undefined;
  private readonly readContainerLimit: () => ContainerMemoryLimit;
  private containerLimitBytes: number | null = null;
  private containerLimitReadAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private last: MemoryFigures = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  private lastSampleAt = Number.NEGATIVE_INFINITY;
  private started = false;
  private stopped = false;

  constructor(options: MemoryProfilerOptions = {}) {
    this.options = resolveProfilerOptions(options);
    const o = this.options;
    this.timeline = new MemoryTimeline(options.timeline);
    this.intervals = new PhaseIntervals(o.maxPhaseIntervals);
    this.leak = options.leak === false ? undefined : new LeakDetector(options.leak ?? {}, wallNow());
    // After every option is validated: a constructor that throws leaves nothing open.
    this.probes = new MemoryProbes(options.sources ?? defaultMemorySources(), this.probeErrors, o.arrayBuffersMaxAgeMs, monotonicNow);
    this.readContainerLimit = options.containerLimit ?? (() => readContainerMemoryLimit());
    const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
    const producer = options.phaseMetrics;
    // With a producer, memscope keeps the duration buckets itself and OpenTelemetry does nothing per phase.
    this.table = new PhaseTable(o.maxPhaseNames, producer === undefined ? undefined : PHASE_DURATION_BUCKETS, wallNow);
    this.context = new PhaseContext(o.phaseContext);
    const phasesOnMeter = options.meter !== undefined && producer === undefined;
    this.tracker = new PhaseTracker({
      table: this.table,
      warnings: this.warnings,
      boundary: o.phaseSnapshots ? (now, out) => { this.boundary(now, out); } : (_now, out) => { this.latestBoundary(out); },
      now: monotonicNow,
      timeOrigin: performance.timeOrigin,
      intervals: this.intervals,
      spans: new PhaseSpans(tracerProvider, MEMSCOPE_VERSION),
      maxActive: o.maxActivePhases,
      ...(phasesOnMeter ? { onEnd: (slot, durationMs) => { this.instruments?.phaseEnded(slot, durationMs); } } : {}),
    });
    producer?.attach({ forEachPhase: (fn) => { this.table.forEach(fn); }, observing: () => !this.stopped });
    if (options.meter !== undefined) {
      this.instruments = new ProfilerInstruments(options.meter, {
        readFresh: () => this.probes.read(true),
        heapSpaces: () => this.probes.heapSpaces(),
        heapLimit: () => this.probes.heapLimit(),
        containerLimit: () => this.getContainerLimit(),
        maxRss: () => this.probes.maxRss(),
        startTimeSeconds: () => performance.timeOrigin / 1000,
        postGc: () => {
          this.gcWatcher?.flush();
          return this.gcTracker.baseline;
        },
        eventLoop: () => this.eventLoop?.read(),
        ...(phasesOnMeter ? { forEachPhase: (fn) => { this.table.forEach(fn); } } : {}),
        misuseCounts: () => this.tracker.misuseCounts,
        leakVerdict: () => this.verdictWithForecast(),
        heapMeasurements: () => this.heapMeasurement?.requests,
      }, { phasesOnMeter, runtimeMetrics: o.runtimeMetrics });
      this.probeErrors.onError((probe) => this.instruments?.probeError(probe));
    }
    // Only where it serves a verdict: with the detector and the GC observer (whose majors it stands in for) both on.
    this.heapMeasurement =
      this.leak !== undefined && o.gc && o.heapMeasurement !== false ? new HeapMeasurement(o.heapMeasurement, monotonicNow()) : undefined;
    this.gcTracker = new GcTracker(this.probes, wallNow, this.leak, (type, ms) => this.instruments?.gc(type, ms), (heapUsed) => {
      this.heapMeasurement?.onMajor(monotonicNow(), heapUsed);
    });
    this.gcWatcher = o.gc ? new GcWatcher((events) => { this.gcTracker.onBatch(events); }) : undefined;
    // The event-loop figures feed only the runtime instruments: left to runtime-node, nothing reads them.
    this.eventLoop = o.eventLoop && o.runtimeMetrics ? new EventLoopProbe(o.eventLoopResolutionMs) : undefined;
    if (options.heapSnapshots !== undefined) {
      const user = options.heapSnapshots;
      this.heapSnapshots = new AutoHeapSnapshots(
        {
          ...user,
          onEvent: (event) => {
            if (event.type === 'snapshot') this.snapshotInstruments?.countSnapshot(event.reason);
            user.onEvent?.(event);
          },
        },
        () => this.verdictWithForecast(),
      );
      if (options.meter !== undefined) this.snapshotInstruments = new SnapshotInstruments(options.meter, this.heapSnapshots);
    }
  }

  /** Starts interval sampling, the GC observer and the event-loop monitor. Calling it twice is harmless. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), this.options.sampleIntervalMs);
    this.timer.unref();
    this.gcWatcher?.start();
    this.heapSnapshots?.start();
    this.eventLoop?.start();
    return this;
  }

  /** Stops everything start() started and stops observing metrics. Data stays readable. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.started) this.sample(true);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.gcWatcher?.stop();
    this.heapMeasurement?.stop();
    this.heapSnapshots?.stop();
    this.snapshotInstruments?.unregister();
    this.eventLoop?.stop();
    this.instruments?.unregister();
    this.context.dispose();
    this.probes.close();
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  get running(): boolean {
    return this.started && !this.stopped;
  }

  /**
   * Current memory. With `forceSample` a sample is recorded on the timeline now; otherwise one is recorded only if
   * the sampling interval has passed since the last.
   */
  checkMemory(options: { forceSample?: boolean } = {}): MemorySample {
    const due = monotonicNow() - this.lastSampleAt >= this.options.sampleIntervalMs;
    if ((options.forceSample ?? false) || due) return this.sample(true);
    return { time: wallNow(), ...this.fill(this.probes.read(true)), phase: this.currentPhase() };
  }

  /**
   * Starts a phase. End it with markPhaseEnd(name) or with the returned handle's end(). The handle is the phase's own
   * record (nothing else is allocated); its end() ends exactly this instance.
   */
  markPhaseStart(name: string): PhaseHandle {
    const label = this.phaseName(name, true);
    let instance: PhaseInstance | undefined;
    if (!this.stopped) {
      // try/catch inline rather than guard(): no closure on the hot path.
      try {
        instance = this.tracker.markStart(label, this.context.current() ?? null, this.ender);
      } catch (error) {
        this.internalError(error);
      }
    }
    return instance ?? new UntrackedHandle(label);
  }

  /**
   * Ends the most recently started running phase of that name. After stop() it still ends a phase started before,
   * so a phase around the shutdown is not lost.
   */
  markPhaseEnd(name: string): void {
    const label = this.phaseName(name, false);
    try {
      this.tracker.markEnd(label);
    } catch (error) {
      this.internalError(error);
    }
  }

  /**
   * Runs `fn` as the phase `name` and returns exactly what `fn` returns — the same value, the same object. Phases
   * started inside `fn` — across `await`, and separately in each of several concurrent flows — are nested under it.
   *
   * - A native promise (an `async` function's, or a subclass's) is timed until it settles; it is returned as it is,
   *   so its identity and any extra methods stay. memscope watches it, so a rejection of it counts as handled.
   * - Anything else, other thenables included, ends the phase when `fn` returns: memscope never calls (nor even
   *   reads) their `then`, which may be lazy, hostile, or a revoked Proxy's.
   * - A throwing `fn` ends the phase and its error passes through unchanged; nothing memscope does throws.
   */
  phase<T>(name: string, fn: () => T): T {
    if (this.stopped) return fn();
    const instance = this.startPhase(name);
    if (instance === undefined) return fn();
    let result: T;
    try {
      result = instance.span === undefined ? this.context.run(instance, fn) : this.runWithSpan(instance, instance.span, fn);
    } catch (error) {
      this.endSafely(instance, { error });
      throw error;
    }
    // isPromise() checks V8's own type: no getter, Proxy trap or `then` of the host's object runs.
    if (typeof result === 'object' && result !== null && isPromise(result)) this.endOnSettle(instance, result);
    else this.endSafely(instance, undefined);
    return result;
  }

  private startPhase(name: string): PhaseInstance | undefined {
    try {
      return this.tracker.start(this.phaseName(name, true), this.context.current() ?? null);
    } catch (error) {
      this.internalError(error);
      return undefined;
    }
  }

  /**
   * Runs `fn` with the phase's span active. The context manager is the host's (or OpenTelemetry's) code: whatever it
   * throws, before or after `fn`, is memscope's failure, warned about once — `fn` still runs exactly once and its own
   * value or error is what the caller gets.
   */
  private runWithSpan<T>(instance: PhaseInstance, span: Span, fn: () => T): T {
    let outcome: { value: T } | { error: unknown } | undefined;
    try {
      this.context.run(instance, () => {
        PhaseSpans.runWith(span, () => {
          try {
            outcome = { value: fn() };
          } catch (error) {
            outcome = { error };
          }
        });
      });
    } catch (error) {
      this.internalError(error);
    }
    // A context manager that threw before calling fn, or never called it: fn runs without the span.
    if (outcome === undefined) return this.context.run(instance, fn);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /** Ends the phase when `promise` settles, without changing it (see phase()). */
  private endOnSettle(instance: PhaseInstance, promise: Promise<unknown>): void {
    try {
      // The intrinsic then, not the promise's own: a subclass may override it. The handlers never throw, so the
      // promise this returns always fulfils and nothing unhandled is left behind.
      void promiseThen.call(promise, () => { this.endSafely(instance, undefined); }, (error: unknown) => { this.endSafely(instance, { error }); });
    } catch (error) {
      // A promise whose `constructor` (species) getter throws: it cannot be watched, so the phase ends now.
      this.internalError(error);
      this.endSafely(instance, undefined);
    }
  }

  private endSafely(instance: PhaseInstance, failure: PhaseFailure | undefined): void {
    try {
      this.tracker.end(instance, failure);
    } catch (error) {
      this.internalError(error);
    }
  }

  private internalError(error: unknown): void {
    this.warnings.warn('internal', 'MEMSCOPE_W_INTERNAL', `memscope: phase bookkeeping failed and was skipped: ${errorMessage(error)}`);
  }

  /** Runs memscope's own bookkeeping so that it can never throw into the caller: a failure is warned about once. */
  private guard<R>(fn: () => R, fallback: R): R {
    try {
      return fn();
    } catch (error) {
      this.internalError(error);
      return fallback;
    }
  }

  /**
   * The name a phase is recorded under. A string within maxPhaseNameLength is used as it is (the hot path: one
   * comparison); see longOrOddPhaseName() for the rest.
   */
  private phaseName(name: unknown, starting: boolean): string {
    if (typeof name === 'string' && name.length <= this.options.maxPhaseNameLength) return name;
    return this.longOrOddPhaseName(name, starting);
  }

  /**
   * Phase names come from JavaScript callers too: anything that is not a string is recorded as its string form, and
   * a value that cannot be turned into one (a Symbol, an object whose toString() throws) as 'invalid', with a warning.
   * A name longer than maxPhaseNameLength is cut (every series of the phase carries it) and, when a phase starts,
   * counted as misuse `name_too_long`; ends cut the same way, so they find their start.
   */
  private longOrOddPhaseName(name: unknown, starting: boolean): string {
    let text: string;
    try {
      text = String(name);
    } catch {
      this.warnings.warn('phase-name', 'MEMSCOPE_W_PHASE', 'memscope: a phase name could not be converted to a string; it is recorded as "invalid"');
      return 'invalid';
    }
    const max = this.options.maxPhaseNameLength;
    if (text.length <= max) return text;
    const cut = truncateName(text, max);
    if (starting) this.guard(() => { this.tracker.reportMisuse('name_too_long', cut); }, undefined);
    return cut;
  }

  /** The innermost phase of the calling async context (or the most recently started one), or null. */
  currentPhase(): string | null {
    return this.currentInstance()?.label ?? null;
  }

  /** Phase names from the outermost to the innermost, for the calling async context. */
  currentPhasePath(): string[] {
    return this.currentInstance()?.path() ?? [];
  }

  getMemoryTimeline(): MemorySample[] {
    return this.timeline.toArray();
  }

  /** Run-wide maxima of each figure with the time they happened (they survive timeline folding). */
  getPeak(): ReturnType<MemoryTimeline['peak']> {
    return this.timeline.peak();
  }

  getPhaseStats(): PhaseStats[] {
    return this.table.list();
  }

  /** The most recent completed phase instances with their wall-clock start and end (for charts; bounded). */
  getPhaseIntervals(): PhaseInterval[] {
    return this.intervals.toArray();
  }

  /** The post-GC baseline points the leak detector analyses, per kind of memory (for reports and charts). */
  getLeakBaselines(): Record<MemoryKind, BaselinePoint[]> | undefined {
    const leak = this.leak;
    if (leak === undefined) return undefined;
    this.gcWatcher?.flush();
    return { heap: leak.baseline('heap'), external: leak.baseline('external'), array_buffers: leak.baseline('array_buffers'), rss: leak.baseline('rss') };
  }

  /**
   * The leak verdict now — `status` suspected, no-leak or inconclusive, with its evidence, its one-line `summary` and
   * the exhaustion forecast (when the heap and container limits would be reached at the current baseline trend) —
   * or undefined when the detector is off.
   */
  getLeakVerdict(): LeakVerdict | undefined {
    this.gcWatcher?.flush();
    return this.verdictWithForecast();
  }

  /**
   * The heap snapshots (the `heapSnapshots` option): `snapshot()` takes one on demand, `stats()` counts them and their
   * refusals, `latestPair()` names the newest pair and what grew most between its snapshots. Undefined when off.
   */
  getHeapSnapshots(): Pick<AutoHeapSnapshots, 'stats' | 'latestPair'> & { snapshot: HeapSnapshotCapture['snapshot'] } | undefined {
    const h = this.heapSnapshots;
    if (h === undefined) return undefined;
    return { stats: () => h.stats(), latestPair: () => h.latestPair(), snapshot: (reason) => h.capture.snapshot(reason) };
  }

  /** Live-heap measurements asked of V8 so far (see the `heapMeasurement` option). */
  getHeapMeasurementCount(): number {
    return this.heapMeasurement?.requests ?? 0;
  }

  private verdictWithForecast(): LeakVerdict | undefined {
    const leak = this.leak;
    if (leak === undefined) return undefined;
    const verdict = leak.verdict(wallNow());
    // The heap limit a leak actually dies at: V8's heap_size_limit also counts the young generation's reservation.
    const forecast = leak.forecast({ heapLimitBytes: usableHeapLimit(this.probes.heapLimit()), containerLimitBytes: this.getContainerLimit(), rssBytes: this.last.rss });
    return forecast.heap === null && forecast.container === null ? verdict : Object.freeze({ ...verdict, forecast });
  }

  getGcStats(): GcStats {
    this.gcWatcher?.flush();
    return structuredClone(this.gcTracker.stats);
  }

  /** Memory right after the most recent GC that reclaims it (major GC for the heap); NaN before the first. */
  getPostGcBaseline(): PostGcBaseline {
    this.gcWatcher?.flush();
    return { ...this.gcTracker.baseline };
  }

  /** V8's heap size limit in bytes. */
  getHeapLimit(): number {
    return this.probes.heapLimit();
  }

  /** The cgroup (container) memory limit in bytes, or null when there is none. Re-read at most every 30 s. */
  getContainerLimit(): number | null {
    const now = monotonicNow();
    if (now - this.containerLimitReadAt >= this.options.containerLimitRefreshMs) {
      this.containerLimitReadAt = now;
      const result = this.probeErrors.guard('container_limit', this.readContainerLimit, undefined);
      if (result !== undefined) {
        if (result.error !== undefined) this.probeErrors.record('container_limit', result.error);
        this.containerLimitBytes = result.limitBytes;
      }
    }
    return this.containerLimitBytes;
  }

  /** Failed probe reads so far (each failure was skipped). */
  getProbeErrorCount(): number {
    return this.probeErrors.total();
  }

  /** Forces a full GC (see forceGc()) and records the post-GC reading. Returns false when no GC could be run. */
  forceGc(): boolean {
    const ran = forceGc();
    this.gcWatcher?.flush();
    return ran;
  }

  private sample(fresh: boolean): MemorySample {
    const t0 = monotonicNow();
    const figures = this.fill(this.probes.read(fresh));
    const sample: MemorySample = { time: performance.timeOrigin + t0, ...figures, phase: this.tracker.latest()?.label ?? null };
    this.timeline.push(sample);
    this.tracker.observe(figures.rss, figures.heapUsed, figures.external);
    this.leak?.recordSample(sample.time, { rss: this.probes.rssOutsideHeap(figures.rss) });
    this.heapMeasurement?.maybeRequest(t0, figures.heapUsed);
    this.lastSampleAt = t0;
    this.instruments?.sampled((monotonicNow() - t0) / 1000);
    return sample;
  }

  /** Replaces figures a failed probe left NaN with the last good ones, so the timeline stays continuous. */
  private fill(figures: MemoryFigures): MemoryFigures {
    for (const field of MEMORY_FIELDS) {
      if (Number.isFinite(figures[field])) this.last[field] = figures[field];
      else figures[field] = this.last[field];
    }
    return figures;
  }

  /** A fresh boundary reading into `out`; a figure a failed probe left NaN is the last good one. */
  private boundary(now: number, out: BoundaryReading): void {
    const m = this.probes.readPhaseBoundary(now, this.options.boundaryRssMaxAgeMs);
    const last = this.last;
    out.rss = Number.isFinite(m.rss) ? m.rss : last.rss;
    out.heapUsed = Number.isFinite(m.heapUsed) ? m.heapUsed : last.heapUsed;
    out.external = Number.isFinite(m.external) ? m.external : last.external;
    out.maxRss = m.maxRss;
  }

  /** The latest sample as the boundary reading (phaseSnapshots: false): no probe is read. */
  private latestBoundary(out: BoundaryReading): void {
    const last = this.last;
    out.rss = last.rss;
    out.heapUsed = last.heapUsed;
    out.external = last.external;
    out.maxRss = Number.NaN;
  }

  private currentInstance(): PhaseInstance | null {
    return this.context.current() ?? this.tracker.latest();
  }
}

/**
 * Runs `fn` with a started profiler and stops it afterwards, whether `fn` returns, throws or rejects. The profiler
 * stays readable inside `fn` and after it returns.
 */
export async function withMemoryProfiler<T>(
  options: MemoryProfilerOptions,
  fn: (profiler: MemoryProfiler) => T | Promise<T>,
): Promise<T> {
  const profiler = new MemoryProfiler(options).start();
  try {
    return await fn(profiler);
  } finally {
    profiler.stop();
  }
}

/** The intrinsic Promise.prototype.then, taken at load time so a patched prototype later cannot intervene. */
// eslint-disable-next-line @typescript-eslint/unbound-method
const promiseThen = Promise.prototype.then;


function monotonicNow(): number {
  return performance.now();
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
