import { comparableReport } from '../../report/comparable.js';
import { compareReports, type Comparison, type Difference, type Verdict } from '../../report/compare.js';
import { describeConfigDifference, showChange, showP } from '../../report/compare-text.js';
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
  const [a, b] = reports;
  return table(['run', 'kind', 'generated', 'memscope', 'Node.js', 'CPU'], rows) + (a.kind === 'benchmark' && b.kind === 'benchmark' ? configNotes(sharedComparison(a, b, labels)) : '');
}

/** The comparison `memscope compare` makes of the same two reports, with its default options. */
function sharedComparison(a: BenchmarkReport, b: BenchmarkReport, labels: readonly [string, string]): Comparison {
  return compareReports(comparableReport(a, labels[0]), comparableReport(b, labels[1]));
}

/** How the runs' configurations differ, as compare's header says it: refused ones first, then flagged ones. */
function configNotes(c: Comparison): string {
  if (c.configDifferences.length === 0) return '<p class="muted">Same configuration: workload, points per iteration, batch size, iterations, seed, Node.js, machine and limits.</p>';
  const refused = c.configDifferences.filter((d) => d.action === 'refuse');
  const flagged = c.configDifferences.filter((d) => d.action === 'flag');
  const list = (items: typeof refused): string => `<ul>${items.map((d) => `<li>${escapeHtml(describeConfigDifference(d))}</li>`).join('')}</ul>`;
  return (
    (refused.length === 0 ? '' : `<p class="verdict fail">Not comparable: the runs did different work. <code>memscope compare</code> refuses them (exit 11) unless <code>--force</code>; the verdicts below are what it prints with <code>--force</code>.</p>${list(refused)}`) +
    (flagged.length === 0 ? '' : `<p class="verdict">Flagged: the runs differ in</p>${list(flagged)}`)
  );
}

/** The cell class of a verdict: red worse, green better, amber inconclusive. */
const VERDICT_CLASS: Record<Verdict, string | undefined> = { regression: 'worse', improvement: 'better', inconclusive: 'changed', unchanged: undefined };

/** A difference as a table row: both values, the difference, the change, the threshold, p and the verdict, coloured by the verdict. */
function differenceRow(label: string, d: Difference, format: (v: number) => string): Row {
  const className = VERDICT_CLASS[d.verdict];
  const diff = d.current - d.baseline;
  const signed = `${diff > 0 ? '+' : diff < 0 ? '−' : ''}${format(Math.abs(diff))}`;
  const change = d.change === null ? 'new' : `${d.change > 0 ? '+' : ''}${(d.change * 100).toFixed(1)}%`;
  return [label, num(format(d.baseline)), num(format(d.current)), num(signed, className), num(change, className), num(showChange(d.threshold)), num(showP(d.pValue)), { text: d.verdict, className }, d.reason];
}

const VERDICT_HEADER = (labels: readonly [string, string]): string[] => [...DELTA_HEADER(labels), 'threshold', 'p', 'verdict', 'why'];

/** Labels of compare's figures in the page, and how each is shown. */
const RUN_FIGURES: Readonly<Record<string, readonly [string, (v: number) => string]>> = {
  'processing time': ['Processing time (mean)', seconds],
  'CPU time': ['CPU time (mean)', seconds],
  'memory usage': ['Memory usage (mean)', bytes],
  'processing rate': ['Processing rate (mean, points/s)', rate],
  'peak RSS': ['Peak RSS (mean)', bytes],
  'retained after GC': ['Retained after GC (mean)', bytes],
};
const PHASE_FIGURES: Readonly<Record<string, readonly [string, (v: number) => string]>> = {
  time: ['duration', (v) => millis(v * 1000)],
  'heap delta': ['heap delta', bytes],
  'peak heap': ['peak heap', bytes],
};

/**
 * The benchmark comparison: the verdicts are compare's (the same figures, tests and defaults as `memscope compare`),
 * so the page and the CLI say the same thing about the same two reports.
 */
export function benchmarkComparison(a: BenchmarkReport, b: BenchmarkReport, labels: readonly [string, string], chart: string): string {
  const c = sharedComparison(a, b, labels);
  const runRows: Row[] = c.differences.filter((d) => d.phase === null).map((d) => {
    const [label, format] = RUN_FIGURES[d.metric] ?? [d.metric, String];
    return differenceRow(label, d, format);
  });
  // The leak verdicts have their own section; the slope is shown here for reference, not judged.
  runRows.push(['Leak slope', ...deltaCells(a.leak?.slopeBytesPerSec ?? 0, b.leak?.slopeBytesPerSec ?? 0, (v) => `${bytes(v)}/s`, 'none').map((cell) => (typeof cell === 'string' ? cell : { text: cell.text, className: 'num' })), '', '', '', 'not judged: see Leak verdicts']);
  const caption =
    `Verdicts as memscope compare gives them: beyond the threshold (time ${(c.options.timeTolerance * 100).toFixed(0)}%, memory ${(c.options.tolerance * 100).toFixed(0)}%), ` +
    `beyond the floor and shown by the iterations' spread (p < ${c.options.significance}). Red: regression; green: improvement; amber: inconclusive.`;
  const phaseRows: Row[] = c.differences.filter((d) => d.phase !== null).map((d) => {
    const what = d.metric.slice(`phase ${d.phase ?? ''}: `.length);
    const [label, format] = PHASE_FIGURES[what] ?? [what, String];
    return differenceRow(`${d.phase ?? ''}: ${label}`, d, format);
  });
  for (const name of c.onlyInBaseline) phaseRows.push([`${name}: only in ${labels[0]}`, '', '', '', '', '', '', { text: 'not compared', className: 'changed' }, '']);
  for (const name of c.onlyInCurrent) phaseRows.push([`${name}: only in ${labels[1]}`, '', '', '', '', '', '', { text: 'not compared', className: 'changed' }, '']);
  const n = c.counts;
  return (
    section('summary', 'Summary', `<p class="verdict">${n.regression} regression(s), ${n.improvement} improvement(s), ${n.unchanged} unchanged, ${n.inconclusive} inconclusive</p>` + table(VERDICT_HEADER(labels), runRows, caption)) +
    section('timeline', 'Memory over time, overlaid', chart) +
    section('phases', 'Phases', table(VERDICT_HEADER(labels), phaseRows)) +
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
