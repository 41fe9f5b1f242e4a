import { Option, type Command } from 'commander';
import type { MemscopeReport } from '../report/report-model.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { appendHtmlSections, heapDiffSectionHtml } from '../report/heap-diff-html.js';

export interface PictureFlags {
  plot?: 'png' | 'svg';
  html?: boolean;
}

/** `--plot [png|svg]` and `--html`: pictures written next to a command's reports. */
export function addPictureOptions(command: Command): Command {
  return command
    .addOption(new Option('--plot [format]', 'also write a memory-over-time chart next to the report').choices(['png', 'svg']).preset('png'))
    .option('--html', 'also write a self-contained HTML report next to the report');
}

/**
 * Writes the pictures asked for, as `<base>.png|svg` and `<base>.html`. The chart code is imported only here, on
 * demand: commands that draw nothing never load it.
 */
export async function writePictures(report: MemscopeReport, base: string, flags: PictureFlags): Promise<Record<string, string>> {
  if (flags.plot === undefined && flags.html !== true) return {};
  const charts = await import('../charts/index.js');
  const files: Record<string, string> = {};
  if (flags.plot !== undefined) {
    const written = await (await import('../charts/write-chart.js')).writeReportChart(report, chartTitle(report), `${base}.${flags.plot}`);
    if (written.warning !== undefined) console.error(`memscope: ${written.warning}`);
    files.plot = written.path;
  }
  if (flags.html === true) {
    const path = `${base}.html`;
    // The leak checks' heap diffs, after the page's own sections (the charts' page knows nothing of them).
    const diffs = report.kind === 'memory-test' ? report.tests.flatMap((t) => (t.heapDiff === undefined ? [] : [heapDiffSectionHtml(t.heapDiff, `Heap diff: ${t.name}`)])) : [];
    await writeFileAtomic(path, appendHtmlSections(charts.renderHtmlReport(report), diffs));
    files.html = path;
  }
  return files;
}

function chartTitle(report: MemscopeReport): string {
  return report.kind === 'benchmark'
    ? `Memory usage for ${report.config.pointsPerIteration} points (${report.iterations.length} iterations)`
    : `Memory tests (${report.tests.length})${report.config.injectLeak === null ? '' : `, leak injected: ${report.config.injectLeak}`}`;
}
