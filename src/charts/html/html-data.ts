import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import { downsampleMinMax } from '../../sdk/timeline/downsample.js';
import type { MemorySample } from '../../sdk/types.js';
import { alignRuns } from '../compare/aligned-runs.js';
import type { AlignMode } from '../compare/align-runs.js';
import { bridgeGaps, gridMinMax, type Grid } from '../data/grid.js';
import { splitByRuns } from '../data/segments.js';
import { LIMIT_STYLE, phaseColors, SERIES_STYLE } from '../draw/theme.js';
import { phasesFromSamples, SERIES_KEYS, timeRange, type SeriesKey, type TimelineChartInput } from '../input/chart-input.js';
import { toChartInput, type ChartSource } from '../input/from-report.js';
import { plausibleInput } from '../input/plausible.js';

/** One interactive chart of the HTML report, as the page's script reads it. Times in elapsed seconds. */
export interface ChartPayload {
  id: string;
  title: string;
  x: number[];
  series: { key: SeriesKey; label: string; color: string; run: number; dash: boolean; show: boolean; values: (number | null)[] }[];
  phases: { name: string; start: number; end: number; depth: number; run: number; color: string }[];
  limits: { label: string; value: number; color: string }[];
  /** B − A of one series (comparisons only). */
  diff: { label: string; values: (number | null)[] } | null;
  /**
   * Elapsed seconds of the null rows that break the lines between a timeline's parts (iterations, tests); other
   * nulls (a missing reading) are spanned. Null: every null is a break (a comparison's columns are bridged already).
   */
  breaks: number[] | null;
}

/** Shown when the page opens; the others are one click away in the legend. */
const SHOWN: readonly SeriesKey[] = ['rss', 'heapUsed', 'heapTotal', 'external'];
/** Phase intervals kept per chart; past it, those too short to see at full width go first (see boundPhases). */
const MAX_PHASES = 5000;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * One run's chart. Up to 2 × `columns` plain samples go in as they are, so hovering shows real readings; more are
 * reduced per column by `downsampleMinMax` to two points (min and max, in the order that continues the line), so
 * peaks survive and the page stays small whatever the length of the run. Between the parts of a timeline (iterations,
 * tests) a row of nulls breaks the lines, as the SVG chart breaks them; implausible readings are left out as there.
 */
export function timelinePayload(id: string, source: ChartSource, columns: number, title?: string): ChartPayload {
  const { input } = plausibleInput(toChartInput(source));
  const samples = input.samples;
  const phases = input.phases ?? phasesFromSamples(samples);
  const [t0, t1] = timeRange(samples, phases) ?? [0, 0];
  const raw = samples.length <= 2 * columns && !samples.some((s) => s.folded !== undefined);
  const runs = input.runs ?? [];
  // Past one part per 4 columns the breaks could not be seen, and would make the page grow with the parts.
  const segments = splitByRuns(samples, runs.length > 1 && runs.length <= columns / 4 ? runs : undefined);
  const tables = segments.map((segment) => {
    if (raw) return rawTable(segment, t0);
    const [s0, s1] = timeRange(segment) ?? [t0, t0];
    // Each part gets its share of the columns, so the page's size stays bounded by `columns` whatever the parts.
    return columnTable(segment, Math.max(1, Math.round((columns * (s1 - s0)) / Math.max(1, t1 - t0))), t0, s0, s1);
  });
  const { breaks, ...table } = joinTables(tables);
  if (!raw) pinEnds(table.x, (t1 - t0) / 1000);
  const colors = phaseColors(phases.map((p) => p.name));
  return {
    id,
    title: title ?? input.title ?? 'Memory over time',
    x: table.x,
    series: SERIES_KEYS.map((key) => ({ key, ...SERIES_STYLE[key], run: 0, dash: false, show: SHOWN.includes(key), values: table.values[key] })),
    phases: boundPhases(phases, t1 - t0, columns).map((p) => ({ ...toSeconds(p, t0), run: 0, color: colors.get(p.name) ?? '#999999' })),
    limits: limitsOf(input),
    diff: null,
    breaks,
  };
}

