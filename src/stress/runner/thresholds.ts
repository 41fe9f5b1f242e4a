import { formatBytes } from '../../internal/units.js';
import { MEMORY_KIND_LABELS } from '../../sdk/leak/describe-verdict.js';
import type { MemoryKind } from '../../sdk/types.js';
import type { LoadProfile } from '../load-profiles.js';
import type { ClientSummary } from './client-stats.js';
import type { MemoryReading, ScrapedVerdict } from './metrics-scrape.js';

/** The memory bar of a stress run: the profiles' thresholds are the client's; these are the service's. */
export interface MemoryThresholds {
  /** Highest acceptable RSS, bytes; lowered to 90 % of the container's limit when the service reports one. @default 1 GiB */
  maxRssBytes: number;
  /** Highest acceptable heap used, as a share of the V8 heap limit, 0 to 1. @default 0.8 */
  maxHeapShare: number;
}

export const DEFAULT_MEMORY_THRESHOLDS: Readonly<MemoryThresholds> = { maxRssBytes: 2 ** 30, maxHeapShare: 0.8 };

/** One threshold's outcome. `unit` as in the report model, plus `ratio` (0 to 1) and `count`. */
export interface ThresholdResult {
  /** k6's spelling where k6 has the threshold: `http_req_duration p(95)<500`. */
  name: string;
  passed: boolean;
  actual: number;
  limit: number;
  unit: 'bytes' | 'seconds' | 'ratio' | 'count' | 'boolean';
  message: string;
}

/** The client thresholds of the profile, judged as the k6 scripts judge them (load-tests/lib/k6-options.ts). */
export function judgeClient(profile: LoadProfile, c: ClientSummary): ThresholdResult[] {
  const t = profile.thresholds;
  const ms = (v: number): string => `${Math.round(v)} ms`;
  const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
  const results: ThresholdResult[] = [
    below(`http_req_failed rate<${t.httpReqFailedRate}`, c.failedRate, t.httpReqFailedRate, 'ratio', `${c.failedRequests} of ${c.requests} requests failed (${pct(c.failedRate)})${c.sampleErrors.length > 0 ? `: ${c.sampleErrors.join(', ')}` : ''}`),
    below(`http_req_duration p(95)<${t.httpReqDurationP95Ms}`, c.durationP95Ms / 1000, t.httpReqDurationP95Ms / 1000, 'seconds', `request duration p95 ${ms(c.durationP95Ms)}`),
    below(`http_req_duration p(99)<${t.httpReqDurationP99Ms}`, c.durationP99Ms / 1000, t.httpReqDurationP99Ms / 1000, 'seconds', `request duration p99 ${ms(c.durationP99Ms)}`),
    {
      name: `checks rate>${t.checksRate}`,
      passed: c.checksRate > t.checksRate,
      actual: c.checksRate,
      limit: t.checksRate,
      unit: 'ratio',
      message: `${pct(c.checksRate)} of ${c.checks} checks passed (${c.outcomes.succeeded} jobs succeeded, ${c.outcomes.failed} failed, ${c.outcomes.timed_out} timed out, ${c.outcomes.rejected} rejected)`,
    },
    below(`onboarding_job_duration p(95)<${t.jobTurnaroundP95Ms}`, c.turnaroundP95Ms / 1000, t.jobTurnaroundP95Ms / 1000, 'seconds', `job turnaround p95 ${ms(c.turnaroundP95Ms)} over ${c.turnaroundCount} jobs`),
  ];
  if (profile.largeBatches !== undefined) {
    results.push({ name: 'large batches count>0', passed: c.largeJobs > 0, actual: c.largeJobs, limit: 0, unit: 'count', message: `${c.largeJobs} large batch(es) of ${profile.largeBatches.points} points sent` });
  }
  return results;
}

export interface MemorySummary {
  peakRssBytes: number | null;
  peakHeapUsedBytes: number | null;
  heapLimitBytes: number | null;
  containerLimitBytes: number | null;
  /** The service's verdict at the last scrape, and the first scrape (epoch ms) that saw it suspect a leak. */
  verdict: ScrapedVerdict | null;
  firstSuspectedAt: number | null;
}

