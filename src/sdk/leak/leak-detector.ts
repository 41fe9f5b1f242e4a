import { invalidOption } from '../../internal/errors.js';
import type { MemoryKind } from '../types.js';
import { BaselineSeries, type BaselinePoint } from './baseline-series.js';
import { resolveLeakOptions, type LeakDetectorOptions, type ResolvedLeakOptions } from './leak-options.js';
import { leakConfidence, TrendAnalyser, WARMING_UP, type TrendEvidence } from './trend-evidence.js';

// The detector's public types live beside their code; they are re-exported here so that callers import one module.
export type { BaselinePoint } from './baseline-series.js';
export type { LeakDetectorOptions } from './leak-options.js';
export type { TrendEvidence, TrendStatus } from './trend-evidence.js';
export { leakConfidence } from './trend-evidence.js';

/** The detector's answer. Frozen; the same object is returned until something that matters changes. */
export interface LeakVerdict {
  readonly suspected: boolean;
  /** The basis's slope; when nothing is suspected, the largest slope among kinds with enough data (0 when none). */
  readonly slopeBytesPerSec: number;
  /** {@link leakConfidence} of the basis; 0 when nothing is suspected. */
  readonly confidence: number;
  /** The most specific suspected kind (heap > external > array_buffers > rss), or null. */
  readonly basis: MemoryKind | null;
  readonly evidence: Readonly<Record<MemoryKind, TrendEvidence>>;
}

/** Memory figures read right after a GC, in bytes. */
export interface PostGcFigures {
  heapUsed: number;
  external: number;
  arrayBuffers?: number;
  rss?: number;
}

/**
 * Most specific first: a JS-heap leak also raises RSS (and Buffers raise external, array buffers and RSS), but the
 * root is the most specific kind that grows.
 */
export const LEAK_BASIS_PRIORITY = ['heap', 'external', 'array_buffers', 'rss'] as const satisfies readonly MemoryKind[];

/**
 * A reading this much older than the newest one means the wall clock stepped back (or the time is garbage). A few
 * such readings in a row reset the baselines, because otherwise nothing would be recorded until the clock caught up;
 * a single one is ignored, so one bad timestamp cannot wipe the history.
 */
const CLOCK_STEP_MS = 60_000;
const CLOCK_STEP_CONFIRMATIONS = 3;

interface CacheEntry {
  warmingUp: boolean;
  version: number;
  from: number;
  to: number;
  evidence: TrendEvidence;
}

/**
 * Decides whether the service leaks memory, from baselines that ignore the healthy ups and downs of a GC'd heap:
 * - heap: heap used right after MAJOR GCs only (between majors the heap saw-tooths upward even when healthy);
 * - external and array_buffers: right after ANY GC (scavenges free young Buffers, majors may not run for minutes);
 * - rss: right after any GC and at every periodic sample.
 * Each baseline keeps the lowest reading per `bucketMs`. A kind is suspected when its complete buckets of the last
 * `windowMs` are enough (`minPoints`, `minSpanMs`) and show a Theil–Sen slope of at least `minSlopeBytesPerSec`
 * and a rise of at least `minGrowthBytes`, a Mann–Kendall p-value of at most `maxPValue` and an R² of at least
 * `minRSquared`, and the most recent half of the points still rises at half that rate and by half that amount
 * (so a warm-up plateau or a single step that then stays flat stops being flagged, while a staircase is not).
 *
 * Times are epoch milliseconds. Recording never throws: non-finite or negative figures are ignored.
 */
export class LeakDetector {
  private readonly options: ResolvedLeakOptions;
  private readonly analyser: TrendAnalyser;
  private readonly series: Record<MemoryKind, BaselineSeries>;
  private readonly cache = new Map<MemoryKind, CacheEntry>();
  private startTime: number | undefined;
  private lastTime = Number.NaN;
  private staleReadings = 0;
  private lastVerdict: LeakVerdict | undefined;

  /** `startTime` (epoch ms) starts the warm-up; by default the time of the first recorded event. */
  constructor(options?: LeakDetectorOptions, startTime?: number) {
    this.options = resolveLeakOptions(options);
    if (startTime !== undefined && (typeof startTime !== 'number' || !Number.isFinite(startTime))) {
      throw invalidOption('startTime', 'a finite time in epoch milliseconds', startTime);
    }
    this.startTime = startTime;
    this.analyser = new TrendAnalyser(this.options);
    const make = (): BaselineSeries => new BaselineSeries(this.options.bucketMs, this.options.maxPoints);
    this.series = { heap: make(), external: make(), array_buffers: make(), rss: make() };
  }

