import { readFileSync } from 'node:fs';
import { invalidOption } from '../../internal/errors.js';
import { intOption, oneOf, stringOption } from '../../internal/validate.js';
import type { MemscopeReport } from '../../report/report-model.js';
import { MEMSCOPE_VERSION } from '../../version.js';
import { uplotFiles } from '../assets.js';
import { ALIGN_MODES, type AlignMode } from '../compare/align-runs.js';
import { isReport, toChartInput } from '../input/from-report.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { benchmarkComparison, memoryTestComparison, mixedComparison, runsTable } from './html-compare.js';
import { comparisonPayload, timelinePayload, type ChartPayload } from './html-data.js';
import { escapeHtml, inlineCode, jsonForScript } from './html-escape.js';
import { benchmarkSections, chartFigure, memoryTestSections, section } from './html-sections.js';
import { PAGE_STYLE } from './page-style.js';

/** Options of the HTML report. */
export interface HtmlReportOptions {
  /** The page's heading. @default derived from the report(s) */
  title?: string;
  /** Names of the two runs of a comparison. @default ['A', 'B'] */
  labels?: readonly [string, string];
  /** How a comparison aligns the runs. @default 'phases' */
  align?: AlignMode;
  /** Columns a long timeline is reduced to, 100 to 20,000 (two points each, min and max). @default 2000 */
  columns?: number;
}

/** Proves the page loads nothing: no script, style, image, font or connection from anywhere but the page itself. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * One self-contained HTML page for a report, or for two reports compared: summary and per-phase tables, the leak
 * verdict with its evidence, and interactive timelines (uPlot, inlined: zoom, hover values, series and phase
 * toggles). No network, no CDN: the page opens from a CI artifact or a file:// URL, and a CSP says so. The same
 * report(s) give the same page byte for byte. Throws MEMSCOPE_E_INVALID_OPTION for a non-report or invalid options.
 */
export function renderHtmlReport(reports: MemscopeReport | readonly [MemscopeReport, MemscopeReport], options: HtmlReportOptions = {}): string {
  const columns = intOption('columns', options.columns, 2000, 100, 20_000);
  const align = oneOf('align', options.align, 'phases', ALIGN_MODES);
  const labels = labelsOption(options.labels);
  const pair = Array.isArray(reports) ? (reports as readonly MemscopeReport[]) : [reports as MemscopeReport];
  if (pair.length !== (Array.isArray(reports) ? 2 : 1) || !pair.every(isReport)) {
    throw invalidOption('reports', 'a memscope report or a pair of them', Array.isArray(reports) ? `${pair.length} items` : reports);
  }
  const page = pair.length === 1 ? single(pair[0] as MemscopeReport, columns) : compare(pair[0] as MemscopeReport, pair[1] as MemscopeReport, labels, align, columns);
  const title = options.title === undefined ? page.title : stringOption('title', options.title, '');
  return document(title, page.subtitle, page.body, page.charts);
}

interface Page {
  title: string;
  subtitle: string;
  body: string;
  charts: ChartPayload[];
}

function single(report: MemscopeReport, columns: number): Page {
  const subtitle = `${report.kind === 'benchmark' ? 'Benchmark' : report.config.stress ? 'Stress run' : 'Memory tests'} · generated ${report.generatedAt} · memscope ${report.tool.version}`;
  if (report.kind === 'benchmark') {
    const chart = timelinePayload('timeline', report, columns);
    return { title: chart.title, subtitle, body: benchmarkSections(report, chartFigure(chart.id, 'All iterations, one after another')), charts: [chart] };
  }
  const charts = report.tests.map((t, i) => timelinePayload(`test-${i}`, toChartInput(report, { test: t.name }), columns, `Memory over time: ${t.name}`));
  const title = `${report.config.stress ? 'Stress run' : 'Memory tests'}: ${report.passed ? 'passed' : 'failed'}`;
  return { title, subtitle, body: memoryTestSections(report, charts.map((c) => chartFigure(c.id, c.title))), charts };
}

function compare(a: MemscopeReport, b: MemscopeReport, labels: readonly [string, string], align: AlignMode, columns: number): Page {
  const how = align === 'phases' ? `${labels[1]} aligned on ${labels[0]}'s phases` : 'aligned on elapsed time';
  const title = `Comparison: ${labels[0]} vs ${labels[1]}`;
  const runs = section('runs', 'Runs', runsTable([a, b], labels));
  const overlay = (id: string, sa: Parameters<typeof comparisonPayload>[1], sb: Parameters<typeof comparisonPayload>[2], name: string): ChartPayload =>
    comparisonPayload(id, { ...toChartInput(sa), label: labels[0] }, { ...toChartInput(sb), label: labels[1] }, align, columns, name);
  if (a.kind === 'memory-test' && b.kind === 'memory-test') {
    const charts: ChartPayload[] = [];
    const figures = new Map<string, string>();
    a.tests.forEach((t, i) => {
      if (!b.tests.some((u) => u.name === t.name)) return;
      const chart = overlay(`test-${i}`, toChartInput(a, { test: t.name }), toChartInput(b, { test: t.name }), `${t.name} (${how})`);
      charts.push(chart);
      figures.set(t.name, chartFigure(chart.id, chart.title));
    });
    return { title, subtitle: how, body: runs + memoryTestComparison(a, b, labels, figures), charts };
  }
  const chart = overlay('timeline', a, b, `All of each run (${how})`);
  const figure = chartFigure(chart.id, chart.title);
  const body = a.kind === 'benchmark' && b.kind === 'benchmark' ? benchmarkComparison(a, b, labels, figure) : mixedComparison(figure);
  return { title, subtitle: how, body: runs + body, charts: [chart] };
}

function labelsOption(value: unknown): readonly [string, string] {
  if (value === undefined) return ['A', 'B'];
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw invalidOption('labels', 'two non-empty strings', value);
  }
  return value as unknown as readonly [string, string];
}

function document(title: string, subtitle: string, body: string, charts: ChartPayload[]): string {
  const uplot = uplotFiles();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="memscope ${escapeHtml(MEMSCOPE_VERSION)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${inlineCode(readFileSync(uplot.style, 'utf8'))}</style>`,
    `<style>${inlineCode(PAGE_STYLE)}</style>`,
    '</head><body>',
    `<header><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(subtitle)}</p></header>`,
    `<main>${body}</main>`,
    `<footer class="muted"><p>memscope ${escapeHtml(MEMSCOPE_VERSION)} · self-contained page: it loads nothing from the network.</p></footer>`,
    `<script type="application/json" id="memscope-data">${jsonForScript({ charts })}</script>`,
    `<script>${inlineCode(readFileSync(uplot.script, 'utf8'))}</script>`,
    `<script>${inlineCode(CLIENT_SCRIPT)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
