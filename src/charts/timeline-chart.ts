import { formatBytes } from '../internal/units.js';
import type { MemoryKind } from '../sdk/types.js';
import { droppedNote, phaseLegend, shiftTicks, spanOf } from './chart-parts.js';
import { splitByRuns } from './data/segments.js';
import { extentOf, peakOf, seriesPoints } from './data/series-points.js';
import { frame, timeAxis, valueAxis } from './draw/axes.js';
import { drawnPhaseNames, phaseBands, phaseLanes } from './draw/bands.js';
import { svgDocument, titleLines, titleText } from './draw/document.js';
import { fitLayout, MARGIN, type LayoutSpec } from './draw/layout.js';
import { legend, legendRows, type LegendItem } from './draw/legend.js';
import { baselineMarkers, limitLines, peakMarkers, type BaselineMark, type LimitMark, type PeakMark } from './draw/markers.js';
import { runBoundaries, runStrip } from './draw/runs.js';
import { clipRect, seriesPath } from './draw/series-paths.js';
import { INK, LIMIT_STYLE, phaseColors, SERIES_STYLE } from './draw/theme.js';
import { phasesFromSamples, timeRange, type ChartLimits, type LeakBaselines, type SeriesKey } from './input/chart-input.js';
import { toChartInput, type ChartSource } from './input/from-report.js';
import { plausibleInput } from './input/plausible.js';
import { resolveTimelineOptions, type TimelineChartOptions } from './options.js';
import { ratePanel, type Segment } from './rate-panel.js';
import { linearScale } from './scale/linear-scale.js';
import { byteTicks, timeTicks } from './scale/ticks.js';
import { text } from './svg/svg.js';

/** A limit is drawn as a line when it is at most this far above the data; beyond, the legend gives its value. */
const LIMIT_IN_RANGE = 1.5;
/** Nesting depths of phases drawn as lanes; deeper phases are left out. */
const MAX_LANES = 3;

/** The series each kind of post-GC baseline sits on, and its legend label. */
const BASELINE_SERIES: Record<MemoryKind, { key: SeriesKey; label: string }> = {
  heap: { key: 'heapUsed', label: 'Heap after GC (leak baseline)' },
  external: { key: 'external', label: 'External after GC (leak baseline)' },
  array_buffers: { key: 'arrayBuffers', label: 'Array buffers after GC (leak baseline)' },
  rss: { key: 'rss', label: 'RSS after GC (leak baseline)' },
};

/**
 * The memory timeline as SVG: RSS, heap used, heap total and external over elapsed time, phases as labelled bands,
 * each series' peak marked with its value, the heap and container limits as dashed lines, the post-GC baselines of a
 * leak verdict as markers, and below, the rate of change in bytes per second. A timeline made of runs (iterations,
 * tests) names each run and breaks its lines between them. Deterministic: the same input gives the same bytes. Large
 * timelines are reduced to min/max per pixel column before drawing, so the cost and the size follow the width, not
 * the number of samples; readings no process can report are left out and the legend says so. Throws
 * MEMSCOPE_E_INVALID_OPTION for invalid options; an empty timeline gives an empty, labelled chart.
 */
