import { droppedNote, phaseLegend, spanOf } from './chart-parts.js';
import { alignRuns, type AlignedRun } from './compare/aligned-runs.js';
import { bridgeGaps, gridMinMax, type Grid } from './data/grid.js';
import { extentOf, peakOf, type MinMaxPoint } from './data/series-points.js';
import { frame, panelTitle, timeAxis, valueAxis } from './draw/axes.js';
import { drawnPhaseNames, phaseBands, phaseLanes } from './draw/bands.js';
import { svgDocument, titleLines, titleText } from './draw/document.js';
import { fitLayout, laneRow, MARGIN, type LayoutSpec, type Rect } from './draw/layout.js';
import { legend, legendRows, type LegendItem } from './draw/legend.js';
import { peakMarkers, type PeakMark } from './draw/markers.js';
import { runBoundaries, runStrip } from './draw/runs.js';
import { clipRect, seriesPath } from './draw/series-paths.js';
import { BETTER, INK, MUTED, phaseColors, SERIES_STYLE, WORSE } from './draw/theme.js';
import type { SeriesKey } from './input/chart-input.js';
import type { ChartSource } from './input/from-report.js';
import { resolveComparisonOptions, type ComparisonChartOptions } from './options.js';
import { linearScale, type LinearScale } from './scale/linear-scale.js';
import { byteTicks, timeTicks } from './scale/ticks.js';
import { el, num, polylinePath, text } from './svg/svg.js';

const DASH_B = '7 4';
const LANE_LABEL_FONT = 10;

/**
 * Two runs overlaid on one elapsed-time axis (aligned on phase boundaries by default), each series solid for A and
 * dashed for B, with both runs' phases in lanes above and, below, the difference B − A of one series per pixel column
 * (peak against peak): red where B uses more, green where it uses less. Lines break between the parts a run is made
 * of (iterations, tests). Deterministic like the timeline chart.
 */
export function renderComparisonSvg(a: ChartSource, b: ChartSource, options?: ComparisonChartOptions): string {
  const o = resolveComparisonOptions(options);
  const [runA, runB] = alignRuns(a, b, o.align, o.phases);
  const span = spanOf(0, Math.max(runA.end, runB.end));
  const title = o.title ?? `Memory: ${runA.label} vs ${runB.label}`;
  const left = MARGIN.left;
  const right = o.width - MARGIN.right;
  const grid: Grid = { x0: 0, x1: span, n: right - left };
  const x = linearScale([0, span], [left, right]);
  const diffKey = o.diffSeries;
  const columns = (run: AlignedRun, key: SeriesKey): MinMaxPoint[][] => toSegments(bridgeGaps(gridMinMax(run.samples, key, run.toX, grid), grid, run.gaps), grid);
  const lines = o.series.flatMap((key) => [
    { key, run: runA, segments: columns(runA, key) },
    { key, run: runB, segments: columns(runB, key) },
  ]);

  const colors = phaseColors([...runA.phases, ...runB.phases].map((p) => p.name));
  // Colour tells the series, the dash the run: one entry each, and the runs' (often long) names once.
  const seriesItems: LegendItem[] = [
    ...o.series.map((key): LegendItem => ({ key, label: SERIES_STYLE[key].label, color: SERIES_STYLE[key].color, mark: 'line' })),
    { key: 'run:a', label: lettered(runA.label, 'A'), color: MUTED, mark: 'line', shorten: 'middle' },
    { key: 'run:b', label: lettered(runB.label, 'B'), color: MUTED, mark: 'line', dash: DASH_B, shorten: 'middle' },
  ];
  const drawnA = drawnPhaseNames(runA.phases, x, left, right, [0]);
  const drawnB = drawnPhaseNames(runB.phases, x, left, right, [0]);
  const phaseItems = phaseLegend([...new Set([...drawnA.names, ...drawnB.names])], colors, drawnA.grouped || drawnB.grouped);
  const notes = [...droppedNote(runA.dropped), ...droppedNote(runB.dropped)];
  const laneCount = (runA.phases.length > 0 ? 1 : 0) + (runB.phases.length > 0 ? 1 : 0);
  const lines1 = titleLines(title, o.width - left - 12);
  const want: LayoutSpec = { titleLines: lines1.length, legendRows: 0, runStrip: runA.parts.length > 1, laneCount, lowerPanel: true };
  // Richest first: a small picture gives up the phase names in the legend, then the lanes, then the title's second line.
  const candidates = [
    { spec: want, items: [...seriesItems, ...phaseItems, ...notes] },
    { spec: want, items: [...seriesItems, ...notes] },
    { spec: { ...want, laneCount: 0 }, items: [...seriesItems, ...notes] },
    { spec: { ...want, laneCount: 0, titleLines: 1 }, items: [...seriesItems, ...notes] },
  ].map((c) => ({ ...c, spec: { ...c.spec, legendRows: legendRows(c.items, left, right) } }));
  const layout = fitLayout(o.width, o.height, candidates.map((c) => c.spec));
  const items = candidates.find((c) => c.spec === layout.spec)?.items ?? [];
  const { main } = layout;
  const lower = layout.lower as Rect;

  const xTicks = timeTicks(span, Math.max(2, Math.floor(main.width / 90)));
  const dataMax = extentOf(lines.flatMap((l) => l.segments))?.[1] ?? 0;
  const yTicks = byteTicks(0, dataMax * 1.04, Math.max(2, Math.floor(main.height / 45)));
  const y = linearScale(yTicks.domain, [main.y + main.height, main.y]);
  const clipMain = `${o.idPrefix}-clip-main`;
  const clipLower = `${o.idPrefix}-clip-lower`;

  const first = o.series[0] as SeriesKey;
  const peaks: PeakMark[] = [];
  for (const line of lines.filter((l) => l.key === first)) {
    const peak = peakOf(line.segments.flat());
    if (peak !== undefined) peaks.push({ key: `${first}:${line.run === runA ? 'a' : 'b'}`, label: `peak ${line.run === runA ? 'A' : 'B'}`, color: SERIES_STYLE[first].color, ...peak });
  }

  const lanes: string[] = [];
  if (layout.lanes !== null) {
    let row = 0;
    for (const [run, letter] of [[runA, 'A'], [runB, 'B']] as const) {
      if (run.phases.length === 0) continue;
      const lane = laneRow(layout.lanes, row++);
      lanes.push(phaseLanes(run.phases, x, lane, 1, colors, 0));
      // The legend names the runs; beside its lane, the letter it gives each.
      lanes.push(text({ class: 'lane-label', x: lane.x - 6, y: lane.y + lane.height - 4, 'font-size': LANE_LABEL_FONT, fill: MUTED, 'text-anchor': 'end' }, `${letter} phases`));
    }
  }

  const parts = [
    titleText(left, layout.titleY, layout.spec.titleLines === lines1.length ? lines1 : titleLines(title, o.width - left - 12, 1)),
    legend(items, left, right, layout.legendY),
    phaseBands(runA.phases, x, [main, lower], colors, 0),
    layout.runs === null ? '' : runStrip(runA.parts, x, layout.runs),
    ...lanes,
    valueAxis(yTicks, y, main),
    timeAxis(xTicks, x, [main, lower], layout.tickLabelY, layout.axisTitleY, `Elapsed time (${xTicks.unitLabel})${o.align === 'phases' ? ", B aligned on A's phases" : ''}`),
    runA.parts.length > 1 ? runBoundaries(runA.parts, x, [main, lower]) : '',
    ...[...lines].reverse().map((l) =>
      seriesPath(l.segments, x, y, { color: SERIES_STYLE[l.key].color, dash: l.run === runA ? undefined : DASH_B, data: { series: l.key, run: l.run === runA ? 'a' : 'b' } }, clipMain),
    ),
    peakMarkers(peaks, x, y, main),
    frame(main, 'main'),
    differencePanel(diffKey, runA, runB, grid, x, lower, clipLower, o.idPrefix),
  ];
  const defs = [clipRect(clipMain, main), clipRect(clipLower, lower)];
  return svgDocument(o.width, o.height, title, defs, parts);
}

