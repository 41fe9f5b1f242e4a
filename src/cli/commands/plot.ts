import { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { ALIGN_MODES, type AlignMode } from '../../charts/compare/align-runs.js';
import { toChartInput, type ReportSelection } from '../../charts/input/from-report.js';
import { resolvePngSize } from '../../charts/options.js';
import { chartFormat, writeChart, writeComparisonChart } from '../../charts/write-chart.js';
import { invalidOption, MemscopeError } from '../../internal/errors.js';
import { readJsonReport } from '../../report/read-report.js';
import type { MemscopeReport } from '../../report/report-model.js';
import { parser } from '../options.js';

interface PlotOptions {
  out: string;
  width: number;
  height: number;
  title?: string;
  iteration?: number;
  test?: string;
  align: AlignMode;
  pixelRatio: number;
}

export function plotCommand(): Command {
  return new Command('plot')
    .description('draw memory over time from a JSON report as PNG or SVG; with two reports, overlay them')
    .argument('<report>', 'JSON report of a benchmark, memory test or stress run')
    .argument('[other]', 'a second report, drawn over the first (dashed) with their difference below')
    .requiredOption('--out <file>', 'picture to write, .png or .svg')
    .option('--width <px>', 'width in pixels, 320 to 8000', intIn('--width', 320, 8000), 1200)
    .option('--height <px>', 'height in pixels, 240 to 8000', intIn('--height', 240, 8000), 720)
    .option('--title <text>', 'title of the chart (default: from the report)')
    .option('--iteration <n>', 'draw one benchmark iteration only (1-based; default: all)', intIn('--iteration', 1, 1_000_000))
    .option('--test <name>', 'draw one memory test only (default: all)')
    .option('--align <mode>', `how two reports share the time axis: ${ALIGN_MODES.join(' or ')}`, alignMode, 'phases')
    .option('--pixel-ratio <n>', 'PNG pixels per chart pixel, 1 to 4 (at most 64 million pixels in all)', intIn('--pixel-ratio', 1, 4), 1)
    .action(async (report: string, other: string | undefined, options: PlotOptions) => {
      await plot(report, other, options);
    });
}

async function plot(path: string, otherPath: string | undefined, options: PlotOptions): Promise<void> {
  // Before any report is read: a picture too large to render is refused at once, naming the option to lower.
  if (chartFormat(options.out, '--out') === 'png') resolvePngSize(options.width, options.height, { pixelRatio: options.pixelRatio }, '--pixel-ratio');
  if ([path, otherPath].some((p) => p !== undefined && resolve(p) === resolve(options.out))) {
    throw invalidOption('--out', 'a file other than the input reports', options.out);
  }
  const selection: ReportSelection = { iteration: options.iteration, test: options.test };
  const size = { width: options.width, height: options.height, pixelRatio: options.pixelRatio };
  const first = selectFrom(await readReportFile(path), selection);
  if (otherPath === undefined) {
    await writeChart(first, options.title, options.out, size);
  } else {
    const [labelA, labelB] = runLabels(path, otherPath);
    const second = selectFrom(await readReportFile(otherPath), selection);
    await writeComparisonChart({ ...first, label: labelA }, { ...second, label: labelB }, options.out, { ...size, title: options.title, align: options.align });
  }
  console.log(`memscope plot: wrote ${options.out}`);
}

/** The chosen part of a report, with the option's name in the error when it names nothing. */
function selectFrom(report: MemscopeReport, selection: ReportSelection): ReturnType<typeof toChartInput> {
  try {
    return toChartInput(report, selection);
  } catch (error) {
    if (error instanceof MemscopeError) throw new MemscopeError(error.code, `--${error.message}`);
    throw error;
  }
}

/** Legend names for two report files: their base names, or A/B when those are the same. */
export function runLabels(a: string, b: string): [string, string] {
  const name = (p: string): string => basename(p).replace(/\.json$/i, '');
  return name(a) === name(b) || resolve(a) === resolve(b) ? [`A: ${name(a)}`, `B: ${name(b)}`] : [name(a), name(b)];
}

export function intIn(field: string, min: number, max: number): (value: string) => number {
  return parser((value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw invalidOption(field, `an integer from ${min} to ${max}`, value);
    return n;
  });
}

export const alignMode = parser((value: string): AlignMode => {
  if (!(ALIGN_MODES as readonly string[]).includes(value)) throw invalidOption('--align', `one of ${ALIGN_MODES.join(', ')}`, value);
  return value as AlignMode;
});

/** The JSON report at `path` (see readJsonReport: every way a file can be wrong has its own exit code). */
export const readReportFile = readJsonReport;
