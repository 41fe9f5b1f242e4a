import { formatBytes } from '../internal/units.js';
import type { MemorySample } from '../sdk/types.js';
import { phaseLegend, shiftTicks, spanOf } from './chart-parts.js';
import { rateOfChange } from './data/rate.js';
import { extentOf, peakOf, seriesPoints, type MinMaxPoint } from './data/series-points.js';
import { frame, panelTitle, timeAxis, valueAxis } from './draw/axes.js';
import { phaseBands, phaseLanes } from './draw/bands.js';
import { svgDocument, titleText } from './draw/document.js';
import { chartLayout, MARGIN, type Rect } from './draw/layout.js';
import { legend, legendRows, type LegendItem } from './draw/legend.js';
import { limitLines, peakMarkers, type LimitMark, type PeakMark } from './draw/markers.js';
import { clipRect, seriesPath } from './draw/series-paths.js';
import { INK, LIMIT_STYLE, phaseColors, SERIES_STYLE } from './draw/theme.js';
import { phasesFromSamples, timeRange, type ChartLimits, type SeriesKey } from './input/chart-input.js';
import { toChartInput, type ChartSource } from './input/from-report.js';
import { resolveTimelineOptions, type TimelineChartOptions } from './options.js';
import { linearScale, type LinearScale } from './scale/linear-scale.js';
import { byteTicks, timeTicks } from './scale/ticks.js';
import { text } from './svg/svg.js';

/** A limit is drawn as a line when it is at most this far above the data; beyond, the legend gives its value. */
const LIMIT_IN_RANGE = 1.5;
/** Width of one rate-of-change slice, and samples it should hold: enough to show the trend rather than each GC. */
const RATE_BUCKET_PX = 12;
const RATE_SLICE_SAMPLES = 20;

/**
 * The memory timeline as SVG: RSS, heap used, heap total and external over elapsed time, phases as labelled bands,
 * each series' peak marked with its value, the heap and container limits as dashed lines, and below, the rate of
 * change in bytes per second. Deterministic: the same input gives the same bytes. Large timelines are reduced to
 * min/max per pixel column before drawing, so the cost and the size follow the width, not the number of samples.
 * Throws MEMSCOPE_E_INVALID_OPTION for invalid options; an empty timeline gives an empty, labelled chart.
 */
