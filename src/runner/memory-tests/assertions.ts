import { formatBytes } from '../../internal/units.js';
import type { Assertion } from '../../report/report-model.js';

/** `actual` must stay below `limit` (bytes). */
export function below(name: string, actual: number, limit: number): Assertion {
  const passed = actual < limit;
  return { name, passed, actual, limit, unit: 'bytes', message: `${name}: ${formatBytes(actual)} ${passed ? '<' : '>='} limit ${formatBytes(limit)}` };
}

/** A growth rate (bytes/s) must stay below `limit`, unless the trend is not significant. */
export function growthBelow(name: string, bytesPerSec: number, pValue: number, limit: number, significance: number): Assertion {
  const passed = bytesPerSec < limit || pValue > significance;
  return {
    name,
    passed,
    actual: bytesPerSec,
    limit,
    unit: 'bytes/s',
    message: `${name}: ${formatBytes(bytesPerSec)}/s (Mann–Kendall p=${pValue.toPrecision(2)}) ${passed ? 'within' : 'over'} limit ${formatBytes(limit)}/s`,
  };
}

export function holds(name: string, passed: boolean, message: string): Assertion {
  return { name, passed, actual: passed ? 1 : 0, limit: 1, unit: 'boolean', message: `${name}: ${message}` };
}