  /** Records the figures read right after a GC; `major` for mark-compact collections. */
  recordGc(time: number, major: boolean, figures: PostGcFigures): void {
    if (typeof figures !== 'object' || (figures as unknown) === null || !this.accept(time)) return;
    // Compared with true on purpose: a JavaScript caller may pass anything, and only a real major GC counts.
    if ((major as unknown) === true) this.add('heap', time, figures.heapUsed);
    this.add('external', time, figures.external);
    this.add('array_buffers', time, figures.arrayBuffers);
    this.add('rss', time, figures.rss);
  }

  /** Records a periodic sample; only its RSS feeds a baseline. */
  recordSample(time: number, figures: { rss: number }): void {
    if (typeof figures !== 'object' || (figures as unknown) === null || !this.accept(time)) return;
    this.add('rss', time, figures.rss);
  }

  /** The verdict at `now` (epoch ms; by default the time of the newest recorded event). */
  verdict(now?: number): LeakVerdict {
    const at = typeof now === 'number' && Number.isFinite(now) ? now : this.lastTime;
    const warmingUp = this.startTime === undefined || !(at >= this.startTime + this.options.warmUpMs);
    let changed = this.lastVerdict === undefined;
    const evidence = {} as Record<MemoryKind, TrendEvidence>;
    for (const kind of LEAK_BASIS_PRIORITY) {
      const series = this.series[kind];
      const from = warmingUp ? 0 : series.firstIndexAfter(at - this.options.windowMs);
      // Only buckets that are over: the minimum of a bucket still filling is taken over fewer readings, so it sits
      // above its neighbours and would tilt the newest end of every flat-but-noisy baseline upward.
      const to = warmingUp ? 0 : series.countBefore(Math.floor(at / this.options.bucketMs) * this.options.bucketMs);
      let entry = this.cache.get(kind);
      if (entry?.warmingUp !== warmingUp || entry.version !== series.version || entry.from !== from || entry.to !== to) {
        const fresh = warmingUp ? WARMING_UP : this.analyser.analyse(series, from, to);
        changed ||= fresh !== entry?.evidence;
        entry = { warmingUp, version: series.version, from, to, evidence: fresh };
        this.cache.set(kind, entry);
      }
      evidence[kind] = entry.evidence;
    }
    if (!changed && this.lastVerdict !== undefined) return this.lastVerdict;
    this.lastVerdict = summarise(Object.freeze(evidence));
    return this.lastVerdict;
  }

  /** A copy of one baseline's points, oldest first (for reports and charts). */
  baseline(kind: MemoryKind): BaselinePoint[] {
    return this.series[kind].toArray();
  }

  /** Checks the time of an event; false when the event must be ignored. */
  private accept(time: number): boolean {
    if (typeof time !== 'number' || !Number.isFinite(time)) return false;
    this.startTime ??= time;
    if (time < this.lastTime - CLOCK_STEP_MS) {
      if (++this.staleReadings < CLOCK_STEP_CONFIRMATIONS) return false;
      for (const series of Object.values(this.series)) series.clear();
      // Move the warm-up with the clock: it is about how long the service has run, not about wall-clock dates.
      this.startTime -= this.lastTime - time;
      this.lastTime = time;
    }
    this.staleReadings = 0;
    if (!(time <= this.lastTime)) this.lastTime = time;
    return time >= this.startTime + this.options.warmUpMs;
  }

  private add(kind: MemoryKind, time: number, value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.series[kind].add(time, value);
  }
}

function summarise(evidence: Readonly<Record<MemoryKind, TrendEvidence>>): LeakVerdict {
  const basis = LEAK_BASIS_PRIORITY.find((kind) => evidence[kind].status === 'suspected') ?? null;
  if (basis !== null) {
    const e = evidence[basis];
    return Object.freeze({
      suspected: true,
      slopeBytesPerSec: e.slopeBytesPerSec,
      confidence: leakConfidence(e.pValue, e.rSquared),
      basis,
      evidence,
    });
  }
  let slope = Number.NEGATIVE_INFINITY;
  for (const kind of LEAK_BASIS_PRIORITY) {
    if (evidence[kind].status === 'no-growth') slope = Math.max(slope, evidence[kind].slopeBytesPerSec);
  }
  return Object.freeze({
    suspected: false,
    slopeBytesPerSec: Number.isFinite(slope) ? slope : 0,
    confidence: 0,
    basis: null,
    evidence,
  });
}
