import { formatBytes } from '../internal/units.js';
import type { ConfigDifference } from './comparability.js';
import type { RunInfo } from './comparable.js';
import type { Comparison, Difference } from './compare.js';
import { figure, textTable } from './format.js';
import { terminalSafe } from './terminal-text.js';

/** A figure in its unit: `0.0212 s`, `3.95 MiB`, `25882.89/s`. */
export function showValue(d: Pick<Difference, 'unit'>, v: number): string {
  return d.unit === 'bytes' ? formatBytes(v) : `${figure(v)}${d.unit === 'seconds' ? ' s' : '/s'}`;
}

export function showChange(change: number | null): string {
  return change === null ? 'from 0' : `${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}

export function showP(p: number | null): string {
  return p === null ? 'n/a' : p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** What a run is, in one line: `3 iterations × 500 points, batch 100, seed 42 · Node 20.20.2 · memscope 0.1.0 (JSON)`. */
export function describeRun(r: RunInfo): string {
  const parts = [`${r.iterations} iteration${r.iterations === 1 ? '' : 's'} × ${r.pointsPerIteration ?? '?'} points`];
  if (r.batchSize !== null) parts.push(`batch ${r.batchSize}`);
  if (r.seed !== null) parts.push(`seed ${r.seed}`);
  let line = parts.join(', ');
  if (r.faults !== null && r.faults.length > 0) line += ` · FAULTS INJECTED: ${r.faults.join('; ')}`;
  if (r.node !== null) line += ` · Node ${r.node}`;
  if (r.memscopeVersion !== null) line += ` · memscope ${r.memscopeVersion}`;
  return terminalSafe(`${line} (${r.format === 'json' ? 'JSON' : 'text'})`);
}

/** One configuration difference, for a header: `Node.js differs: 20.20.2 → 24.11.1 (a legitimate question ...)`. */
export function describeConfigDifference(c: ConfigDifference): string {
  return terminalSafe(`${c.label} differs: ${c.baseline ?? 'not recorded'} → ${c.current ?? 'not recorded'} (${c.why})`);
}

/**
 * The comparison as `memscope compare` prints it: a header naming the runs and how their configurations differ
 * (refused ones too, when forced), the table of differences, the counts and what the verdicts mean. Every string
 * that came from a report file is made safe to print (see terminalSafe).
 */
export function formatComparison(c: Comparison): string[] {
  const lines = [`baseline: ${terminalSafe(c.baseline)}`, `          ${describeRun(c.runs.baseline)}`, `current:  ${terminalSafe(c.current)}`, `          ${describeRun(c.runs.current)}`];
  for (const d of c.configDifferences) lines.push(`${d.action === 'refuse' ? 'FORCED: ' : 'flagged:'} ${describeConfigDifference(d)}`);
  lines.push('');
  const rows = c.differences.map((d) => [
    terminalSafe(d.metric),
    showValue(d, d.baseline),
    showValue(d, d.current),
    showChange(d.change),
    showChange(d.threshold),
    showP(d.pValue),
    d.verdict === 'regression' ? 'REGRESSION' : d.verdict,
    d.reason,
  ]);
  lines.push(...textTable(['Metric', 'Baseline', 'Current', 'Change', 'Threshold', 'p', 'Verdict', 'Why'], rows, [0, 6, 7]));
  lines.push('');
  const n = c.counts;
  lines.push(`${n.regression} regression(s), ${n.improvement} improvement(s), ${n.unchanged} unchanged, ${n.inconclusive} inconclusive`);
  if (c.onlyInBaseline.length > 0) lines.push(`phases only in the baseline (not compared): ${c.onlyInBaseline.map(terminalSafe).join(', ')}`);
  if (c.onlyInCurrent.length > 0) lines.push(`phases only in the current run (not compared): ${c.onlyInCurrent.map(terminalSafe).join(', ')}`);
  lines.push(...legend(c));
  return lines;
}

const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

function legend(c: Comparison): string[] {
  const o = c.options;
  const out = [
    `A change counts as a regression or improvement when it is beyond its threshold (time ${pct(o.timeTolerance)}, memory ${pct(o.tolerance)}),` +
      ` beyond the floor (${figure(o.timeFloorSec * 1000)} ms and the wait for the CPU, ${formatBytes(o.memoryFloorBytes)}) and shown by the iterations' spread (Welch's t-test, p < ${o.significance}).`,
  ];
  if (c.counts.inconclusive > 0) {
    out.push('inconclusive: beyond the threshold, but not shown beyond the iterations\' spread (or with no spread to judge by); more iterations (--iterations 5 or more) can settle it.');
  }
  return out;
}
