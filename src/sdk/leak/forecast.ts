import type { MemoryKind } from '../types.js';
import type { TrendEvidence } from './trend-evidence.js';

/** When one limit would be reached at the current baseline trend. */
export interface LimitForecast {
  /** Seconds from now until the limit is reached (0 when it already is). */
  readonly seconds: number;
  readonly limitBytes: number;
  /** The figure the trend starts from: the newest heap baseline (heap limit) or the current RSS (container limit). */
  readonly currentBytes: number;
  /** The trend: bytes per second. */
  readonly slopeBytesPerSec: number;
  /** The time scale the trend was measured on (`10m`, `1h`, `6h`). */
  readonly scale: string;
}

/** Heap limit and container limit; null where there is no trend (or no such limit) — never "infinitely far". */
export interface ExhaustionForecast {
  readonly heap: LimitForecast | null;
  readonly container: LimitForecast | null;
}

export interface ForecastInputs {
  /** V8's heap size limit, bytes. */
  heapLimitBytes: number;
  /** The cgroup memory limit, bytes, or null without one. */
  containerLimitBytes: number | null;
  /** RSS now, bytes. */
  rssBytes: number;
}

/**
 * The trend a forecast extrapolates for one kind: the fastest scale that suspects a leak, else the longest scale
 * with enough data whose baseline rises significantly (a slow, steady trend is better measured over hours than
 * minutes). Null when no scale shows one: healthy memory is not "very slowly running out".
 */
export function forecastTrend(scales: readonly TrendEvidence[]): TrendEvidence | null {
  const suspected = scales.find((e) => e.status === 'suspected');
  if (suspected !== undefined) return suspected;
  for (let i = scales.length - 1; i >= 0; i--) {
    const e = scales[i] as TrendEvidence;
    if (e.status === 'no-growth' && e.rising) return e;
  }
  return null;
}

/**
 * The heap limit is reached when the heap baseline — what survives major GCs — reaches it: the process then dies
 * with "JavaScript heap out of memory". The container limit is reached when RSS does; RSS grows with the heap
 * baseline plus RSS outside the heap (Buffers, native allocations), so their trends add up.
 */
export function forecastExhaustion(
  scales: (kind: MemoryKind) => readonly TrendEvidence[],
  latestBaseline: (kind: MemoryKind) => number,
  inputs: ForecastInputs,
): ExhaustionForecast {
  const heapTrend = forecastTrend(scales('heap'));
  const outsideTrend = forecastTrend(scales('rss'));
  const heapNow = latestBaseline('heap');
  const heap = heapTrend === null ? null : limitForecast(inputs.heapLimitBytes, heapNow, heapTrend.slopeBytesPerSec, heapTrend.scale);
  let container: LimitForecast | null = null;
  if (inputs.containerLimitBytes !== null && (heapTrend !== null || outsideTrend !== null)) {
    const slope = (heapTrend?.slopeBytesPerSec ?? 0) + (outsideTrend?.slopeBytesPerSec ?? 0);
    const scale = [heapTrend?.scale, outsideTrend?.scale].filter((s) => s !== undefined).join('+');
    container = limitForecast(inputs.containerLimitBytes, inputs.rssBytes, slope, scale);
  }
  return Object.freeze({ heap, container });
}

function limitForecast(limit: number, current: number, slope: number, scale: string): LimitForecast | null {
  if (!(limit > 0) || !Number.isFinite(limit) || !Number.isFinite(current) || !(slope > 0) || !Number.isFinite(slope)) return null;
  const seconds = Math.max(0, (limit - current) / slope);
  return Object.freeze({ seconds, limitBytes: limit, currentBytes: current, slopeBytesPerSec: slope, scale });
}
