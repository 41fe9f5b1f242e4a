import type { BenchmarkReport, MemoryTestReport, MemoryTestResult } from '../../report/report-model.js';
import type { PhaseStats } from '../../sdk/phases/phase-stats.js';
import { escapeHtml } from './html-escape.js';
import { leakSection } from './html-leak.js';
import { bytes, count, environmentTable, millis, num, rate, seconds, STATS_HEADER, statsRow, table } from './html-tables.js';

/** Where the page's script draws chart `id`: a figure with phase toggles, the plot and, for comparisons, the difference. */
export function chartFigure(id: string, title: string): string {
  return (
    `<figure class="chart" id="chart-${escapeHtml(id)}" data-chart="${escapeHtml(id)}">` +
    `<figcaption>${escapeHtml(title)}</figcaption>` +
    '<div class="phase-toggles"></div><div class="plot"></div><div class="diff-plot"></div><p class="limits muted"></p>' +
    '<p class="hint muted">Drag to zoom, double-click to reset; click a legend entry to hide or show its series.</p>' +
    '</figure>'
  );
}

export function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>${body}</section>`;
}

export function benchmarkSections(report: BenchmarkReport, chart: string): string {
  const c = report.config;
  const summary = table(STATS_HEADER, [
    statsRow('Processing time', report.summary.processingTimeSec, seconds),
    statsRow('Memory usage (peak heap − start)', report.summary.memoryUsageBytes, bytes),
    statsRow('Processing rate (points/s)', report.summary.processingRate, rate),
    statsRow('Points processed', report.summary.pointsProcessed, count),
    statsRow('Peak RSS', report.summary.peakRssBytes, bytes),
    statsRow('Retained after GC', report.summary.retainedAfterGcBytes, bytes),
  ], `${c.iterations} iteration${c.iterations === 1 ? "" : "s"} of ${c.pointsPerIteration} points (${c.workload}, batch ${c.batchSize}, seed ${c.seed})`);
  const phases = table(
    ['phase', 'count', 'duration mean', 'duration std dev', 'heap delta mean', 'peak heap mean', 'peak heap max'],
    report.phases.map((p) => [p.name, num(count(p.count)), num(millis(p.durationMs.mean)), num(millis(p.durationMs.stddev)), num(bytes(p.heapDeltaBytes.mean)), num(bytes(p.peakHeapUsedBytes.mean)), num(bytes(p.peakHeapUsedBytes.max))]),
  );
  const iterations = table(
    ['#', 'time', 'memory usage', 'rate (points/s)', 'peak RSS', 'peak heap', 'retained after GC'],
    report.iterations.map((it) => [num(String(it.index)), num(seconds(it.processingTimeSec)), num(bytes(it.memoryUsageBytes)), num(rate(it.processingRate)), num(bytes(it.peakRssBytes)), num(bytes(it.peakHeapUsedBytes)), num(bytes(it.retainedAfterGcBytes))]),
  );
  return (
    section('summary', 'Summary', summary) +
    section('timeline', 'Memory over time', chart) +
    section('phases', 'Phases', phases) +
    section('iterations', 'Iterations', iterations) +
    section('leak', 'Leak verdict', leakSection(report.leak, 'Verdict and evidence')) +
    section('environment', 'Environment', environmentTable(report.environment, report.limits))
  );
}

export function memoryTestSections(report: MemoryTestReport, charts: readonly string[]): string {
  const overview = table(
    ['test', 'result', 'duration', 'assertions passed'],
    report.tests.map((t) => [t.name, { text: testState(t), className: STATE_CLASS[testState(t)] }, num(seconds(t.durationSec)), num(`${t.assertions.filter((a) => a.passed).length} / ${t.assertions.length}`)]),
    `${report.config.stress ? 'Stress run' : 'Memory tests'}: ${report.passed ? 'all passed' : 'some failed'}${report.config.injectLeak === null ? '' : `, injected leak: ${report.config.injectLeak}`}`,
  );
  const details = report.tests.map((t, i) => testDetails(t, charts[i] ?? '')).join('');
  return (
    section('summary', 'Summary', overview) +
    section('tests', 'Tests', details) +
    section('environment', 'Environment', environmentTable(report.environment, report.limits))
  );
}

type TestState = 'PASS' | 'FAIL' | 'INCONCLUSIVE';
const STATE_CLASS: Record<TestState, string> = { PASS: 'pass', FAIL: 'fail', INCONCLUSIVE: 'muted' };

/** As `memscope test` prints it: a test whose only unpassed assertions are inconclusive leak checks is INCONCLUSIVE. */
function testState(t: MemoryTestResult): TestState {
  if (t.passed) return 'PASS';
  return t.assertions.some((a) => !a.passed && a.inconclusive !== true) ? 'FAIL' : 'INCONCLUSIVE';
}

function testDetails(t: MemoryTestResult, chart: string): string {
  const assertions = table(
    ['assertion', 'result', 'actual', 'limit', 'message'],
    t.assertions.map((a) => [a.name, a.passed ? { text: 'pass', className: 'pass' } : a.inconclusive === true ? { text: 'inconclusive', className: 'muted' } : { text: 'FAIL', className: 'fail' }, num(formatIn(a.actual, a.unit)), num(formatIn(a.limit, a.unit)), a.message]),
  );
  const figures = table(['figure', 'value'], Object.entries(t.figures).map(([k, v]) => [k, num(/bytes/i.test(k) ? bytes(v) : count(v))]));
  return (
    `<details class="test" open><summary><span class="${STATE_CLASS[testState(t)]}">${testState(t)}</span> ${escapeHtml(t.name)}</summary>` +
    `<p>${escapeHtml(t.description)}</p>${assertions}${chart}<h3>Phases</h3>${phaseStatsTable(t.phases)}${figures}${leakSection(t.leak, 'Leak verdict', t.leakBaselines)}</details>`
  );
}

export function phaseStatsTable(phases: readonly PhaseStats[]): string {
  if (phases.length === 0) return '<p class="muted">No phases recorded.</p>';
  return table(
    ['phase', 'parent', 'count', 'total', 'mean', 'max', 'heap delta (last)', 'peak heap'],
    phases.map((p) => [p.name, p.parent ?? '', num(count(p.count)), num(millis(p.duration.totalMs)), num(millis(p.duration.meanMs)), num(millis(p.duration.maxMs)), num(p.delta === null ? '–' : bytes(p.delta.heapUsed)), num(p.peak === null ? '–' : bytes(p.peak.heapUsed))]),
  );
}

export function formatIn(value: number, unit: string): string {
  switch (unit) {
    case 'bytes':
      return bytes(value);
    case 'bytes/s':
      return `${bytes(value)}/s`;
    case 'bytes/run':
      return `${bytes(value)} per run`;
    case 'seconds':
      return seconds(value);
    case 'points/s':
      return rate(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return count(value);
  }
}
