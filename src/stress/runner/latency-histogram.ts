/**
 * Durations in logarithmic buckets 1 % wide (from 0.1 ms to ~45 min): percentiles within 1 % in a fixed 8 KiB,
 * however long the run. A soak of an hour sends about a million requests; keeping each duration would hold megabytes
 * and sort them at the end.
 */
const MIN_MS = 0.1;
const GROWTH = 1.01;
const BUCKETS = 1700;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  maxMs = 0;
  private sumMs = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The smallest bucket bound under which at least `p` (0 to 1) of the durations lie; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.maxMs, MIN_MS * GROWTH ** i);
    }
    return this.maxMs;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }
}
