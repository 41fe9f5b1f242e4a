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

const zero = (): PhaseMemory => ({ rss: 0, heapUsed: 0, external: 0 });

class PhaseAggregate {
  count = 0;
  active = 0;
  parent: string | null = null;
  totalMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;
  lastMs = 0;
  start: PhaseMemory | null = null;
  end: PhaseMemory | null = null;
  deltaSum = zero();
  peak: PhaseMemory | null = null;
  lastPeak: PhaseMemory | null = null;
}

/** Aggregates completed phase instances per label. Bounded because labels are (see PhaseNames). */
export class PhaseStatsTable {
  private readonly byName = new Map<string, PhaseAggregate>();

  started(label: string, parent: string | null): void {
    const a = this.aggregate(label);
    a.active++;
    a.parent = parent;
  }

  completed(label: string, durationMs: number, start: PhaseMemory, end: PhaseMemory, peak: PhaseMemory): void {
    const a = this.aggregate(label);
    a.active = Math.max(0, a.active - 1);
    a.count++;
    a.totalMs += durationMs;
    a.minMs = Math.min(a.minMs, durationMs);
    a.maxMs = Math.max(a.maxMs, durationMs);
    a.lastMs = durationMs;
    a.start = start;
    a.end = end;
    a.deltaSum.rss += end.rss - start.rss;
    a.deltaSum.heapUsed += end.heapUsed - start.heapUsed;
    a.deltaSum.external += end.external - start.external;
    a.lastPeak = peak;
    a.peak = a.peak === null ? { ...peak } : maxOf(a.peak, peak);
  }

  hasCompleted(label: string): boolean {
    return (this.byName.get(label)?.count ?? 0) > 0;
  }

  list(): PhaseStats[] {
    const out: PhaseStats[] = [];
    for (const [name, a] of this.byName) out.push(toStats(name, a));
    return out;
  }

  get(name: string): PhaseStats | undefined {
    const a = this.byName.get(name);
    return a === undefined ? undefined : toStats(name, a);
  }

  private aggregate(label: string): PhaseAggregate {
    let a = this.byName.get(label);
    if (a === undefined) {
      a = new PhaseAggregate();
      this.byName.set(label, a);
    }
    return a;
  }
}

function maxOf(a: PhaseMemory, b: PhaseMemory): PhaseMemory {
  return {
    rss: Math.max(a.rss, b.rss),
    heapUsed: Math.max(a.heapUsed, b.heapUsed),
    external: Math.max(a.external, b.external),
  };
}

function toStats(name: string, a: PhaseAggregate): PhaseStats {
  const done = a.count > 0 && a.start !== null && a.end !== null;
  return {
    name,
    count: a.count,
    active: a.active,
    parent: a.parent,
    duration: {
      totalMs: a.totalMs,
      meanMs: a.count > 0 ? a.totalMs / a.count : 0,
      minMs: a.count > 0 ? a.minMs : 0,
      maxMs: a.maxMs,
      lastMs: a.lastMs,
    },
    memoryAtStart: a.start,
    memoryAtEnd: a.end,
    delta: done && a.start !== null && a.end !== null
      ? { rss: a.end.rss - a.start.rss, heapUsed: a.end.heapUsed - a.start.heapUsed, external: a.end.external - a.start.external }
      : null,
    meanDelta: a.count > 0
      ? { rss: a.deltaSum.rss / a.count, heapUsed: a.deltaSum.heapUsed / a.count, external: a.deltaSum.external / a.count }
      : null,
    peak: a.peak,
    lastPeak: a.lastPeak,
  };
}
