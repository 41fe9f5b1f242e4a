import { trace } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../internal/errors.js';
import { WarnOnce } from '../internal/warnings.js';
import { MEMSCOPE_VERSION } from '../version.js';
import { forceGc } from './gc/force-gc.js';
import { GcTracker, type GcStats } from './gc/gc-tracker.js';
import { GcWatcher } from './gc/gc-watcher.js';
import { HeapMeasurement } from './gc/heap-measurement.js';
import type { PostGcBaseline } from './instruments/observe-memory.js';
import { ProfilerInstruments } from './instruments/profiler-instruments.js';
import { LeakDetector, type BaselinePoint, type LeakVerdict } from './leak/leak-detector.js';
import { PhaseContext } from './phases/phase-context.js';
import type { PhaseInstance } from './phases/phase-instance.js';
import { PhaseIntervals, type PhaseInterval } from './phases/phase-intervals.js';
import { PhaseNames } from './phases/phase-names.js';
import { PhaseSpans } from './phases/phase-spans.js';
import { PhaseStatsTable, type PhaseMemory, type PhaseStats } from './phases/phase-stats.js';
import { PhaseTracker, type PhaseFailure } from './phases/phase-tracker.js';
import { readContainerMemoryLimit, type ContainerMemoryLimit } from './probes/container-memory.js';
import { EventLoopProbe } from './probes/event-loop-probe.js';
import { defaultMemorySources, MemoryProbes } from './probes/memory-probes.js';
import { ProbeErrors } from './probes/probe-errors.js';
import { resolveProfilerOptions, type MemoryProfilerOptions, type ResolvedProfilerOptions } from './profiler-options.js';
import { MemoryTimeline } from './timeline/timeline.js';
import { MEMORY_FIELDS, type MemoryFigures, type MemoryKind, type MemorySample } from './types.js';

/** A running phase started with markPhaseStart(); `end()` is the same as markPhaseEnd() for exactly this instance. */
export interface PhaseHandle {
  readonly name: string;
  end(): void;
}

