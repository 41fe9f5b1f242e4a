import type { BenchmarkReport, MemoryTestReport, MemscopeReport } from '../../report/report-model.js';
import { escapeHtml } from './html-escape.js';
import { leakSection } from './html-leak.js';
import { bytes, count, millis, num, rate, seconds, table, type Cell, type Row } from './html-tables.js';
import { section } from './html-sections.js';

/** Which way is better for a figure; `none` when it has no direction (the change is only pointed out). */
export type Better = 'lower' | 'higher' | 'none';

/** A change at least this large (relative) is highlighted. */
export const HIGHLIGHT_THRESHOLD = 0.05;

/** Cells for A, B, their difference and the relative change, the change coloured when it passes the threshold. */
export function deltaCells(a: number, b: number, format: (v: number) => string, better: Better): Cell[] {
  const diff = b - a;
  const rel = a === 0 ? (b === 0 ? 0 : Infinity * Math.sign(b)) : diff / Math.abs(a);
  let className: string | undefined;
  if (Math.abs(rel) >= HIGHLIGHT_THRESHOLD) {
    if (better === 'none') className = 'changed';
    else className = (better === 'lower') === diff > 0 ? 'worse' : 'better';
  }
  const pct = Number.isFinite(rel) ? `${rel > 0 ? '+' : ''}${(rel * 100).toFixed(1)}%` : 'new';
  const signed = `${diff > 0 ? '+' : diff < 0 ? '−' : ''}${format(Math.abs(diff))}`;
  return [num(format(a)), num(format(b)), num(signed, className), num(pct, className)];
}

export const DELTA_HEADER = (labels: readonly [string, string]): string[] => ['', labels[0], labels[1], 'difference', 'change'];

export function runsTable(reports: readonly [MemscopeReport, MemscopeReport], labels: readonly [string, string]): string {
  const rows: Row[] = reports.map((r, i) => [labels[i] ?? '', r.kind, r.generatedAt, r.tool.version, `${r.environment.node} ${r.environment.platform}-${r.environment.arch}`, `${r.environment.cpuModel} × ${r.environment.cpuCount}`]);
  return table(['run', 'kind', 'generated', 'memscope', 'Node.js', 'CPU'], rows);
}

export function benchmarkComparison(a: BenchmarkReport, b: BenchmarkReport, labels: readonly [string, string], chart: string): string {
  const s = (name: string, pick: (r: BenchmarkReport) => number, format: (v: number) => string, better: Better): Row => [name, ...deltaCells(pick(a), pick(b), format, better)];
  const summary = table(DELTA_HEADER(labels), [
    s('Processing time (mean)', (r) => r.summary.processingTimeSec.mean, seconds, 'lower'),
    s('Memory usage (mean)', (r) => r.summary.memoryUsageBytes.mean, bytes, 'lower'),
    s('Processing rate (mean, points/s)', (r) => r.summary.processingRate.mean, rate, 'higher'),
    s('Peak RSS (mean)', (r) => r.summary.peakRssBytes.mean, bytes, 'lower'),
    s('Retained after GC (mean)', (r) => r.summary.retainedAfterGcBytes.mean, bytes, 'lower'),
    s('Leak slope', (r) => r.leak?.slopeBytesPerSec ?? 0, (v) => `${bytes(v)}/s`, 'lower'),
  ], `Highlighted: changes of ${HIGHLIGHT_THRESHOLD * 100}% or more (red worse, green better)`);
  const names = [...new Set([...a.phases, ...b.phases].map((p) => p.name))];
  const phaseRows: Row[] = [];
  for (const name of names) {
    const pa = a.phases.find((p) => p.name === name);
    const pb = b.phases.find((p) => p.name === name);
    if (pa === undefined || pb === undefined) {
      phaseRows.push([`${name}: only in ${pa === undefined ? labels[1] : labels[0]}`, '', '', { text: 'new', className: 'changed' }, '']);
      continue;
    }
    phaseRows.push([`${name}: duration`, ...deltaCells(pa.durationMs.mean, pb.durationMs.mean, millis, 'lower')]);
    phaseRows.push([`${name}: heap delta`, ...deltaCells(pa.heapDeltaBytes.mean, pb.heapDeltaBytes.mean, bytes, 'lower')]);
    phaseRows.push([`${name}: peak heap`, ...deltaCells(pa.peakHeapUsedBytes.mean, pb.peakHeapUsedBytes.mean, bytes, 'lower')]);
  }
  return (
    section('summary', 'Summary', summary) +
    section('timeline', 'Memory over time, overlaid', chart) +
    section('phases', 'Phases', table(DELTA_HEADER(labels), phaseRows)) +
    section('leak', 'Leak verdicts', leakSection(a.leak, labels[0]) + leakSection(b.leak, labels[1]))
  );
}

export function memoryTestComparison(a: MemoryTestReport, b: MemoryTestReport, labels: readonly [string, string], charts: ReadonlyMap<string, string>): string {
  const names = [...new Set([...a.tests, ...b.tests].map((t) => t.name))];
  const rows: Row[] = [];
  for (const name of names) {
    const ta = a.tests.find((t) => t.name === name);
    const tb = b.tests.find((t) => t.name === name);
    if (ta === undefined || tb === undefined) {
      rows.push([`${name}: only in ${ta === undefined ? labels[1] : labels[0]}`, '', '', { text: 'new', className: 'changed' }, '']);
      continue;
    }
    const verdict = (p: boolean): Cell => ({ text: p ? 'PASS' : 'FAIL', className: p ? 'pass' : 'fail' });
    rows.push([`${name}: result`, verdict(ta.passed), verdict(tb.passed), ta.passed === tb.passed ? '' : { text: tb.passed ? 'fixed' : 'broken', className: tb.passed ? 'better' : 'worse' }, '']);
    rows.push([`${name}: duration`, ...deltaCells(ta.durationSec, tb.durationSec, seconds, 'lower')]);
    for (const key of [...new Set([...Object.keys(ta.figures), ...Object.keys(tb.figures)])]) {
      const fa = ta.figures[key];
      const fb = tb.figures[key];
      if (fa === undefined || fb === undefined) continue;
      rows.push([`${name}: ${key}`, ...deltaCells(fa, fb, /bytes/i.test(key) ? bytes : count, /rate/i.test(key) ? 'higher' : 'lower')]);
    }
  }
  const overlays = names.map((n) => charts.get(n) ?? '').join('');
  return (
    section('summary', 'Tests', table(DELTA_HEADER(labels), rows, `Highlighted: changes of ${HIGHLIGHT_THRESHOLD * 100}% or more`)) +
    section('timeline', 'Memory over time, overlaid', overlays === '' ? '<p class="muted">No test ran in both reports.</p>' : overlays)
  );
}

export function mixedComparison(chart: string): string {
  return section('timeline', 'Memory over time, overlaid', `<p class="muted">${escapeHtml('The reports are of different kinds; only their timelines are compared.')}</p>${chart}`);
}
