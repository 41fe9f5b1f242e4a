import { figure, mb, textTable, timestamp } from './format.js';
import type { BenchmarkReport, Stats } from './report-model.js';
import { terminalSafe } from './terminal-text.js';

export const RULE_HEAVY = '='.repeat(80);
export const RULE_LIGHT = '-'.repeat(80);

/**
 * The benchmark report in the original framework's text format — same sections, labels and order (MEMORY USAGE
 * REPORT, Generated, Iterations, SUMMARY, ITERATION DETAILS) — extended after them with statistics across
 * iterations, per-phase sections and the environment. "MB" means MiB (2^20 bytes), as in the original.
 */
export function formatTextReport(report: BenchmarkReport): string {
  const s = report.summary;
  const lines: string[] = [
    RULE_HEAVY,
    'MEMORY USAGE REPORT',
    RULE_HEAVY,
    `Generated: ${timestamp(new Date(report.generatedAt))}`,
    `Iterations: ${report.iterations.length}`,
    RULE_LIGHT,
    '',
    'SUMMARY:',
    `Average processing time: ${figure(s.processingTimeSec.mean)} seconds`,
    `Average memory usage: ${mb(s.memoryUsageBytes.mean)} MB`,
    `Average processing rate: ${figure(s.processingRate.mean)} points/second`,
    '',
    'ITERATION DETAILS:',
  ];
  for (const it of report.iterations) {
    lines.push(
      `Iteration ${it.index}:`,
      `  Processing time: ${figure(it.processingTimeSec)} seconds`,
      `  Memory usage: ${mb(it.memoryUsageBytes)} MB`,
      `  Points processed: ${it.pointsProcessed}`,
      `  Processing rate: ${figure(it.processingRate)} points/second`,
    );
  }
  const row = (label: string, st: Stats, f: (v: number) => string): string[] => [label, f(st.mean), f(st.median), f(st.stddev), f(st.min), f(st.max)];
  lines.push(
    '',
    RULE_LIGHT,
    'STATISTICS (across iterations):',
    ...textTable(
      ['Figure', 'Mean', 'Median', 'Stddev', 'Min', 'Max'],
      [
        row('Processing time (seconds)', s.processingTimeSec, figure),
        ...(s.cpuTimeSec === undefined ? [] : [row('CPU time (seconds)', s.cpuTimeSec, figure)]),
        row('Memory usage (MB)', s.memoryUsageBytes, mb),
        row('Processing rate (points/second)', s.processingRate, figure),
        row('Peak RSS (MB)', s.peakRssBytes, mb),
        row('Retained after GC (MB)', s.retainedAfterGcBytes, mb),
      ],
    ),
    '',
    'PHASES (mean across iterations):',
    ...textTable(
      ['Phase', 'Count', 'Time (seconds)', 'Stddev (seconds)', 'Heap delta (MB)', 'Peak heap (MB)'],
      report.phases.map((p) => [terminalSafe(p.name), figure(p.count), figure(p.durationMs.mean / 1000), figure(p.durationMs.stddev / 1000), mb(p.heapDeltaBytes.mean), mb(p.peakHeapUsedBytes.mean)]),
    ),
    '',
    'ENVIRONMENT:',
    terminalSafe(`Node: ${report.environment.node} (V8 ${report.environment.v8}), ${report.environment.platform}-${report.environment.arch}`),
    terminalSafe(`CPU: ${report.environment.cpuModel} x ${report.environment.cpuCount}`),
    `Memory: ${mb(report.environment.totalMemoryBytes)} MB total; heap limit ${mb(report.environment.heapLimitBytes)} MB; container limit ${report.environment.containerLimitBytes === null ? 'none' : `${mb(report.environment.containerLimitBytes)} MB`}`,
    terminalSafe(`Workload: ${report.config.workload}, ${report.config.pointsPerIteration} points per iteration in batches of ${report.config.batchSize}, seed ${report.config.seed}`),
    ...(report.config.faults === undefined || report.config.faults.length === 0 ? [] : [terminalSafe(`Faults injected: ${report.config.faults.join('; ')}`)]),
    `memscope ${terminalSafe(report.tool.version)}; "MB" in this report means MiB (2^20 bytes).`,
    RULE_HEAVY,
  );
  return `${lines.join('\n')}\n`;
}
