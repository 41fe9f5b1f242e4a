import { invalidOption } from '../../internal/errors.js';
import { MEMORY_KINDS, type MemoryKind } from '../types.js';
import { BaselineSeries, type BaselinePoint } from './baseline-series.js';
import { describeLeakVerdict } from './describe-verdict.js';
import { forecastExhaustion, type ExhaustionForecast, type ForecastInputs } from './forecast.js';
import { resolveLeakOptions, type LeakDetectorOptions, type ResolvedLeakOptions } from './leak-options.js';
import { leakConfidence, TrendAnalyser, WARMING_UP, type TrendEvidence } from './trend-evidence.js';

// The detector's public types live beside their code; they are re-exported here so that callers import one module.
export type { BaselinePoint } from './baseline-series.js';
export type { LeakDetectorOptions } from './leak-options.js';
export type { TrendEvidence, TrendStatus } from './trend-evidence.js';
export type { ExhaustionForecast, ForecastInputs, LimitForecast } from './forecast.js';
export { leakConfidence } from './trend-evidence.js';

/**
 * `suspected`: some kind of memory grows without bound; `no-leak`: every baseline has enough data and none grows;
 * `inconclusive`: the detector cannot speak yet (warming up, or too few baseline points) — never read as "no leak".
 */
export type LeakStatus = 'suspected' | 'no-leak' | 'inconclusive';

/** The detector's answer. Frozen; the same object is returned until something that matters changes. */
export interface LeakVerdict {
  readonly status: LeakStatus;
  /** `status === 'suspected'`. */
  readonly suspected: boolean;
  /** The basis's slope; when nothing is suspected, the largest slope among kinds with enough data (0 when none). */
  readonly slopeBytesPerSec: number;
  /** {@link leakConfidence} of the basis; 0 when nothing is suspected. */
  readonly confidence: number;
  /**
   * The suspected kind that names the leak, or null: of heap, external and array_buffers, the one growing fastest
   * (within 10 %, the earlier in that order); rss only when none of them is suspected. See {@link leakBasis}.
   */
  readonly basis: MemoryKind | null;
  /**
   * Per kind of memory, the evidence that decided: the fastest time scale that suspects a leak, or else the minutes
   * scale.
   */
  readonly evidence: Readonly<Record<MemoryKind, TrendEvidence>>;
  /** When inconclusive: about how much longer the detector needs before it can speak, ms (null when not inconclusive). */
  readonly moreMs: number | null;
  /** The verdict in one sentence — the words every output of memscope uses for it. */
  readonly summary: string;
  /** When the memory would run out at the current baseline trend (set by the profiler, which knows the limits). */
  readonly forecast?: ExhaustionForecast;
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
 * Which suspected kind names a leak. RSS follows every other kind, so it names a leak only when no other kind is
 * suspected. Among the others, the fastest grower: a leak of Buffers raises the JS heap too (each keeps a JS object
 * and a slot in whatever holds it) but the external memory far more, and external memory and array buffers grow
 * together for Buffers — so a kind must outgrow an earlier one in {@link LEAK_BASIS_PRIORITY} by more than 10 % to
 * take its place.
 */
export function leakBasis(evidence: Readonly<Record<MemoryKind, Pick<TrendEvidence, 'status' | 'slopeBytesPerSec'>>>): MemoryKind | null {
  let basis: MemoryKind | null = null;
  for (const kind of LEAK_BASIS_PRIORITY) {
    const e = evidence[kind];
    if (e.status !== 'suspected') continue;
    if (basis === null) basis = kind;
    else if (kind !== 'rss' && e.slopeBytesPerSec > 1.1 * evidence[basis].slopeBytesPerSec) basis = kind;
  }
  return basis;
}

/**
 * A reading this much older than the newest one means the wall clock stepped back (or the time is garbage). A few
 * such readings in a row reset the baselines, because otherwise nothing would be recorded until the clock caught up;
 * a single one is ignored, so one bad timestamp cannot wipe the history.
 */
const CLOCK_STEP_MS = 60_000;

/** The evidence of a kind the detector was told not to judge (LeakDetectorOptions.kinds). */
const NOT_JUDGED: TrendEvidence = Object.freeze({ ...WARMING_UP, status: 'insufficient-data' as const });
const CLOCK_STEP_CONFIRMATIONS = 3;

interface CacheEntry {
  version: number;
  from: number;
  to: number;
  warm: boolean;
  evidence: TrendEvidence;
}

/** One kind of memory: its baseline at every time scale, fastest first. */
interface KindState {
  readonly series: BaselineSeries[];
  readonly cache: Array<CacheEntry | undefined>;
  /** The evidence of every scale at the last verdict (for the forecast). */
  latest: TrendEvidence[];
}

/**
 * Decides whether the service leaks memory, from baselines that ignore the healthy ups and downs of a GC'd heap:
 * - heap: heap used right after MAJOR GCs only (between majors the heap saw-tooths upward even when healthy);
 * - external and array_buffers: right after ANY GC (scavenges free young Buffers, majors may not run for minutes);
 * - rss: RSS outside the V8 heap, right after any GC and at every periodic sample.
 * Each baseline is kept at several time scales (one point per bucket: the lowest reading in it), each judged on its
 * own window: minutes for fast leaks, an hour and six hours for slow ones. A kind is suspected when one scale's
 * points are enough and show a significant (Mann–Kendall), well-fitting (R²) Theil–Sen slope and rise above the
 * scale's floors and above the baseline's own noise, still rising in the recent half — and, when the rise began in
 * the warm-up, still rising after it.
 *
 * Times are epoch milliseconds. Recording never throws: non-finite or negative figures are ignored. The detector
 * only reads what it is given; what makes heap points come often enough on a big, busy heap is the profiler's
 * business (see HeapMeasurement).
 */
export class LeakDetector {
  private readonly options: ResolvedLeakOptions;
  private readonly analyser: TrendAnalyser;
  private readonly kinds: Record<MemoryKind, KindState>;
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
    const make = (): KindState => ({
      series: this.options.scales.map((s) => new BaselineSeries(s.bucketMs, s.capacity)),
      cache: this.options.scales.map(() => undefined),
      latest: [],
    });
    this.kinds = { heap: make(), external: make(), array_buffers: make(), rss: make() };
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