export function renderTimelineSvg(source: ChartSource, options?: TimelineChartOptions): string {
  const o = resolveTimelineOptions(options);
  const input = toChartInput(source);
  const samples = input.samples;
  const phases = o.phases ? [...(input.phases ?? phasesFromSamples(samples))] : [];
  const [t0, t1] = timeRange(samples, phases) ?? [0, 1000];
  const span = spanOf(t0, t1);
  const plotWidth = o.width - MARGIN.left - MARGIN.right;
  const title = o.title ?? input.title ?? 'Memory over time';

  const lines = o.series.map((key) => ({ key, points: seriesPoints(samples, key, plotWidth) }));
  const dataMax = extentOf(lines.map((l) => l.points))?.[1] ?? 0;
  const limits = limitMarks(input.limits);
  const drawn = limits.filter((l) => l.value <= Math.max(dataMax, 1) * LIMIT_IN_RANGE);

  const minDepth = phases.reduce((m, p) => Math.min(m, p.depth), Infinity);
  const maxDepth = phases.reduce((m, p) => Math.max(m, p.depth), -Infinity);
  const laneCount = phases.length === 0 ? 0 : Math.min(3, maxDepth - minDepth + 1);
  const colors = phaseColors(phases.map((p) => p.name));

  const items: LegendItem[] = [
    ...o.series.map((key): LegendItem => ({ key, label: SERIES_STYLE[key].label, color: SERIES_STYLE[key].color, mark: 'line' })),
    ...limits.map((l): LegendItem => ({
      key: l.key,
      label: drawn.includes(l) ? l.label : `${l.label} ${formatBytes(l.value)} (off scale)`,
      color: l.color,
      mark: 'line',
      dash: l.dash,
    })),
    ...phaseLegend(colors),
  ];
  const legendX1 = o.width - MARGIN.right;
  const layout = chartLayout(o.width, o.height, legendRows(items, MARGIN.left, legendX1), laneCount, o.ratePanel);
  const { main, lower } = layout;

  const x = linearScale([t0, t0 + span], [main.x, main.x + main.width]);
  const xTicks = timeTicks(span, Math.max(2, Math.floor(main.width / 90)));
  const yTicks = byteTicks(0, Math.max(dataMax, ...drawn.map((l) => l.value)) * 1.04, Math.max(2, Math.floor(main.height / 45)));
  const y = linearScale(yTicks.domain, [main.y + main.height, main.y]);
  const clipMain = `${o.idPrefix}-clip-main`;
  const clipLower = `${o.idPrefix}-clip-lower`;
  const defs = [clipRect(clipMain, main)];
  const panels = lower === null ? [main] : [main, lower];

  const peaks: PeakMark[] = [];
  for (const key of o.peaks) {
    const peak = peakOf(lines.find((l) => l.key === key)?.points ?? []);
    if (peak !== undefined) peaks.push({ key, label: `${SERIES_STYLE[key].label} peak`, color: SERIES_STYLE[key].color, ...peak });
  }

  const parts = [
    titleText(MARGIN.left, layout.titleY, title),
    legend(items, MARGIN.left, legendX1, layout.legendY),
    phaseBands(phases, x, panels, colors, minDepth),
    layout.lanes === null ? '' : phaseLanes(phases, x, layout.lanes, laneCount, colors, minDepth),
    valueAxis(yTicks, y, main),
    timeAxis(shiftTicks(xTicks, t0), x, panels, layout.tickLabelY, layout.axisTitleY, `Elapsed time (${xTicks.unitLabel})`),
    limitLines(drawn, y, main),
    ...[...lines].reverse().map((l) => seriesPath(l.points, x, y, { color: SERIES_STYLE[l.key].color, data: { series: l.key } }, clipMain)),
    peakMarkers(peaks, x, y, main),
    frame(main, 'main'),
  ];
  if (samples.length === 0) {
    parts.push(text({ x: main.x + main.width / 2, y: main.y + main.height / 2, 'font-size': 14, fill: INK, 'text-anchor': 'middle' }, 'no samples'));
  }
  if (lower !== null) {
    defs.push(clipRect(clipLower, lower));
    parts.push(ratePanel(samples, o.rateSeries, t0, t1, x, lower, clipLower));
  }
  return svgDocument(o.width, o.height, title, defs, parts);
}

function limitMarks(limits: ChartLimits | undefined): LimitMark[] {
  const out: LimitMark[] = [];
  const heap = limits?.heapLimitBytes;
  const container = limits?.containerLimitBytes;
  if (typeof heap === 'number' && heap > 0 && Number.isFinite(heap)) out.push({ key: 'heapLimit', ...LIMIT_STYLE.heap, value: heap });
  if (typeof container === 'number' && container > 0 && Number.isFinite(container)) {
    out.push({ key: 'containerLimit', ...LIMIT_STYLE.container, value: container });
  }
  return out;
}

function ratePanel(samples: readonly MemorySample[], keys: readonly SeriesKey[], t0: number, t1: number, x: LinearScale, rect: Rect, clipId: string): string {
  const lines = keys.map((key) => ({
    key,
    points: rateOfChange(samples, key, t0, t1, Math.max(8, Math.min(rect.width / RATE_BUCKET_PX, samples.length / RATE_SLICE_SAMPLES))).map((r): MinMaxPoint => ({ time: r.time, min: r.rate, max: r.rate })),
  }));
  const [lo, hi] = extentOf(lines.map((l) => l.points)) ?? [0, 0];
  const ticks = byteTicks(Math.min(0, lo), Math.max(0, hi), Math.max(2, Math.floor(rect.height / 32)), { suffix: '/s', signed: true });
  const y = linearScale(ticks.domain, [rect.y + rect.height, rect.y]);
  return (
    `<g class="rate-panel">` +
    panelTitle(rect, 'Rate of change (bytes per second)') +
    valueAxis(ticks, y, rect, 0) +
    [...lines].reverse().map((l) => seriesPath(l.points, x, y, { color: SERIES_STYLE[l.key].color, width: 1.25, data: { series: l.key, rate: 'true' } }, clipId)).join('') +
    frame(rect, 'rate') +
    '</g>'
  );
}