type Table = { x: number[]; values: Record<SeriesKey, (number | null)[]> };

/** Tables one after another, with a row of nulls between two, and where those rows are (the page breaks lines there). */
function joinTables(tables: readonly Table[]): Table & { breaks: number[] } {
  const out: Table & { breaks: number[] } = { x: [], values: Object.fromEntries(SERIES_KEYS.map((k) => [k, []])) as unknown as Table['values'], breaks: [] };
  tables.forEach((t, i) => {
    if (i > 0 && t.x.length > 0 && out.x.length > 0) {
      const at = round3(((out.x[out.x.length - 1] as number) + (t.x[0] as number)) / 2);
      out.x.push(at);
      out.breaks.push(at);
      for (const k of SERIES_KEYS) out.values[k].push(null);
    }
    for (const v of t.x) out.x.push(v);
    for (const k of SERIES_KEYS) for (const v of t.values[k]) out.values[k].push(v);
  });
  return out;
}

/** Two runs overlaid on one axis, aligned as the comparison chart aligns them, with B − A of `diffKey`. */
export function comparisonPayload(id: string, a: ChartSource, b: ChartSource, align: AlignMode, columns: number, title: string, diffKey: SeriesKey = 'heapUsed'): ChartPayload {
  const runs = alignRuns(a, b, align, true);
  const span = Math.max(1, runs[0].end, runs[1].end);
  // No more columns than samples: a short run gains nothing from columns it would leave empty.
  columns = Math.max(1, Math.min(columns, Math.max(runs[0].samples.length, runs[1].samples.length)));
  const grid: Grid = { x0: 0, x1: span, n: columns };
  const w = span / columns;
  const x: number[] = [];
  for (let c = 0; c < columns; c++) x.push(round3((c + 0.25) * w / 1000), round3((c + 0.75) * w / 1000));
  pinEnds(x, span / 1000);
  const series: ChartPayload['series'] = [];
  const maxima: Float64Array[] = [];
  runs.forEach((run, r) => {
    for (const key of SERIES_KEYS) {
      const g = bridgeGaps(gridMinMax(run.samples, key, run.toX, grid), grid, run.gaps);
      if (key === diffKey) maxima.push(g.max);
      series.push({ key, label: `${SERIES_STYLE[key].label} (${run.label})`, color: SERIES_STYLE[key].color, run: r, dash: r === 1, show: key === 'heapUsed' || key === 'rss', values: pairs(g.min, g.max) });
    }
  });
  const colors = phaseColors([...runs[0].phases, ...runs[1].phases].map((p) => p.name));
  const [maxA, maxB] = maxima as [Float64Array, Float64Array];
  const diff: (number | null)[] = [];
  for (let c = 0; c < columns; c++) {
    const d = (maxB[c] as number) - (maxA[c] as number);
    const v = Number.isNaN(d) ? null : Math.round(d);
    diff.push(v, v);
  }
  return {
    id,
    title,
    x,
    series,
    phases: runs.flatMap((run, r) => boundPhases(run.phases, span, columns).map((p) => ({ ...toSeconds(p, 0), run: r, color: colors.get(p.name) ?? '#999999' }))),
    limits: [],
    diff: { label: `${SERIES_STYLE[diffKey].label}: ${runs[1].label} − ${runs[0].label}`, values: diff },
    breaks: null,
  };
}

function rawTable(samples: readonly MemorySample[], t0: number): { x: number[]; values: Record<SeriesKey, (number | null)[]> } {
  const sorted = [...samples].filter((s) => Number.isFinite(s.time)).sort((p, q) => p.time - q.time);
  const values = Object.fromEntries(SERIES_KEYS.map((k) => [k, sorted.map((s) => (Number.isFinite(s[k]) ? s[k] : null))])) as Record<SeriesKey, (number | null)[]>;
  return { x: sorted.map((s) => round3((s.time - t0) / 1000)), values };
}

