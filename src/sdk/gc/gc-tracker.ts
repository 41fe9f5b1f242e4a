import type { LeakDetector } from '../leak/leak-detector.js';
import type { MemoryProbes } from '../probes/memory-probes.js';
import type { PostGcBaseline } from '../instruments/observe-memory.js';
import type { GcEvent, GcType } from './gc-watcher.js';

/** GC counts and total pause time by type since the profiler started. */
export type GcStats = Record<GcType, { count: number; totalPauseMs: number; maxPauseMs: number }>;

/**
 * Turns GC batches into statistics, the post-GC baselines and the leak detector's input. One memory reading per
 * observer callback (not per entry): the heap figure is taken as the baseline only after a major GC — between majors
 * a healthy heap sawtooths upward — while external memory, array buffers and RSS are read after any GC, because
 * scavenges free the young Buffers whose backing stores make up most external memory. The leak detector's `rss` series
 * is RSS outside the V8 heap (see MemoryProbes.rssOutsideHeap); the exported post-GC RSS is plain RSS.
 */
export class GcTracker {
  readonly baseline: PostGcBaseline = { heap: Number.NaN, external: Number.NaN, array_buffers: Number.NaN, rss: Number.NaN };
  readonly stats: GcStats = {
    major: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    minor: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    incremental: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    weakcb: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
  };

  constructor(
    private readonly probes: MemoryProbes,
    private readonly wallNow: () => number,
    private readonly leak: LeakDetector | undefined,
    private readonly record: (type: GcType, durationMs: number) => void,
    private readonly onMajor?: (heapUsed: number) => void,
  ) {}

  onBatch(events: readonly GcEvent[]): void {
    let major = false;
    for (const e of events) {
      const s = this.stats[e.type];
      s.count++;
      s.totalPauseMs += e.durationMs;
      if (e.durationMs > s.maxPauseMs) s.maxPauseMs = e.durationMs;
      if (e.type === 'major') major = true;
      this.record(e.type, e.durationMs);
    }
    const m = this.probes.readBoundary();
    const arrayBuffers = this.probes.readArrayBuffers(major);
    const b = this.baseline;
    if (major && Number.isFinite(m.heapUsed)) b.heap = m.heapUsed;
    if (major) this.onMajor?.(m.heapUsed);
    if (Number.isFinite(m.external)) b.external = m.external;
    if (Number.isFinite(arrayBuffers)) b.array_buffers = arrayBuffers;
    if (Number.isFinite(m.rss)) b.rss = m.rss;
    this.leak?.recordGc(this.wallNow(), major, { heapUsed: m.heapUsed, external: m.external, arrayBuffers, rss: m.rssOutsideHeap });
  }
}