  /** Records a periodic sample; only its RSS (outside the V8 heap) feeds a baseline. */
  recordSample(time: number, figures: { rss: number }): void {
    if (typeof figures !== 'object' || (figures as unknown) === null || !this.accept(time)) return;
    this.add('rss', time, figures.rss);
  }

  /** The verdict at `now` (epoch ms; by default the time of the newest recorded event). */
  verdict(now?: number): LeakVerdict {
    const at = typeof now === 'number' && Number.isFinite(now) ? now : this.lastTime;
    const warmUpEnd = this.startTime === undefined ? Number.POSITIVE_INFINITY : this.startTime + this.options.warmUpMs;
    const warm = at >= warmUpEnd;
    const evidence = {} as Record<MemoryKind, TrendEvidence>;
    for (const kind of LEAK_BASIS_PRIORITY) {
      if (!this.options.kinds.includes(kind)) {
        evidence[kind] = NOT_JUDGED;
        continue;
      }
      const state = this.kinds[kind];
      const latest: TrendEvidence[] = [];
      for (const [i, scale] of this.options.scales.entries()) {
        const series = state.series[i] as BaselineSeries;
        const from = warm ? series.firstIndexAfter(at - scale.windowMs) : 0;
        // Only buckets that are over: the minimum of a bucket still filling is taken over fewer readings, so it sits
        // above its neighbours and would tilt the newest end of every flat-but-noisy baseline upward.
        const to = warm ? series.countBefore(Math.floor(at / scale.bucketMs) * scale.bucketMs) : 0;
        let entry = state.cache[i];
        if (entry?.warm !== warm || entry.version !== series.version || entry.from !== from || entry.to !== to) {
          // Each scale's own warm-up (the slow ones are longer): a rise must go on after it.
          const scaleWarmUpEnd = this.startTime === undefined ? warmUpEnd : this.startTime + scale.warmUpMs;
          const fresh = warm ? this.analyser.analyse(series, from, to, scale, scaleWarmUpEnd) : WARMING_UP;
          entry = { warm, version: series.version, from, to, evidence: fresh };
          state.cache[i] = entry;
        }
        latest.push(entry.evidence);
      }
      state.latest = latest;
      evidence[kind] = latest.find((e) => e.status === 'suspected') ?? (latest[0] as TrendEvidence);
    }
    const last = this.lastVerdict;
    // Evidence objects are frozen and reused while their inputs are unchanged: identity says whether anything moved
    // (an inconclusive verdict is rebuilt anyway: how much longer it needs changes with the clock).
    if (last !== undefined && last.status !== 'inconclusive' && MEMORY_KINDS.every((kind) => last.evidence[kind] === evidence[kind])) return last;
    this.lastVerdict = this.summarise(Object.freeze(evidence), at, warmUpEnd);
    return this.lastVerdict;
  }

