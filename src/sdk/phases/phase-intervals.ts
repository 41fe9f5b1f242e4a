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
 * The most recent completed phase intervals, in a fixed-size ring: phase statistics never depend on it (they are
 * aggregated separately); it only feeds pictures, so it keeps the latest `capacity` and counts what it dropped.
 */
export class PhaseIntervals {
  private readonly ring: (PhaseInterval | undefined)[];
  private next = 0;
  private count = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<PhaseInterval | undefined>(capacity);
  }

  add(interval: PhaseInterval): void {
    if (this.capacity === 0) return;
    if (this.count === this.capacity) this.dropped++;
    else this.count++;
    this.ring[this.next] = interval;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): PhaseInterval[] {
    const out: PhaseInterval[] = [];
    const first = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const item = this.ring[(first + i) % this.capacity];
      if (item !== undefined) out.push(item);
    }
    return out;
  }
}
