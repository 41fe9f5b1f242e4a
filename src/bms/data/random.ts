/** A small seeded PRNG (mulberry32): the same seed gives the same test data on every machine and runtime. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return this.pickAt(entries, entries.length - 1)[0];
  }

  /** items[index modulo length]; throws on an empty list (a programming error in the caller). */
  pickAt<T>(items: readonly T[], index: number): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[index % items.length] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
