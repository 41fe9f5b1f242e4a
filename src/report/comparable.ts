import type { LoadedReport } from './read-report.js';
import { MemscopeError } from '../internal/errors.js';

const MIB = 1024 * 1024;

/** A figure of a report: its mean and, where known, the per-iteration values (to judge noise). */
export interface Figure {
  mean: number;
  values: number[];
}

/** What two reports are compared on, whatever format they came in. Memory in bytes, time in seconds. */
export interface Comparable {
  path: string;
  format: 'json' | 'text';
  iterations: number;
  processingTimeSec: Figure;
  memoryUsageBytes: Figure;
  processingRate: Figure;
  phases: Map<string, { durationSec: Figure; heapDeltaBytes: Figure }>;
}

export function toComparable(loaded: LoadedReport): Comparable {
  if (loaded.format === 'text') {
    const r = loaded.report;
    return {
      path: loaded.path,
      format: 'text',
      iterations: r.iterations.length,
      processingTimeSec: { mean: r.summary.processingTimeSec, values: r.iterations.map((i) => i.processingTimeSec) },
      memoryUsageBytes: { mean: r.summary.memoryUsageMiB * MIB, values: r.iterations.map((i) => i.memoryUsageMiB * MIB) },
      processingRate: { mean: r.summary.processingRate, values: r.iterations.map((i) => i.processingRate) },
      phases: new Map(r.phases.map((p) => [p.name, { durationSec: { mean: p.timeSec, values: [] }, heapDeltaBytes: { mean: p.heapDeltaMiB * MIB, values: [] } }])),
    };
  }
  const r = loaded.report;
  if (r.kind !== 'benchmark') {
    throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${loaded.path} is a ${r.kind} report; compare takes benchmark reports`);
  }
  return {
    path: loaded.path,
    format: 'json',
    iterations: r.iterations.length,
    processingTimeSec: { mean: r.summary.processingTimeSec.mean, values: r.iterations.map((i) => i.processingTimeSec) },
    memoryUsageBytes: { mean: r.summary.memoryUsageBytes.mean, values: r.iterations.map((i) => i.memoryUsageBytes) },
    processingRate: { mean: r.summary.processingRate.mean, values: r.iterations.map((i) => i.processingRate) },
    phases: new Map(
      r.phases.map((p) => [
        p.name,
        {
          durationSec: { mean: p.durationMs.mean / 1000, values: r.iterations.map((i) => (i.phases.find((q) => q.name === p.name)?.duration.totalMs ?? 0) / 1000) },
          heapDeltaBytes: { mean: p.heapDeltaBytes.mean, values: r.iterations.map((i) => i.phases.find((q) => q.name === p.name)?.delta?.heapUsed ?? 0) },
        },
      ]),
    ),
  };
}
