import { extname } from 'node:path';
import { MemscopeError, invalidOption } from '../internal/errors.js';
import { writeFileAtomic, type WriteFileAtomicOptions } from '../report/atomic-write.js';
import type { MemscopeReport } from '../report/report-model.js';
import { renderComparisonSvg } from './comparison-chart.js';
import { renderHtmlReport, type HtmlReportOptions } from './html/html-report.js';
import type { ChartSource } from './input/from-report.js';
import { resolveComparisonOptions, resolvePngSize, resolveTimelineOptions, type ComparisonChartOptions, type PngOptions, type TimelineChartOptions } from './options.js';
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

/** Where the chart writers write: the atomic writer's own options (tests inject a failing file system there). */
export type WriteOptions = Pick<WriteFileAtomicOptions, 'fs'>;

/**
 * Draws the memory timeline of `source` (samples, a prepared input or a report) into `path`, PNG or SVG by its
 * extension, creating missing folders. `title` overrides the input's. The file is written atomically: a reader sees
 * the old file or the new one, never a part, and a failed write (a full disk) leaves the old file as it was. Throws
 * MEMSCOPE_E_INVALID_OPTION for a bad path or options (a PNG beyond MAX_PNG_PIXELS included, before anything is
 * drawn), MEMSCOPE_E_WRITE when the file cannot be written.
 *
 * @example await writeChart(profiler.getMemoryTimeline(), 'Memory Usage for 500 Points', 'memory_usage_plot.png');
 */
export async function writeChart(source: ChartSource, title: string | undefined, path: string, options: TimelineChartOptions & PngOptions & WriteOptions = {}): Promise<void> {
  const format = chartFormat(path);
  const o = resolveTimelineOptions(options);
  if (format === 'png') resolvePngSize(o.width, o.height, options);
  const svg = renderTimelineSvg(source, { ...options, title: title ?? options.title });
  await writeFileAtomic(path, format === 'svg' ? svg : await svgToPng(svg, options), options);
}

/**
 * {@link writeChart} for a picture that accompanies a report (`--plot`, `memscope run`, `memscope stress`): when a PNG
 * cannot be drawn for want of resvg's native binding, the same chart is written as SVG beside it instead of failing a
 * command whose measurements are already written. Returns the path written and, when it fell back, why.
 */
export async function writeReportChart(source: ChartSource, title: string, path: string): Promise<{ path: string; warning?: string }> {
  try {
    await writeChart(source, title, path);
    return { path };
  } catch (error) {
    if (!(error instanceof MemscopeError) || error.code !== 'MEMSCOPE_E_PNG_UNAVAILABLE') throw error;
    const svgPath = path.replace(/\.png$/i, '.svg');
    await writeChart(source, title, svgPath);
    return { path: svgPath, warning: `wrote ${svgPath} instead of ${path}: ${error.message}` };
  }
}

/** The name the issue uses; the same function as {@link writeChart}. */
export const visualizeMemoryTimeline = writeChart;

/** Draws two runs overlaid (see renderComparisonSvg) into `path`, PNG or SVG by its extension, atomically. */
export async function writeComparisonChart(a: ChartSource, b: ChartSource, path: string, options: ComparisonChartOptions & PngOptions & WriteOptions = {}): Promise<void> {
  const format = chartFormat(path);
  const o = resolveComparisonOptions(options);
  if (format === 'png') resolvePngSize(o.width, o.height, options);
  const svg = renderComparisonSvg(a, b, options);
  await writeFileAtomic(path, format === 'svg' ? svg : await svgToPng(svg, options), options);
}

/** Writes the HTML report of one report, or of two compared, into `path`, atomically. */
export async function writeHtmlReport(reports: MemscopeReport | readonly [MemscopeReport, MemscopeReport], path: string, options: HtmlReportOptions & WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, renderHtmlReport(reports, options), options);
}
