import type { Attributes } from '@opentelemetry/api';
import { ATTR_MEMORY_TYPE, ATTR_PHASE_NAME } from '../semconv.js';

/** Memory figures recorded at phase boundaries, in bytes. */
export interface PhaseMemory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Statistics of one phase name, over every completed instance. Independent of what the timeline still holds. */
export interface PhaseStats {
  name: string;
  /** Completed instances. */
  count: number;
  /** Instances running now. */
  active: number;
  /** The enclosing phase of the most recent instance, or null. */
  parent: string | null;
  duration: { totalMs: number; meanMs: number; minMs: number; maxMs: number; lastMs: number };
  /** Memory when the most recent completed instance started (null until one completes). */
  memoryAtStart: PhaseMemory | null;
  /** Memory when the most recent completed instance ended. */
  memoryAtEnd: PhaseMemory | null;
  /** memoryAtEnd - memoryAtStart. */
  delta: PhaseMemory | null;
  /** Mean delta over all completed instances. */
  meanDelta: PhaseMemory | null;
  /** Highest memory seen during any instance: samples, boundaries and the kernel's RSS high-water mark. */
  peak: PhaseMemory | null;
  /** Highest memory seen during the most recent completed instance. */
  lastPeak: PhaseMemory | null;
}

/** What a completed instance hands to its slot: its figures, as numbers (see PhaseInstance). */
export interface CompletedFigures {
  startRss: number;
  startHeapUsed: number;
  startExternal: number;
  peakRss: number;
  peakHeapUsed: number;
  peakExternal: number;
}

/**
 * Everything memscope keeps about one phase label: its statistics, its duration histogram (when memscope hands phase
 * metrics over at collection time) and the attribute sets of its series, built once. Figures are numeric fields, not
 * objects, so that completing an instance — the hot path — allocates nothing; PhaseStats objects are built only when
 * someone reads them. Slots are bounded because labels are (see PhaseTable).
 */
export class PhaseSlot {
  /** `{ memscope.phase.name }`, the same object for every recording and observation of this label. */
  readonly attrs: Attributes;
  readonly heapAttrs: Attributes;
  readonly rssAttrs: Attributes;
  count = 0;
  active = 0;
  parent: string | null = null;
  totalMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;
  lastMs = 0;
  /** Durations in seconds, summed one by one as OpenTelemetry's histogram sums them (same rounding). */
  sumSeconds = 0;
  startRss = 0;
  startHeapUsed = 0;
  startExternal = 0;
  endRss = 0;
  endHeapUsed = 0;
  endExternal = 0;
  deltaSumRss = 0;
  deltaSumHeapUsed = 0;
  deltaSumExternal = 0;
  lastPeakRss = 0;
  lastPeakHeapUsed = 0;
  lastPeakExternal = 0;
  peakRss = 0;
  peakHeapUsed = 0;
  peakExternal = 0;
  /** Completed durations per bucket (the last one past every bound), or undefined (see the constructor). */
  readonly bucketCounts: Float64Array | undefined;

  /**
   * @param buckets Upper bounds of the duration histogram in seconds, or undefined when OpenTelemetry aggregates the
   *   durations (a Meter's histogram) and memscope keeps no buckets of its own.
   * @param createdAt Epoch milliseconds: the start of the slot's cumulative series.
   */
  constructor(readonly label: string, readonly bounds: readonly number[] | undefined, readonly createdAt: number) {
    this.attrs = Object.freeze({ [ATTR_PHASE_NAME]: label });
    this.heapAttrs = Object.freeze({ [ATTR_PHASE_NAME]: label, [ATTR_MEMORY_TYPE]: 'heap' });
    this.rssAttrs = Object.freeze({ [ATTR_PHASE_NAME]: label, [ATTR_MEMORY_TYPE]: 'rss' });
    this.bucketCounts = bounds === undefined ? undefined : new Float64Array(bounds.length + 1);
  }

  completed(durationMs: number, f: CompletedFigures, endRss: number, endHeapUsed: number, endExternal: number): void {
    this.active = this.active > 0 ? this.active - 1 : 0;
    const first = this.count === 0;
    this.count++;
    this.totalMs += durationMs;
    if (durationMs < this.minMs) this.minMs = durationMs;
    if (durationMs > this.maxMs) this.maxMs = durationMs;
    this.lastMs = durationMs;
    const seconds = durationMs / 1000;
    this.sumSeconds += seconds;
    const counts = this.bucketCounts;
    const bounds = this.bounds;
    if (counts !== undefined && bounds !== undefined) {
      const i = bucketIndex(bounds, seconds);
      counts[i] = (counts[i] ?? 0) + 1;
    }
    this.startRss = f.startRss;
    this.startHeapUsed = f.startHeapUsed;
    this.startExternal = f.startExternal;
    this.endRss = endRss;
    this.endHeapUsed = endHeapUsed;
    this.endExternal = endExternal;
    this.deltaSumRss += endRss - f.startRss;
    this.deltaSumHeapUsed += endHeapUsed - f.startHeapUsed;
    this.deltaSumExternal += endExternal - f.startExternal;
    this.lastPeakRss = f.peakRss;
    this.lastPeakHeapUsed = f.peakHeapUsed;
    this.lastPeakExternal = f.peakExternal;
    if (first || f.peakRss > this.peakRss) this.peakRss = f.peakRss;
    if (first || f.peakHeapUsed > this.peakHeapUsed) this.peakHeapUsed = f.peakHeapUsed;
    if (first || f.peakExternal > this.peakExternal) this.peakExternal = f.peakExternal;
  }

  toStats(): PhaseStats {
    const n = this.count;
    const done = n > 0;
    return {
      name: this.label,
      count: n,
      active: this.active,
      parent: this.parent,
      duration: { totalMs: this.totalMs, meanMs: done ? this.totalMs / n : 0, minMs: done ? this.minMs : 0, maxMs: this.maxMs, lastMs: this.lastMs },
      memoryAtStart: done ? memory(this.startRss, this.startHeapUsed, this.startExternal) : null,
      memoryAtEnd: done ? memory(this.endRss, this.endHeapUsed, this.endExternal) : null,
      delta: done ? memory(this.endRss - this.startRss, this.endHeapUsed - this.startHeapUsed, this.endExternal - this.startExternal) : null,
      meanDelta: done ? memory(this.deltaSumRss / n, this.deltaSumHeapUsed / n, this.deltaSumExternal / n) : null,
      peak: done ? memory(this.peakRss, this.peakHeapUsed, this.peakExternal) : null,
      lastPeak: done ? memory(this.lastPeakRss, this.lastPeakHeapUsed, this.lastPeakExternal) : null,
    };
  }
}

/**
 * The bucket a value falls in: the first bound it does not exceed (`le` semantics), the last bucket past every bound
 * — the same rule as OpenTelemetry's histogram aggregator, so both modes export the same counts.
 */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  let index = bounds.length;
  while (hi >= lo) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] ?? Number.POSITIVE_INFINITY) < value) lo = mid + 1;
    else {
      index = mid;
      hi = mid - 1;
    }
  }
  return index;
}

function memory(rss: number, heapUsed: number, external: number): PhaseMemory {
  return { rss, heapUsed, external };
}
