/** One completed phase instance on the wall clock: what charts draw as a labelled band. */
export interface PhaseInterval {
  name: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** 0 for a top-level phase, 1 for a phase nested in it, and so on. */
  depth: number;
}

/**
 * The most recent completed phase intervals, in a ring preallocated at construction (typed arrays for the times and
 * depths; the names are references to the capped set of phase labels), so recording an interval allocates nothing
 * and memscope's memory does not creep up while the ring fills. Phase statistics never depend on it; it only feeds
 * pictures, keeping the latest `capacity` intervals and counting what it dropped.
 */
export class PhaseIntervals {
  private readonly names: (string | undefined)[];
  private readonly times: Float64Array;
  private readonly depths: Uint16Array;
  private next = 0;
  private count = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    this.names = new Array<string | undefined>(capacity).fill(undefined);
    this.times = new Float64Array(capacity * 2);
    this.depths = new Uint16Array(capacity);
  }

  add(name: string, start: number, end: number, depth: number): void {
    if (this.capacity === 0) return;
    if (this.count === this.capacity) this.dropped++;
    else this.count++;
    const i = this.next;
    this.names[i] = name;
    this.times[2 * i] = start;
    this.times[2 * i + 1] = end;
    this.depths[i] = Math.min(depth, 0xffff);
    this.next = (i + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): PhaseInterval[] {
    const out: PhaseInterval[] = [];
    const first = (this.next - this.count + this.capacity) % this.capacity;
    for (let k = 0; k < this.count; k++) {
      const i = (first + k) % this.capacity;
      out.push({ name: this.names[i] ?? '', start: this.times[2 * i] ?? 0, end: this.times[2 * i + 1] ?? 0, depth: this.depths[i] ?? 0 });
    }
    return out;
  }
}
