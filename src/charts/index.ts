// The public API of `memscope/charts`: pictures of memory over time. A sub-path of its own so that an instrumented
// service never loads it (nor resvg's native binding, which is imported only when a PNG is rendered). Explicit names
// only (lint bans `export *`).

export { renderTimelineSvg } from './timeline-chart.js';
export { renderComparisonSvg } from './comparison-chart.js';
export { renderTimelinePng, renderComparisonPng, svgToPng } from './png.js';
export { writeChart, visualizeMemoryTimeline, writeComparisonChart, writeHtmlReport, chartFormat } from './write-chart.js';
export type { ChartFormat, WriteOptions } from './write-chart.js';
export { renderHtmlReport } from './html/html-report.js';
export type { HtmlReportOptions } from './html/html-report.js';
export { toChartInput, isReport } from './input/from-report.js';
export type { ChartSource, ReportSelection } from './input/from-report.js';
export { phasesFromSamples, SERIES_KEYS } from './input/chart-input.js';
export type { TimelineChartInput, ChartLimits, ChartRun, BaselinePoint, LeakBaselines, SeriesKey } from './input/chart-input.js';
export { MAX_PNG_PIXELS } from './options.js';
export type { TimelineChartOptions, ComparisonChartOptions, PngOptions } from './options.js';
export { ALIGN_MODES, phaseAnchors, warpFrom } from './compare/align-runs.js';
export type { AlignMode, AlignAnchor } from './compare/align-runs.js';
export { FONT_FILE } from './assets.js';
