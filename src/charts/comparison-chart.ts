import { phaseLegend, spanOf } from './chart-parts.js';
import { alignRuns, type AlignedRun } from './compare/aligned-runs.js';
import { fillGaps, gridMinMax, type Grid } from './data/grid.js';
import { extentOf, peakOf, type MinMaxPoint } from './data/series-points.js';
import { frame, panelTitle, timeAxis, valueAxis } from './draw/axes.js';
import { phaseBands, phaseLanes } from './draw/bands.js';
import { svgDocument, titleText } from './draw/document.js';
import { chartLayout, laneRow, MARGIN, type Rect } from './draw/layout.js';
import { legend, legendRows, type LegendItem } from './draw/legend.js';
import { peakMarkers, type PeakMark } from './draw/markers.js';
import { clipRect, seriesPath } from './draw/series-paths.js';
import { BETTER, INK, MUTED, phaseColors, SERIES_STYLE, WORSE } from './draw/theme.js';
import type { SeriesKey } from './input/chart-input.js';
import type { ChartSource } from './input/from-report.js';
import { resolveComparisonOptions, type ComparisonChartOptions } from './options.js';
import { linearScale, type LinearScale } from './scale/linear-scale.js';
import { byteTicks, timeTicks } from './scale/ticks.js';
import { el, num, polylinePath, text } from './svg/svg.js';

const DASH_B = '7 4';

/**
 * Two runs overlaid on one elapsed-time axis (aligned on phase boundaries by default), each series solid for A and
 * dashed for B, with both runs' phases in lanes above and, below, the difference B − A of one series per pixel column
 * (peak against peak): red where B uses more, green where it uses less. Deterministic like the timeline chart.
 */
