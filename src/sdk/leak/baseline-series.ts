/** One point of a baseline: the lowest reading of its bucket and when it was taken. */
export interface BaselinePoint {
  /** Epoch milliseconds of the lowest reading of the bucket. */
  time: number;
  /** The lowest reading of the bucket, in bytes. */
  value: number;
}

/**
 * A memory baseline reduced to one point per time bucket and held in a fixed ring, so that its size never depends
 * on how long the service runs or how often it collects garbage.
 *
 * Buckets are aligned on multiples of `bucketMs` since the epoch; a bucket keeps the minimum of its readings (a
 * one-off spike cannot raise it) with the time of that minimum. When the ring is full the oldest point is dropped:
 * the detector only analyses the last `windowMs`, so merging old points into coarser ones would keep history that
 * nothing reads. Points stay sorted by time because each point's time lies inside its own bucket.
 *
 * A reading older than the newest bucket (GC entries can arrive after a later sample) is folded into its bucket if
 * that bucket is still held, and dropped otherwise — inserting in the middle of the ring is not worth it for a
 * reading that is at most a bucket late.
 */
export class BaselineSeries {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  private changes = 0;

  constructor(
    private readonly bucketMs: number,
    capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Number of points held (at most the capacity). */
  get length(): number {
    return this.count;
  }

  /** Increases whenever a point is added, lowered or dropped: equal versions mean equal contents. */
  get version(): number {
    return this.changes;
  }

  /** Time of the i-th point, oldest first. */
  timeAt(i: number): number {
    return this.times[this.slot(i)] as number;
  }

  /** Value of the i-th point, oldest first. */
  valueAt(i: number): number {
    return this.values[this.slot(i)] as number;
  }

  /** Index of the first point later than `time` (`length` when there is none). */
  firstIndexAfter(time: number): number {
    return this.search(time, false);
  }

  /** Number of points earlier than `time`, which is also the index of the first point at or after it. */
  countBefore(time: number): number {
    return this.search(time, true);
  }

  /** Adds a reading. The caller passes finite numbers only. */
  add(time: number, value: number): void {
    const bucket = Math.floor(time / this.bucketMs);
    for (let i = this.count - 1; i >= 0; i--) {
      const existing = Math.floor(this.timeAt(i) / this.bucketMs);
      if (existing < bucket) break;
      if (existing > bucket) continue;
      if (value < this.valueAt(i)) {
        this.times[this.slot(i)] = time;
        this.values[this.slot(i)] = value;
        this.changes++;
      }
      return;
    }
    if (this.count > 0 && bucket < Math.floor(this.timeAt(this.count - 1) / this.bucketMs)) return;
    this.push(time, value);
  }

  /** Drops every point. */
  clear(): void {
    this.head = 0;
    this.count = 0;
    this.changes++;
  }

  /** A copy of the points, oldest first. */
  toArray(): BaselinePoint[] {
    const out: BaselinePoint[] = [];
    for (let i = 0; i < this.count; i++) out.push({ time: this.timeAt(i), value: this.valueAt(i) });
    return out;
  }

  private push(time: number, value: number): void {
    const capacity = this.times.length;
    if (this.count === capacity) {
      this.head = (this.head + 1) % capacity;
      this.count--;
    }
    const slot = this.slot(this.count);
    this.times[slot] = time;
    this.values[slot] = value;
    this.count++;
    this.changes++;
  }

  /** Binary search (the points are sorted by time): the first index whose time is >= `time` (or > it). */
  private search(time: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.timeAt(mid);
      if (inclusive ? t >= time : t > time) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private slot(i: number): number {
    return (this.head + i) % this.times.length;
  }
}