  /**
   * When the heap limit and the container limit would be reached at the current baseline trends (see
   * forecastExhaustion). Call after verdict(); absent figures mean "no trend", never "infinitely far".
   */
  forecast(inputs: ForecastInputs): ExhaustionForecast {
    return forecastExhaustion(
      (kind) => this.kinds[kind].latest,
      (kind) => {
        const series = this.kinds[kind].series[0] as BaselineSeries;
        return series.length === 0 ? Number.NaN : series.valueAt(series.length - 1);
      },
      inputs,
    );
  }

  /** A copy of one baseline's points at the minutes scale, oldest first (for reports and charts). */
  baseline(kind: MemoryKind): BaselinePoint[] {
    return (this.kinds[kind].series[0] as BaselineSeries).toArray();
  }

  private summarise(evidence: Readonly<Record<MemoryKind, TrendEvidence>>, at: number, warmUpEnd: number): LeakVerdict {
    const basis = leakBasis(evidence);
    const base = { evidence, forecast: undefined };
    if (basis !== null) {
      const e = evidence[basis];
      const v = { status: 'suspected' as const, suspected: true, slopeBytesPerSec: e.slopeBytesPerSec, confidence: leakConfidence(e.pValue, e.rSquared), basis, moreMs: null, ...base };
      return Object.freeze({ ...v, summary: describeLeakVerdict(v) });
    }
    const conclusive = this.options.kinds.every((kind) => evidence[kind].status === 'no-growth');
    let slope = Number.NEGATIVE_INFINITY;
    for (const kind of LEAK_BASIS_PRIORITY) {
      if (evidence[kind].status === 'no-growth') slope = Math.max(slope, evidence[kind].slopeBytesPerSec);
    }
    const v = {
      status: conclusive ? ('no-leak' as const) : ('inconclusive' as const),
      suspected: false,
      slopeBytesPerSec: Number.isFinite(slope) ? slope : 0,
      confidence: 0,
      basis: null,
      moreMs: conclusive ? null : this.moreMs(evidence, at, warmUpEnd),
      ...base,
    };
    return Object.freeze({ ...v, summary: describeLeakVerdict(v) });
  }

  /**
   * A lower bound on how long the detector needs before every kind can speak: the rest of the warm-up, then what the
   * slowest kind lacks in span and in points at the pace its points have come so far. Null when a kind has no point
   * at all yet (no GC has run: nothing says when one will).
   */
  private moreMs(evidence: Readonly<Record<MemoryKind, TrendEvidence>>, at: number, warmUpEnd: number): number | null {
    if (!(at >= warmUpEnd)) return Number.isFinite(warmUpEnd) ? Math.max(0, warmUpEnd - at) : null;
    const scale = this.options.scales[0];
    if (scale === undefined) return null;
    let most = 0;
    for (const kind of this.options.kinds) {
      const e = evidence[kind];
      if (e.status === 'no-growth' || e.status === 'suspected') continue;
      if (e.points === 0) return null;
      const pace = e.points >= 2 ? Math.max(e.spanMs / (e.points - 1), scale.bucketMs) : scale.bucketMs * 2;
      const need = Math.max(scale.minSpanMs - e.spanMs, (scale.minPoints - e.points) * pace, e.status === 'warming-up' ? 3 * pace : 0, 0);
      most = Math.max(most, need);
    }
    return most;
  }

  /** Checks the time of an event; false when the event must be ignored. */
  private accept(time: number): boolean {
    if (typeof time !== 'number' || !Number.isFinite(time)) return false;
    this.startTime ??= time;
    if (time < this.lastTime - CLOCK_STEP_MS) {
      if (++this.staleReadings < CLOCK_STEP_CONFIRMATIONS) return false;
      for (const state of Object.values(this.kinds)) for (const series of state.series) series.clear();
      // Move the warm-up with the clock: it is about how long the service has run, not about wall-clock dates.
      this.startTime -= this.lastTime - time;
      this.lastTime = time;
    }
    this.staleReadings = 0;
    if (!(time <= this.lastTime)) this.lastTime = time;
    return time >= this.startTime + this.options.ignoreFirstMs;
  }

  private add(kind: MemoryKind, time: number, value: unknown): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return;
    for (const series of this.kinds[kind].series) series.add(time, value);
  }
}
