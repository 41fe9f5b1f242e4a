import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { errorMessage, invalidOption, MemscopeError } from '../internal/errors.js';
import type { MemscopeReport } from '../report/report-model.js';
import { renderComparisonSvg } from './comparison-chart.js';
import { renderHtmlReport, type HtmlReportOptions } from './html/html-report.js';
import type { ChartSource } from './input/from-report.js';
import { resolvePixelRatio, type ComparisonChartOptions, type PngOptions, type TimelineChartOptions } from './options.js';
import { svgToPng } from './png.js';
import { renderTimelineSvg } from './timeline-chart.js';

/** The picture formats, by file extension. */
export type ChartFormat = 'png' | 'svg';

/** `png` or `svg` from a path's extension (case-insensitive); throws MEMSCOPE_E_INVALID_OPTION naming `field` otherwise. */
export function chartFormat(path: string, field = 'path'): ChartFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png' || ext === '.svg') return ext.slice(1) as ChartFormat;
  throw invalidOption(field, 'a file name ending in .png or .svg', path);
}

/**
 * Draws the memory timeline of `source` (samples, a prepared input or a report) into `path`, PNG or SVG by its
 * extension, creating missing folders. `title` overrides the input's. Throws MEMSCOPE_E_INVALID_OPTION for a bad path
 * or options, MEMSCOPE_E_WRITE when the file cannot be written.
 *
 * @example await writeChart(profiler.getMemoryTimeline(), 'Memory Usage for 500 Points', 'memory_usage_plot.png');
 */
export async function writeChart(source: ChartSource, title: string | undefined, path: string, options: TimelineChartOptions & PngOptions = {}): Promise<void> {
  const format = chartFormat(path);
  resolvePixelRatio(options);
  const svg = renderTimelineSvg(source, { ...options, title: title ?? options.title });
  await writeOutput(path, format === 'svg' ? svg : await svgToPng(svg, options));
}

/** The name the issue uses; the same function as {@link writeChart}. */
export const visualizeMemoryTimeline = writeChart;

/** Draws two runs overlaid (see renderComparisonSvg) into `path`, PNG or SVG by its extension. */
export async function writeComparisonChart(a: ChartSource, b: ChartSource, path: string, options: ComparisonChartOptions & PngOptions = {}): Promise<void> {
  const format = chartFormat(path);
  resolvePixelRatio(options);
  const svg = renderComparisonSvg(a, b, options);
  await writeOutput(path, format === 'svg' ? svg : await svgToPng(svg, options));
}

/** Writes the HTML report of one report, or of two compared, into `path`. */
export async function writeHtmlReport(reports: MemscopeReport | readonly [MemscopeReport, MemscopeReport], path: string, options?: HtmlReportOptions): Promise<void> {
  await writeOutput(path, renderHtmlReport(reports, options));
}

async function writeOutput(path: string, content: string | Buffer): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  } catch (error) {
    throw new MemscopeError('MEMSCOPE_E_WRITE', `cannot write ${path}: ${errorMessage(error)}`, { cause: error });
  }
}