/** A run's name as the legend gives it: with the letter the rest of the chart calls it by (unless it has it). */
function lettered(label: string, letter: 'A' | 'B'): string {
  return label === letter || label.startsWith(`${letter}: `) ? label : `${letter}: ${label}`;
}

/** Columns with a value as points, split into segments where a column is empty (a gap between a run's parts). */
function toSegments(series: { min: Float64Array; max: Float64Array }, grid: Grid): MinMaxPoint[][] {
  const w = (grid.x1 - grid.x0) / series.min.length;
  const out: MinMaxPoint[][] = [];
  let current: MinMaxPoint[] = [];
  for (let c = 0; c < series.min.length; c++) {
    const min = series.min[c] as number;
    const max = series.max[c] as number;
    if (Number.isNaN(min) || Number.isNaN(max)) {
      if (current.length > 0) out.push(current);
      current = [];
      continue;
    }
    current.push({ time: grid.x0 + (c + 0.5) * w, min: Math.min(min, max), max });
  }
  if (current.length > 0) out.push(current);
  return out;
}

function differencePanel(key: SeriesKey, a: AlignedRun, b: AlignedRun, grid: Grid, x: LinearScale, rect: Rect, clipId: string, prefix: string): string {
  const maxA = bridgeGaps(gridMinMax(a.samples, key, a.toX, grid), grid, a.gaps).max;
  const maxB = bridgeGaps(gridMinMax(b.samples, key, b.toX, grid), grid, b.gaps).max;
  const w = (grid.x1 - grid.x0) / maxA.length;
  // Runs of columns where both runs have a value; each is one area, so nothing is drawn across a gap.
  const pieces: { times: number[]; diffs: number[] }[] = [];
  let piece: { times: number[]; diffs: number[] } | undefined;
  let lo = 0;
  let hi = 0;
  for (let c = 0; c < maxA.length; c++) {
    const d = (maxB[c] as number) - (maxA[c] as number);
    if (Number.isNaN(d)) {
      piece = undefined;
      continue;
    }
    if (piece === undefined) pieces.push((piece = { times: [], diffs: [] }));
    piece.times.push(grid.x0 + (c + 0.5) * w);
    piece.diffs.push(d);
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const ticks = byteTicks(lo, hi, Math.max(2, Math.floor(rect.height / 24)), { signed: true });
  const y = linearScale(ticks.domain, [rect.y + rect.height, rect.y]);
  const zero = y(0);
  const caption = `Difference B − A, ${SERIES_STYLE[key].label.toLowerCase()} (red: B uses more)`;
  const parts = [panelTitle(rect, caption), valueAxis(ticks, y, rect, 0)];
  if (pieces.length > 0) {
    let line = '';
    let area = '';
    for (const p of pieces) {
      const xs = p.times.map((t) => x(t));
      const ys = p.diffs.map((d) => y(d));
      const d = polylinePath(xs, ys);
      line += d;
      area += `${d}L${num(xs[xs.length - 1] ?? 0)} ${num(zero)}L${num(xs[0] ?? 0)} ${num(zero)}Z`;
    }
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
