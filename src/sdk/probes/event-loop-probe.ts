import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay (seconds) and utilization (0..1) since the previous read. */
export interface EventLoopFigures {
  delayMin: number;
  delayMax: number;
  delayMean: number;
  delayStddev: number;
  delayP50: number;
  delayP90: number;
  delayP99: number;
  utilization: number;
}

const NS_PER_S = 1e9;

/**
 * Wraps `monitorEventLoopDelay` and `performance.eventLoopUtilization`. Each read covers the time since the previous
 * read and resets the histogram, as OpenTelemetry's runtime instrumentation does — so with two readers (a Prometheus
 * scrape and an OTLP push) each sees the window since the other's read. The histogram's timer does not keep the
 * process alive; `stop()` disables it.
 */
export class EventLoopProbe {
  private readonly histogram: IntervalHistogram;
  private lastUtilization: EventLoopUtilization;
  private enabled = false;

  constructor(resolutionMs: number) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.lastUtilization = performance.eventLoopUtilization();
  }

  start(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.lastUtilization = performance.eventLoopUtilization();
    this.histogram.enable();
  }

  stop(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.histogram.disable();
  }

  read(): EventLoopFigures | undefined {
    if (!this.enabled) return undefined;
    const h = this.histogram;
    const current = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(current, this.lastUtilization).utilization;
    this.lastUtilization = current;
    // Before the first tick of the histogram's timer min is 2^63 and mean NaN: report NaN (skipped by the metrics
    // layer) rather than garbage.
    const has = h.count > 0;
    const figures: EventLoopFigures = {
      delayMin: has ? h.min / NS_PER_S : Number.NaN,
      delayMax: has ? h.max / NS_PER_S : Number.NaN,
      delayMean: has ? h.mean / NS_PER_S : Number.NaN,
      delayStddev: has ? h.stddev / NS_PER_S : Number.NaN,
      delayP50: has ? h.percentile(50) / NS_PER_S : Number.NaN,
      delayP90: has ? h.percentile(90) / NS_PER_S : Number.NaN,
      delayP99: has ? h.percentile(99) / NS_PER_S : Number.NaN,
      utilization,
    };
    h.reset();
    return figures;
  }
}