export function renderComparisonSvg(a: ChartSource, b: ChartSource, options?: ComparisonChartOptions): string {
  const o = resolveComparisonOptions(options);
  const [runA, runB] = alignRuns(a, b, o.align, o.phases);
  const span = spanOf(0, Math.max(runA.end, runB.end));
  const title = o.title ?? `Memory: ${runA.label} vs ${runB.label}`;
  const plotWidth = o.width - MARGIN.left - MARGIN.right;
  const grid: Grid = { x0: 0, x1: span, n: plotWidth };
  const keys = o.series.includes(o.diffSeries) ? o.series : [...o.series, o.diffSeries];
  const columns = (run: AlignedRun, key: SeriesKey): MinMaxPoint[] => toPoints(gridMinMax(run.samples, key, run.toX, grid), grid);
  const lines = o.series.flatMap((key) => [
    { key, run: runA, points: columns(runA, key) },
    { key, run: runB, points: columns(runB, key) },
  ]);

  const colors = phaseColors([...runA.phases, ...runB.phases].map((p) => p.name));
  const items: LegendItem[] = [
    ...o.series.flatMap((key): LegendItem[] => [
      { key: `${key}:a`, label: `${SERIES_STYLE[key].label}, ${runA.label}`, color: SERIES_STYLE[key].color, mark: 'line' },
      { key: `${key}:b`, label: `${SERIES_STYLE[key].label}, ${runB.label}`, color: SERIES_STYLE[key].color, mark: 'line', dash: DASH_B },
    ]),
    ...phaseLegend(colors),
  ];
  const legendX1 = o.width - MARGIN.right;
  const laneCount = (runA.phases.length > 0 ? 1 : 0) + (runB.phases.length > 0 ? 1 : 0);
  const layout = chartLayout(o.width, o.height, legendRows(items, MARGIN.left, legendX1), laneCount, true);
  const { main } = layout;
  const lower = layout.lower as Rect;

  const x = linearScale([0, span], [main.x, main.x + main.width]);
  const xTicks = timeTicks(span, Math.max(2, Math.floor(main.width / 90)));
  const dataMax = extentOf(lines.map((l) => l.points))?.[1] ?? 0;
  const yTicks = byteTicks(0, dataMax * 1.04, Math.max(2, Math.floor(main.height / 45)));
  const y = linearScale(yTicks.domain, [main.y + main.height, main.y]);
  const clipMain = `${o.idPrefix}-clip-main`;
  const clipLower = `${o.idPrefix}-clip-lower`;

  const first = o.series[0] as SeriesKey;
  const peaks: PeakMark[] = [];
  for (const line of lines.filter((l) => l.key === first)) {
    const peak = peakOf(line.points);
    if (peak !== undefined) peaks.push({ key: `${first}:${line.run === runA ? 'a' : 'b'}`, label: `peak ${line.run.label}`, color: SERIES_STYLE[first].color, ...peak });
  }

  const lanes: string[] = [];
  if (layout.lanes !== null) {
    let row = 0;
    for (const run of [runA, runB]) {
      if (run.phases.length === 0) continue;
      const lane = laneRow(layout.lanes, row++);
      lanes.push(phaseLanes(run.phases.map((p) => ({ ...p, depth: 0 })), x, lane, 1, colors, 0));
      lanes.push(text({ x: lane.x - 8, y: lane.y + lane.height - 4, 'font-size': 10, fill: MUTED, 'text-anchor': 'end' }, run.label));
    }
  }

  const parts = [
    titleText(MARGIN.left, layout.titleY, title),
    legend(items, MARGIN.left, legendX1, layout.legendY),
    phaseBands(runA.phases, x, [main, lower], colors, 0),
    ...lanes,
    valueAxis(yTicks, y, main),
    timeAxis(xTicks, x, [main, lower], layout.tickLabelY, layout.axisTitleY, `Elapsed time (${xTicks.unitLabel})${o.align === 'phases' ? `, ${runB.label} aligned on ${runA.label}'s phases` : ''}`),
    ...[...lines].reverse().map((l) =>
      seriesPath(l.points, x, y, { color: SERIES_STYLE[l.key].color, dash: l.run === runA ? undefined : DASH_B, data: { series: l.key, run: l.run === runA ? 'a' : 'b' } }, clipMain),
    ),
    peakMarkers(peaks, x, y, main),
    frame(main, 'main'),
    differencePanel(keys.includes(o.diffSeries) ? o.diffSeries : first, runA, runB, grid, x, lower, clipLower, o.idPrefix),
  ];
  const defs = [clipRect(clipMain, main), clipRect(clipLower, lower)];
  return svgDocument(o.width, o.height, title, defs, parts);
}

function toPoints(series: { min: Float64Array; max: Float64Array }, grid: Grid): MinMaxPoint[] {
  fillGaps(series.min);
  fillGaps(series.max);
  const w = (grid.x1 - grid.x0) / grid.n;
  const out: MinMaxPoint[] = [];
  for (let c = 0; c < grid.n; c++) {
    const min = series.min[c] as number;
    const max = series.max[c] as number;
    if (!Number.isNaN(min) && !Number.isNaN(max)) out.push({ time: grid.x0 + (c + 0.5) * w, min: Math.min(min, max), max });
  }
  return out;
}

function differencePanel(key: SeriesKey, a: AlignedRun, b: AlignedRun, grid: Grid, x: LinearScale, rect: Rect, clipId: string, prefix: string): string {
  const maxA = fillGaps(gridMinMax(a.samples, key, a.toX, grid).max);
  const maxB = fillGaps(gridMinMax(b.samples, key, b.toX, grid).max);
  const w = (grid.x1 - grid.x0) / grid.n;
  const times: number[] = [];
  const diffs: number[] = [];
  for (let c = 0; c < grid.n; c++) {
    const d = (maxB[c] as number) - (maxA[c] as number);
    if (Number.isNaN(d)) continue;
    times.push(grid.x0 + (c + 0.5) * w);
    diffs.push(d);
  }
  let lo = 0;
  let hi = 0;
  for (const d of diffs) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const ticks = byteTicks(lo, hi, Math.max(2, Math.floor(rect.height / 32)), { signed: true });
  const y = linearScale(ticks.domain, [rect.y + rect.height, rect.y]);
  const zero = y(0);
  const caption = `Difference ${b.label} − ${a.label}, ${SERIES_STYLE[key].label.toLowerCase()} (red: ${b.label} uses more)`;
  const parts = [panelTitle(rect, caption), valueAxis(ticks, y, rect, 0)];
  if (times.length > 0) {
    const xs = times.map((t) => x(t));
    const ys = diffs.map((d) => y(d));
    const line = polylinePath(xs, ys);
    const area = `${line}L${num(xs[xs.length - 1] ?? 0)} ${num(zero)}L${num(xs[0] ?? 0)} ${num(zero)}Z`;
    // One area, painted twice through clips that keep what lies above (red) and below (green) the zero line.
    parts.push(
      el('clipPath', { id: `${prefix}-clip-above-zero` }, el('rect', { x: rect.x, y: rect.y, width: rect.width, height: Math.max(0, zero - rect.y) })),
      el('clipPath', { id: `${prefix}-clip-below-zero` }, el('rect', { x: rect.x, y: zero, width: rect.width, height: Math.max(0, rect.y + rect.height - zero) })),
      el('path', { class: 'difference', 'data-sign': 'worse', d: area, fill: WORSE, 'fill-opacity': 0.3, 'clip-path': `url(#${prefix}-clip-above-zero)` }),
      el('path', { class: 'difference', 'data-sign': 'better', d: area, fill: BETTER, 'fill-opacity': 0.3, 'clip-path': `url(#${prefix}-clip-below-zero)` }),
      el('path', { class: 'difference-line', d: line, fill: 'none', stroke: INK, 'stroke-width': 1, 'clip-path': `url(#${clipId})` }),
    );
  }
  parts.push(frame(rect, 'difference'));
  return `<g class="difference-panel" data-series="${key}">${parts.join('')}</g>`;
}