function columnTable(samples: readonly MemorySample[], columns: number, origin: number, t0: number, t1: number): { x: number[]; values: Record<SeriesKey, (number | null)[]> } {
  // Every field is cut into the same columns (the range depends on the times only), so columns match by their time.
  const byField = SERIES_KEYS.map((key) => new Map(downsampleMinMax(samples, columns, key).map((c) => [c.time, c])));
  const times = [...new Set(byField.flatMap((m) => [...m.keys()]))].sort((p, q) => p - q);
  const w = (t1 - t0) / columns;
  const x = times.flatMap((t) => [round3((t + w * 0.25 - origin) / 1000), round3((t + w * 0.75 - origin) / 1000)]);
  const values = {} as Record<SeriesKey, (number | null)[]>;
  SERIES_KEYS.forEach((key, i) => {
    const map = byField[i] as Map<number, { min: number; max: number }>;
    const min = new Float64Array(times.length).fill(Number.NaN);
    const max = new Float64Array(times.length).fill(Number.NaN);
    times.forEach((t, c) => {
      const col = map.get(t);
      if (col !== undefined) {
        min[c] = col.min;
        max[c] = col.max;
      }
    });
    values[key] = pairs(min, max);
  });
  return { x, values };
}

/**
 * Moves the first point to 0 and the last to the end of the run (a quarter column each): the axis then starts at 0
 * and ends at the run's end, as the SVG chart's does, without a range function that would also bind zooming.
 */
function pinEnds(x: number[], end: number): void {
  if (x.length < 2) return;
  x[0] = 0;
  x[x.length - 1] = round3(end);
}

/** Two values per column, min and max, ordered so that the line continues from the nearer one. */
function pairs(min: Float64Array, max: Float64Array): (number | null)[] {
  const out: (number | null)[] = [];
  let last = Number.NaN;
  for (let c = 0; c < min.length; c++) {
    const lo = min[c] as number;
    const hi = max[c] as number;
    if (Number.isNaN(lo) || Number.isNaN(hi)) {
      out.push(null, null);
      continue;
    }
    const [first, second] = Math.abs(last - hi) < Math.abs(last - lo) ? [hi, lo] : [lo, hi];
    out.push(Math.round(first), Math.round(second));
    last = second;
  }
  return out;
}

/** At most MAX_PHASES intervals: first drop those shorter than a column, then keep the outermost ones. */
function boundPhases(phases: readonly PhaseInterval[], spanMs: number, columns: number): readonly PhaseInterval[] {
  if (phases.length <= MAX_PHASES) return phases;
  const visible = phases.filter((p) => p.end - p.start >= spanMs / columns);
  if (visible.length <= MAX_PHASES) return visible;
  const depth = visible.reduce((m, p) => Math.min(m, p.depth), Infinity);
  return visible.filter((p) => p.depth === depth).slice(0, MAX_PHASES);
}

function toSeconds(p: PhaseInterval, t0: number): { name: string; start: number; end: number; depth: number } {
  return { name: p.name, start: round3((p.start - t0) / 1000), end: round3((p.end - t0) / 1000), depth: p.depth };
}

function limitsOf(input: TimelineChartInput): ChartPayload['limits'] {
  const out: ChartPayload['limits'] = [];
  const heap = input.limits?.heapLimitBytes;
  const container = input.limits?.containerLimitBytes;
  if (typeof heap === 'number' && heap > 0) out.push({ label: LIMIT_STYLE.heap.label, value: heap, color: LIMIT_STYLE.heap.color });
  if (typeof container === 'number' && container > 0) out.push({ label: LIMIT_STYLE.container.label, value: container, color: LIMIT_STYLE.container.color });
  return out;
}
