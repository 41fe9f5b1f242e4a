import { GCProfiler } from 'node:v8';

/** JS heap + external memory, the figure memory tests hold against their limits. */
export interface HeapFigures {
  heapUsed: number;
  external: number;
}

/**
 * The highest heap (and external) memory seen just before each garbage collection while it runs. Sampling on a
 * timer cannot see inside synchronous code, but V8 collects garbage inside it — and records the heap it found — so
 * the figures before each GC are the local peaks a sampler misses. Uses v8.GCProfiler (Node >= 18.15).
 */
export class GcPeaks {
  private readonly profiler = new GCProfiler();
  private running = false;

  start(): this {
    this.profiler.start();
    this.running = true;
    return this;
  }

  /** Stops and returns the peak before any GC (zeros when none ran) and the number of GCs. */
  stop(): { peak: HeapFigures; peakCombined: number; gcCount: number } {
    if (!this.running) return { peak: { heapUsed: 0, external: 0 }, peakCombined: 0, gcCount: 0 };
    this.running = false;
    const result = this.profiler.stop() as unknown as GcProfile | undefined;
    const peak = { heapUsed: 0, external: 0 };
    let peakCombined = 0;
    for (const entry of result?.statistics ?? []) {
      const h = entry.beforeGC.heapStatistics;
      peak.heapUsed = Math.max(peak.heapUsed, h.usedHeapSize);
      peak.external = Math.max(peak.external, h.externalMemory);
      peakCombined = Math.max(peakCombined, h.usedHeapSize + h.externalMemory);
    }
    return { peak, peakCombined, gcCount: result?.statistics.length ?? 0 };
  }
}

interface GcProfile {
  statistics: Array<{ gcType: string; beforeGC: { heapStatistics: { usedHeapSize: number; externalMemory: number } } }>;
}