const NOOP_HANDLE_END = (): void => undefined;

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
  private readonly stats = new PhaseStatsTable();
  private readonly intervals: PhaseIntervals;
  private readonly tracker: PhaseTracker;
  private readonly context = new PhaseContext();
  private readonly leak: LeakDetector | undefined;
  private readonly gcTracker: GcTracker;
  private readonly heapMeasurement: HeapMeasurement | undefined;
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
    this.tracker = new PhaseTracker({
      names: new PhaseNames(o.maxPhaseNames),
      stats: this.stats,
      warnings: this.warnings,
      boundary: o.phaseSnapshots ? (now) => this.boundary(now) : () => this.latestBoundary(),
      now: monotonicNow,
      timeOrigin: performance.timeOrigin,
      intervals: this.intervals,
      spans: new PhaseSpans(tracerProvider, MEMSCOPE_VERSION),
      maxActive: o.maxActivePhases,
      onMisuse: (kind) => this.instruments?.misuse(kind),
      onStart: (label) => this.instruments?.phaseStarted(label),
      onEnd: (label, durationMs) => this.instruments?.phaseEnded(label, durationMs),
    });
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
        phaseStats: () => this.stats.list(),
        leakVerdict: () => this.verdictWithForecast(),
        heapMeasurements: () => this.heapMeasurement?.requests,
      });
      this.probeErrors.onError((probe) => this.instruments?.probeError(probe));
    }
    // Only where it serves a verdict: with the detector and the GC observer (whose majors it stands in for) both on.
    this.heapMeasurement =
      this.leak !== undefined && o.gc && o.heapMeasurement !== false ? new HeapMeasurement(o.heapMeasurement, monotonicNow()) : undefined;
    this.gcTracker = new GcTracker(this.probes, wallNow, this.leak, (type, ms) => this.instruments?.gc(type, ms), (heapUsed) => {
      this.heapMeasurement?.onMajor(monotonicNow(), heapUsed);
    });
    this.gcWatcher = o.gc ? new GcWatcher((events) => { this.gcTracker.onBatch(events); }) : undefined;
    this.eventLoop = o.eventLoop ? new EventLoopProbe(o.eventLoopResolutionMs) : undefined;
  }

  /** Starts interval sampling, the GC observer and the event-loop monitor. Calling it twice is harmless. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), this.options.sampleIntervalMs);
    this.timer.unref();
    this.gcWatcher?.start();
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

  /** Starts a phase. End it with markPhaseEnd(name) or with the returned handle's end(). */
  markPhaseStart(name: string): PhaseHandle {
    const label = this.phaseName(name);
    const instance = this.stopped ? undefined : this.guard(() => this.tracker.markStart(label, this.context.current() ?? null), undefined);
    if (instance === undefined) return { name: label, end: NOOP_HANDLE_END };
    return { name: instance.name, end: () => { this.guard(() => { this.tracker.endMark(instance); }, undefined); } };
  }

  /**
   * Ends the most recently started running phase of that name. After stop() it still ends a phase started before,
   * so a phase around the shutdown is not lost.
   */
  markPhaseEnd(name: string): void {
    const label = this.phaseName(name);
    this.guard(() => { this.tracker.markEnd(label); }, undefined);
  }

  /**
   * Runs `fn` as the phase `name`. Phases started inside `fn` — across `await`, and separately in each of several
   * concurrent flows — are nested under it. A rejected or thrown `fn` still ends the phase, and its error passes
   * through unchanged.
   */
  phase<T>(name: string, fn: () => T): T {
    if (this.stopped) return fn();
    const label = this.phaseName(name);
    let instance: PhaseInstance | undefined;
    try {
      instance = this.tracker.start(label, this.context.current() ?? null);
    } catch (error) {
      this.internalError(error);
    }
    if (instance === undefined) return fn();
    const span = instance.span;
    const body = span === undefined ? fn : () => PhaseSpans.runWith(span, fn);
    let result: T;
    try {
      result = this.context.run(instance, body);
    } catch (error) {
      this.endSafely(instance, { error });
      throw error;
    }
    if (!isThenable(result)) {
      this.endSafely(instance, undefined);
      return result;
    }
    const running = instance;
    try {
      return result.then(
        (value) => {
          this.endSafely(running, undefined);
          return value;
        },
        (error: unknown) => {
          this.endSafely(running, { error });
          throw error;
        },
      ) as T;
    } catch {
      // A thenable whose then() throws: the phase ends now and the caller gets exactly what fn returned.
      this.endSafely(running, undefined);
      return result;
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
   * Phase names come from JavaScript callers too: anything that is not a string is recorded as its string form, and
   * a value that cannot be turned into one (a Symbol, an object whose toString() throws) as 'invalid', with a warning.
   */
  private phaseName(name: unknown): string {
    if (typeof name === 'string') return name;
    try {
      return String(name);
    } catch {
      this.warnings.warn('phase-name', 'MEMSCOPE_W_PHASE', 'memscope: a phase name could not be converted to a string; it is recorded as "invalid"');
      return 'invalid';
    }
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
    return this.stats.list();
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

  /** Live-heap measurements asked of V8 so far (see the `heapMeasurement` option). */
  getHeapMeasurementCount(): number {
    return this.heapMeasurement?.requests ?? 0;
  }

  private verdictWithForecast(): LeakVerdict | undefined {
    const leak = this.leak;
    if (leak === undefined) return undefined;
    const verdict = leak.verdict(wallNow());
    const forecast = leak.forecast({ heapLimitBytes: this.probes.heapLimit(), containerLimitBytes: this.getContainerLimit(), rssBytes: this.last.rss });
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

  private boundary(now: number): { memory: PhaseMemory; maxRss: number } {
    const m = this.probes.readPhaseBoundary(now, this.options.boundaryRssMaxAgeMs);
    return {
      memory: {
        rss: Number.isFinite(m.rss) ? m.rss : this.last.rss,
        heapUsed: Number.isFinite(m.heapUsed) ? m.heapUsed : this.last.heapUsed,
        external: Number.isFinite(m.external) ? m.external : this.last.external,
      },
      maxRss: m.maxRss,
    };
  }

  private latestBoundary(): { memory: PhaseMemory; maxRss: number } {
    return { memory: { rss: this.last.rss, heapUsed: this.last.heapUsed, external: this.last.external }, maxRss: Number.NaN };
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

function isThenable<T>(value: T): value is T & PromiseLike<Awaited<T>> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function monotonicNow(): number {
  return performance.now();
}

function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