export function summarizeMemory(readings: readonly MemoryReading[]): MemorySummary {
  const peak = (pick: (r: MemoryReading) => number | null): number | null =>
    readings.reduce<number | null>((max, r) => {
      const v = pick(r);
      return v === null ? max : Math.max(max ?? v, v);
    }, null);
  const last = <T>(pick: (r: MemoryReading) => T | null): T | null => {
    for (let i = readings.length - 1; i >= 0; i--) {
      const v = pick(readings[i] as MemoryReading);
      if (v !== null) return v;
    }
    return null;
  };
  return {
    peakRssBytes: peak((r) => r.rss),
    peakHeapUsedBytes: peak((r) => r.heapUsed),
    heapLimitBytes: last((r) => r.heapLimit),
    containerLimitBytes: last((r) => r.containerLimit),
    verdict: last((r) => r.verdict),
    firstSuspectedAt: readings.find((r) => r.verdict?.status === 'suspected')?.time ?? null,
  };
}

/**
 * The memory thresholds, from what the service exported. The leak verdict is the service's own (one verdict
 * everywhere): suspected at the end of the run fails it; inconclusive (a short run, still warming up) does not.
 * A figure the service did not export is not judged (the caller says so).
 */
export function judgeMemory(m: MemorySummary, limits: MemoryThresholds): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  if (m.peakRssBytes !== null) {
    const limit = m.containerLimitBytes === null ? limits.maxRssBytes : Math.min(limits.maxRssBytes, 0.9 * m.containerLimitBytes);
    results.push(below(`peak_rss<${formatBytes(limit)}`, m.peakRssBytes, limit, 'bytes', `peak RSS ${formatBytes(m.peakRssBytes)}`));
  }
  if (m.peakHeapUsedBytes !== null && m.heapLimitBytes !== null && m.heapLimitBytes > 0) {
    const limit = limits.maxHeapShare * m.heapLimitBytes;
    const share = m.peakHeapUsedBytes / m.heapLimitBytes;
    results.push(below(`heap_used<${Math.round(limits.maxHeapShare * 100)}% of heap limit`, m.peakHeapUsedBytes, limit, 'bytes', `peak heap used ${formatBytes(m.peakHeapUsedBytes)}, ${(share * 100).toFixed(1)} % of the ${formatBytes(m.heapLimitBytes)} heap limit`));
  }
  if (m.verdict !== null) {
    const suspected = m.verdict.status === 'suspected';
    results.push({ name: 'leak_verdict!=suspected', passed: !suspected, actual: suspected ? 1 : 0, limit: 0, unit: 'boolean', message: describeScrapedVerdict(m.verdict) });
  }
  return results;
}

/**
 * The service's verdict in one phrase, in the words describeLeakVerdict() uses (MEMORY_KIND_LABELS); /metrics
 * carries the status, the slope per kind and the confidence, not the p-value and R² the full sentence quotes.
 */
export function describeScrapedVerdict(v: ScrapedVerdict): string {
  const kinds = Object.entries(v.kinds) as Array<[MemoryKind, { slopeBytesPerSec: number; suspected: boolean }]>;
  const rate = (b: number): string => `${b >= 0 ? '+' : ''}${formatBytes(b)}/s`;
  if (v.status === 'suspected') {
    const named = kinds.filter(([, k]) => k.suspected).sort((a, b) => b[1].slopeBytesPerSec - a[1].slopeBytesPerSec);
    const list = named.map(([kind, k]) => `${MEMORY_KIND_LABELS[kind]}: ${rate(k.slopeBytesPerSec)}`).join(', ');
    return `leak suspected in ${list || 'memory'} (the service's verdict, confidence ${v.confidence.toFixed(2)})`;
  }
  if (v.status === 'no-leak') {
    const heap = v.kinds.heap;
    return `no leak: no baseline grows${heap === undefined ? '' : ` (${MEMORY_KIND_LABELS.heap} ${rate(heap.slopeBytesPerSec)})`} (the service's verdict)`;
  }
  return "inconclusive: the service's leak verdict cannot speak yet (warming up, or too few post-GC baselines for this run's length)";
}

function below(name: string, actual: number, limit: number, unit: ThresholdResult['unit'], what: string): ThresholdResult {
  // The figure only: the threshold's name is printed beside it wherever the message is shown.
  return { name, passed: actual < limit, actual, limit, unit, message: what };
}
