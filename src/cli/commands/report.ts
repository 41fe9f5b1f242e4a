import { Command } from 'commander';
import { resolve } from 'node:path';
import type { AlignMode } from '../../charts/compare/align-runs.js';
import { writeHtmlReport } from '../../charts/write-chart.js';
import { invalidOption } from '../../internal/errors.js';
import { alignMode, intIn, readReportFile, runLabels } from './plot.js';

interface ReportOptions {
  html: string;
  title?: string;
  align: AlignMode;
  columns: number;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('write a self-contained HTML report (tables, interactive timeline, leak verdict); with two reports, a comparison')
    .argument('<report>', 'JSON report of a benchmark, memory test or stress run')
    .argument('[other]', 'a second report to compare with the first')
    .requiredOption('--html <file>', 'HTML file to write (.html)')
    .option('--title <text>', 'heading of the page (default: from the report)')
    .option('--align <mode>', 'how two reports share the time axis: elapsed or phases', alignMode, 'phases')
    .option('--columns <n>', 'columns long timelines are reduced to (min and max each), 100 to 20000', intIn('--columns', 100, 20_000), 2000)
    .action(async (report: string, other: string | undefined, options: ReportOptions) => {
      await writeReport(report, other, options);
    });
}

async function writeReport(path: string, otherPath: string | undefined, options: ReportOptions): Promise<void> {
  // Guards against `--html reports/benchmark.json`, which would overwrite the input.
  if (!/\.html?$/i.test(options.html)) throw invalidOption('--html', 'a file name ending in .html', options.html);
  if ([path, otherPath].some((p) => p !== undefined && resolve(p) === resolve(options.html))) {
    throw invalidOption('--html', 'a file other than the input reports', options.html);
  }
  const first = await readReportFile(path);
  const common = { title: options.title, align: options.align, columns: options.columns };
  if (otherPath === undefined) await writeHtmlReport(first, options.html, common);
  else await writeHtmlReport([first, await readReportFile(otherPath)], options.html, { ...common, labels: runLabels(path, otherPath) });
  console.log(`memscope report: wrote ${options.html}`);
}
