import { formatDuration } from '../../internal/durations.js';
import { formatBytes } from '../../internal/units.js';
import { formatPValue, MEMORY_KIND_LABELS } from '../../sdk/leak/describe-verdict.js';
import type { LeakVerdict } from '../../sdk/leak/leak-detector.js';
import type { MemoryKind } from '../../sdk/types.js';
import type { Assertion } from '../../report/report-model.js';

/** `actual` must stay below `limit` (bytes). */
export function below(name: string, actual: number, limit: number): Assertion {
  const passed = actual < limit;
  return { name, passed, actual, limit, unit: 'bytes', message: `${name}: ${formatBytes(actual)} ${passed ? '<' : '>='} limit ${formatBytes(limit)}` };
}

/**
 * The leak verdict on one kind of memory, as an assertion: it fails when that kind is suspected, and it does not pass
 * while the verdict is inconclusive (the test then reports how much longer it needs). The message is the verdict's
 * own sentence, so the test's line and the verdict never disagree.
 */
export function leakVerdictHolds(name: string, verdict: LeakVerdict, kind: MemoryKind, limit: number): Assertion {
  const e = verdict.evidence[kind];
  const passed = verdict.status !== 'inconclusive' && e.status !== 'suspected';
  const said = e.status === 'suspected' || verdict.status === 'inconclusive' ? verdict.summary : `no leak: ${MEMORY_KIND_LABELS[kind]} ${formatBytes(e.slopeBytesPerSec)}/s over ${formatDuration(e.spanMs)} (p=${formatPValue(e.pValue)}), limit ${formatBytes(limit)}/s`;
  return { name, passed, actual: e.slopeBytesPerSec, limit, unit: 'bytes/s', message: `${name}: ${said}`, ...(verdict.status === 'inconclusive' ? { inconclusive: true } : {}) };
}

/**
 * The leak verdict of a check judged per run (a user's memory test, `noLeak`), as an assertion: the verdict's own
 * sentence when it suspects a leak or cannot speak, else the per-run slopes against the growth tolerated per run.
 */
export function leakPerRunHolds(name: string, verdict: LeakVerdict, growth: { heapPerRun: number; externalPerRun: number }, limitPerRun: number): Assertion {
  const passed = verdict.status === 'no-leak';
  const worst = Math.max(growth.heapPerRun, growth.externalPerRun);
  const said = passed ? `no leak: JS heap ${formatBytes(growth.heapPerRun)}, external ${formatBytes(growth.externalPerRun)} per run, limit ${formatBytes(limitPerRun)} per run` : verdict.summary;
  return { name, passed, actual: worst, limit: limitPerRun, unit: 'bytes/run', message: `${name}: ${said}`, ...(verdict.status === 'inconclusive' ? { inconclusive: true } : {}) };
}

export function holds(name: string, passed: boolean, message: string): Assertion {
  return { name, passed, actual: passed ? 1 : 0, limit: 1, unit: 'boolean', message: `${name}: ${message}` };
}
