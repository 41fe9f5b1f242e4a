import { MEMORY_FIELDS, type MemoryFigures, type MemorySample } from '../types.js';

// Rows are read and written with the fields spelled out in this order for speed (here and in timeline.ts); this
// stops compiling if MEMORY_FIELDS changes.
const _FIELD_ORDER: readonly ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] = MEMORY_FIELDS;

export const N_FIELDS = MEMORY_FIELDS.length;
/** Width of a raw row as MemoryTimeline writes it and {@link FoldedTier.add} reads it: time, then the fields. */
export const RAW_STRIDE = 1 + N_FIELDS;

// Bucket row: startTime, endTime, count, then min, max and last of each field.
const B_START = 0;
const B_END = 1;
const B_COUNT = 2;
const B_MIN = 3;
const B_MAX = B_MIN + N_FIELDS;
const B_LAST = B_MAX + N_FIELDS;
const BUCKET_STRIDE = B_LAST + N_FIELDS;

/**
 * The folded tier of a {@link MemoryTimeline}: a fixed array of buckets that each keep start and end time, sample
 * count, and min, max and last of every field (plus the phase of the last sample).
 *
 * Samples arrive one at a time into the *open* bucket, the slot after the last complete one; it completes when it
 * holds `width` samples. When all `capacity` slots are complete, adjacent pairs merge in place and `width` doubles,
 * so complete buckets always share one width. The merge is O(capacity) once every capacity/2 buckets: O(1) amortized.
 */
export class FoldedTier {
  private readonly buckets: Float64Array;
  private readonly phases: (string | null)[];
  /** Complete buckets; the open bucket, if any, is the slot right after them. */
  private complete = 0;
  /** Samples in the open bucket (0 when there is none). */
  private openCount = 0;
  private bucketWidth = 1;

  constructor(readonly capacity: number) {
    this.buckets = new Float64Array(capacity * BUCKET_STRIDE);
    this.phases = new Array<string | null>(capacity).fill(null);
  }

  /** Points this tier shows: the complete buckets and the open one. At most `capacity`. */
  get size(): number {
    return this.complete + (this.openCount > 0 ? 1 : 0);
  }

  /** Samples per complete bucket. */
  get width(): number {
    return this.bucketWidth;
  }

  /** Folds one raw row (`row[at]` is the time, the fields follow) into the open bucket. */
  add(row: Float64Array, at: number, phase: string | null): void {
    const bk = this.buckets;
    const b = this.complete * BUCKET_STRIDE;
    const time = row[at] as number;
    if (this.openCount === 0) {
      bk[b + B_START] = time;
      for (let f = 0; f < N_FIELDS; f++) {
        const v = row[at + 1 + f] as number;
        bk[b + B_MIN + f] = v;
        bk[b + B_MAX + f] = v;
        bk[b + B_LAST + f] = v;
      }
    } else {
      for (let f = 0; f < N_FIELDS; f++) {
        const v = row[at + 1 + f] as number;
        if (v < (bk[b + B_MIN + f] as number)) bk[b + B_MIN + f] = v;
        if (v > (bk[b + B_MAX + f] as number)) bk[b + B_MAX + f] = v;
        bk[b + B_LAST + f] = v;
      }
    }
    bk[b + B_END] = time;
    bk[b + B_COUNT] = ++this.openCount;
    this.phases[this.complete] = phase;
    if (this.openCount < this.bucketWidth) return;
    this.complete++;
    this.openCount = 0;
    if (this.complete === this.capacity) this.mergePairs();
  }

  startTimeAt(i: number): number {
    return this.buckets[i * BUCKET_STRIDE + B_START] as number;
  }

  endTimeAt(i: number): number {
    return this.buckets[i * BUCKET_STRIDE + B_END] as number;
  }

  /** Bucket `i` (0 is the oldest) as a timeline point: the last sample's figures and a `folded` span. */
  pointAt(i: number): MemorySample {
    const b = i * BUCKET_STRIDE;
    const bk = this.buckets;
    const last = b + B_LAST;
    return {
      time: bk[b + B_END] as number,
      rss: bk[last] as number,
      heapUsed: bk[last + 1] as number,
      heapTotal: bk[last + 2] as number,
      external: bk[last + 3] as number,
      arrayBuffers: bk[last + 4] as number,
      phase: this.phases[i] ?? null,
      folded: {
        count: bk[b + B_COUNT] as number,
        startTime: bk[b + B_START] as number,
        min: figures(bk, b + B_MIN),
        max: figures(bk, b + B_MAX),
      },
    };
  }

  clear(): void {
    this.complete = 0;
    this.openCount = 0;
    this.bucketWidth = 1;
    this.phases.fill(null);
  }

  /** Halves the full tier in place by merging adjacent pairs; an odd last bucket becomes the open bucket. */
  private mergePairs(): void {
    const cap = this.capacity;
    const half = cap >>> 1;
    const bk = this.buckets;
    for (let i = 0; i < half; i++) {
      const d = i * BUCKET_STRIDE;
      const a = 2 * i * BUCKET_STRIDE;
      const c = a + BUCKET_STRIDE;
      bk[d + B_START] = bk[a + B_START] as number;
      bk[d + B_END] = bk[c + B_END] as number;
      bk[d + B_COUNT] = (bk[a + B_COUNT] as number) + (bk[c + B_COUNT] as number);
      for (let f = 0; f < N_FIELDS; f++) {
        bk[d + B_MIN + f] = Math.min(bk[a + B_MIN + f] as number, bk[c + B_MIN + f] as number);
        bk[d + B_MAX + f] = Math.max(bk[a + B_MAX + f] as number, bk[c + B_MAX + f] as number);
        bk[d + B_LAST + f] = bk[c + B_LAST + f] as number;
      }
      this.phases[i] = this.phases[2 * i + 1] ?? null;
    }
    this.complete = half;
    this.bucketWidth *= 2;
    if (cap % 2 === 1) {
      // The unpaired bucket holds the old width: it keeps filling as the open bucket of the new width.
      bk.copyWithin(half * BUCKET_STRIDE, (cap - 1) * BUCKET_STRIDE, cap * BUCKET_STRIDE);
      this.phases[half] = this.phases[cap - 1] ?? null;
      this.openCount = this.bucketWidth / 2;
    }
    // Drop references to phase strings the merge left behind.
    this.phases.fill(null, this.size);
  }
}

/** Five consecutive values of `column` from `at`, in MEMORY_FIELDS order, as MemoryFigures. */
function figures(column: Float64Array, at: number): MemoryFigures {
  return {
    rss: column[at] as number,
    heapUsed: column[at + 1] as number,
    heapTotal: column[at + 2] as number,
    external: column[at + 3] as number,
    arrayBuffers: column[at + 4] as number,
  };
}
