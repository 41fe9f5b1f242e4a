import { formatDuration } from '../internal/durations.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { appendHtmlSections, heapDiffSectionHtml } from '../report/heap-diff-html.js';
import type { Assertion, MemoryTestReport, MemoryTestResult, RunProcessReport, RunReport } from '../report/report-model.js';
import { peakOf } from './run-report.js';

export interface RunPictureFlags {
  plot?: 'png' | 'svg';
  html?: boolean;
}

/**
 * The run's pictures through memscope/charts' public functions: the chart of the process the verdict is about, and
 * one HTML page with every process (the verdict's first) and every worker thread — its timeline, phases, the leak
 * verdict with the baselines it judged. The HTML report reads memory-test reports, so each process is given to it as
 * a "test" whose one assertion is its leak verdict: suspected fails, no leak passes, inconclusive is inconclusive —
 * the states the page already shows. The chart code is loaded only when a picture is asked for.
 */
export async function writeRunPictures(
  run: RunReport,
  processes: readonly RunProcessReport[],
  base: string,
  flags: RunPictureFlags,
  minSlopeBytesPerSec: number,
): Promise<Record<string, string>> {
  if (flags.plot === undefined && flags.html !== true) return {};
  const charts = await import('../charts/index.js');
  const files: Record<string, string> = {};
  const chosen = processes.find((p) => p.process.pid === run.verdictProcess?.pid);
  if (flags.plot !== undefined && chosen !== undefined) {
    const written = await (await import('../charts/write-chart.js')).writeReportChart({ samples: chosen.timeline, phases: chosen.phaseIntervals, limits: chosen.limits }, `Memory over time: pid ${chosen.process.pid}, ${shorten(chosen.process.commandLine, 60)}`, `${base}.${flags.plot}`);
    if (written.warning !== undefined) console.error(`memscope run: ${written.warning}`);
    files.plot = written.path;
  }
  if (flags.html === true) {
    const path = `${base}.html`;
    const view = htmlView(run, processes, minSlopeBytesPerSec);
    const page = charts.renderHtmlReport(view, { title: `memscope run: ${shorten(run.command.join(' '), 80)}` });
    const diff = run.heapDiff === undefined ? [] : [heapDiffSectionHtml(run.heapDiff, `Heap diff: pid ${run.verdictProcess?.pid ?? '?'}`)];
    await writeFileAtomic(path, appendHtmlSections(page, diff));
    files.html = path;
  }
  return files;
}

/** The run as the HTML report reads it (see writeRunPictures). */
export function htmlView(run: RunReport, processes: readonly RunProcessReport[], minSlopeBytesPerSec: number): MemoryTestReport {
  const ordered = [...processes].sort((a, b) => Number(b.process.pid === run.verdictProcess?.pid) - Number(a.process.pid === run.verdictProcess?.pid));
  const tests = ordered.flatMap((p) => [processResult(p, run, minSlopeBytesPerSec), ...p.threads.map((t) => threadResult(p, t))]);
  return {
    schema: run.schema,
    schemaVersion: run.schemaVersion,
    kind: 'memory-test',
    generatedAt: run.generatedAt,
    tool: run.tool,
    environment: run.environment,
    config: { stress: false, injectLeak: null, tests: tests.map((t) => t.name) },
    passed: run.leak?.status !== 'suspected',
    tests,
    limits: run.limits,
  };
}

function processResult(p: RunProcessReport, run: RunReport, minSlope: number): MemoryTestResult {
  const info = p.process;
  const chosen = info.pid === run.verdictProcess?.pid;
  const ended = info.signal !== null ? `ended by ${info.signal}` : info.exitCode !== null ? `exit code ${info.exitCode}` : 'still running at its last checkpoint';
  const description = [
    info.commandLine,
    `ran ${formatDuration(info.endedAt - info.startedAt)}, CPU ${(info.cpuUserSec + info.cpuSystemSec).toFixed(2)} s, ${ended}`,
    info.wrapper === null ? '' : `a wrapper (${info.wrapper})`,
    chosen ? `the run's verdict is about this process: ${run.verdictProcess?.reason ?? ''}` : '',
    p.complete ? '' : 'report from its last checkpoint (the process did not report its end)',
  ].filter((s) => s !== '').join(' · ');
  const assertion = verdictAssertion(p.leak?.status, p.leak?.summary, p.leak?.slopeBytesPerSec ?? 0, minSlope);
  return {
    name: `${chosen ? '★ ' : ''}pid ${info.pid}: ${shorten(info.commandLine, 70)}`,
    description,
    passed: assertion.passed,
    durationSec: (info.endedAt - info.startedAt) / 1000,
    assertions: [assertion],
    figures: { peakRssBytes: peakOf(p, 'rss'), peakHeapUsedBytes: peakOf(p, 'heapUsed'), peakExternalBytes: peakOf(p, 'external'), cpuMilliseconds: Math.round((info.cpuUserSec + info.cpuSystemSec) * 1000), workerThreads: p.threads.length },
    phases: p.phases,
    phaseIntervals: p.phaseIntervals,
    timeline: p.timeline,
    ...(p.leak === undefined ? {} : { leak: p.leak }),
    ...(p.leakBaselines === undefined ? {} : { leakBaselines: p.leakBaselines }),
  };
}

function threadResult(p: RunProcessReport, t: RunProcessReport['threads'][number]): MemoryTestResult {
  const assertion = verdictAssertion(t.leak?.status, t.leak?.summary ?? 'no verdict: the thread was terminated (or still ran) before it reported its end', 0, 0);
  return {
    name: `pid ${p.process.pid} ${t.label}`,
    description: `Worker thread ${t.threadId} of pid ${p.process.pid}: its own V8 heap, one point a second (RSS is the whole process's)${t.ended ? '' : '; it did not report its end'}`,
    passed: assertion.passed,
    durationSec: (t.endedAt - t.startedAt) / 1000,
    assertions: [assertion],
    figures: { peakHeapUsedBytes: t.peakHeapUsedBytes },
    phases: t.phases,
    phaseIntervals: [],
    timeline: t.timeline,
  };
}

function verdictAssertion(status: 'suspected' | 'no-leak' | 'inconclusive' | undefined, summary: string | undefined, slope: number, minSlope: number): Assertion {
  return {
    name: 'leak verdict',
    passed: status === 'no-leak',
    actual: slope,
    limit: minSlope,
    unit: 'bytes/s',
    message: summary ?? 'no leak check (MEMSCOPE_LEAK=off)',
    ...(status === 'suspected' ? {} : status === 'no-leak' ? {} : { inconclusive: true }),
  };
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