export function renderTimelineSvg(source: ChartSource, options?: TimelineChartOptions): string {
  const o = resolveTimelineOptions(options);
  const { input, dropped } = plausibleInput(toChartInput(source));
  const samples = input.samples;
  const phases = o.phases ? [...(input.phases ?? phasesFromSamples(samples))] : [];
  const runs = [...(input.runs ?? [])].sort((a, b) => a.start - b.start);
  const [t0, t1] = timeRange(samples, phases) ?? [0, 1000];
  const span = spanOf(t0, t1);
  const title = o.title ?? input.title ?? 'Memory over time';
  const left = MARGIN.left;
  const right = o.width - MARGIN.right;
  // The horizontal layout is fixed by the margins, so the time scale is known before the vertical one is fitted.
  const x = linearScale([t0, t0 + span], [left, right]);

  // Lines break between runs; past one run per 4 px the breaks could not be seen, and would only multiply the path.
  const segments: Segment[] = splitByRuns(samples, runs.length > 1 && runs.length <= (right - left) / 4 ? runs : undefined).map((seg) => ({ samples: seg, range: timeRange(seg) }));
  const pxPerMs = (right - left) / span;
  const columnsOf = (range: Segment['range']): number => (range === undefined ? 1 : Math.max(1, Math.round((range[1] - range[0]) * pxPerMs)));
  const lines = o.series.map((key) => ({ key, segments: segments.map((seg) => seriesPoints(seg.samples, key, columnsOf(seg.range), seg.range)) }));
  const baselines = baselineMarks(input.leakBaselines, o.series);
  const dataMax = Math.max(extentOf(lines.flatMap((l) => l.segments))?.[1] ?? 0, ...baselines.map((b) => b.points.reduce((m, p) => Math.max(m, p.value), 0)));
  const limits = limitMarks(input.limits);
  const drawn = limits.filter((l) => l.value <= Math.max(dataMax, 1) * LIMIT_IN_RANGE);

  const minDepth = phases.reduce((m, p) => Math.min(m, p.depth), Infinity);
  const maxDepth = phases.reduce((m, p) => Math.max(m, p.depth), -Infinity);
  const laneCount = phases.length === 0 ? 0 : Math.min(MAX_LANES, maxDepth - minDepth + 1);
  const colors = phaseColors(phases.map((p) => p.name));

  const baseItems: LegendItem[] = [
    ...o.series.map((key): LegendItem => ({ key, label: SERIES_STYLE[key].label, color: SERIES_STYLE[key].color, mark: 'line' })),
    ...baselines.map((b): LegendItem => ({ key: `baseline:${b.key}`, label: b.label, color: b.color, mark: 'dot' })),
    ...limits.map((l): LegendItem => ({
      key: l.key,
      label: drawn.includes(l) ? l.label : `${l.label} ${formatBytes(l.value)} (off scale)`,
      color: l.color,
      mark: 'line',
      dash: l.dash,
    })),
  ];
  const itemsFor = (spec: LayoutSpec, withPhases: boolean): LegendItem[] => {
    const depths = Array.from({ length: spec.laneCount }, (_, i) => minDepth + i);
    const { names, grouped } = drawnPhaseNames(phases, x, left, right, depths.length > 0 ? depths : phases.length > 0 ? [minDepth] : []);
    return [...baseItems, ...(withPhases ? phaseLegend(names, colors, grouped) : grouped ? phaseLegend([], colors, true) : []), ...droppedNote(dropped)];
  };
  const lines1 = titleLines(title, o.width - left - 12);
  // Richest first; a small picture gives up, in turn: the phase names in the legend (the lanes still label them),
  // nested lanes, the rate panel, the title's second line.
  const specs: { spec: LayoutSpec; withPhases: boolean }[] = [];
  const want = { titleLines: lines1.length, legendRows: 0, runStrip: runs.length > 1, laneCount, lowerPanel: o.ratePanel };
  specs.push({ spec: want, withPhases: true }, { spec: want, withPhases: false });
  specs.push({ spec: { ...want, laneCount: Math.min(1, laneCount) }, withPhases: false });
  specs.push({ spec: { ...want, laneCount: Math.min(1, laneCount), lowerPanel: false }, withPhases: false });
  specs.push({ spec: { ...want, laneCount: Math.min(1, laneCount), lowerPanel: false, titleLines: 1 }, withPhases: false });
  const candidates = specs.map(({ spec, withPhases }) => {
    const items = itemsFor(spec, withPhases);
    return { spec: { ...spec, legendRows: legendRows(items, left, right) }, items };
  });
  const layout = fitLayout(o.width, o.height, candidates.map((c) => c.spec));
  const items = candidates.find((c) => c.spec === layout.spec)?.items ?? [];
  const shownTitle = layout.spec.titleLines === lines1.length ? lines1 : titleLines(title, o.width - left - 12, 1);
  const { main, lower } = layout;

  const xTicks = timeTicks(span, Math.max(2, Math.floor(main.width / 90)));
  const yTicks = byteTicks(0, Math.max(dataMax, ...drawn.map((l) => l.value)) * 1.04, Math.max(2, Math.floor(main.height / 45)));
  const y = linearScale(yTicks.domain, [main.y + main.height, main.y]);
  const clipMain = `${o.idPrefix}-clip-main`;
  const clipLower = `${o.idPrefix}-clip-lower`;
  const defs = [clipRect(clipMain, main)];
  const panels = lower === null ? [main] : [main, lower];

  const peaks: PeakMark[] = [];
  for (const key of o.peaks) {
    const peak = peakOf(lines.find((l) => l.key === key)?.segments.flat() ?? []);
    if (peak !== undefined) peaks.push({ key, label: `${SERIES_STYLE[key].label} peak`, color: SERIES_STYLE[key].color, ...peak });
  }

  const parts = [
    titleText(left, layout.titleY, shownTitle),
    legend(items, left, right, layout.legendY),
    phaseBands(phases, x, panels, colors, minDepth),
    layout.runs === null ? '' : runStrip(runs, x, layout.runs),
    layout.lanes === null ? '' : phaseLanes(phases, x, layout.lanes, layout.spec.laneCount, colors, minDepth),
    valueAxis(yTicks, y, main),
    timeAxis(shiftTicks(xTicks, t0), x, panels, layout.tickLabelY, layout.axisTitleY, `Elapsed time (${xTicks.unitLabel})`),
    runs.length > 1 ? runBoundaries(runs, x, panels) : '',
    limitLines(drawn, y, main),
    ...[...lines].reverse().map((l) => seriesPath(l.segments, x, y, { color: SERIES_STYLE[l.key].color, data: { series: l.key } }, clipMain)),
    baselineMarkers(baselines, x, y, main),
    peakMarkers(peaks, x, y, main),
    frame(main, 'main'),
  ];
  if (samples.length === 0) {
    parts.push(text({ x: main.x + main.width / 2, y: main.y + main.height / 2, 'font-size': 14, fill: INK, 'text-anchor': 'middle' }, 'no samples'));
  }
  if (lower !== null) {
    defs.push(clipRect(clipLower, lower));
    parts.push(ratePanel(segments, o.rateSeries, x, lower, clipLower));
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

/** The baselines to draw: those of a kind whose series is drawn, and that have points. */
function baselineMarks(baselines: LeakBaselines | undefined, series: readonly SeriesKey[]): BaselineMark[] {
  const out: BaselineMark[] = [];
  for (const [kind, { key, label }] of Object.entries(BASELINE_SERIES) as [MemoryKind, { key: SeriesKey; label: string }][]) {
    const points = baselines?.[kind];
    if (points === undefined || points.length === 0 || !series.includes(key)) continue;
    out.push({ key, label, color: SERIES_STYLE[key].color, points });
  }
  return out;
}
