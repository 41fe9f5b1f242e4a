import { invalidOption } from '../internal/errors.js';
import { boolOption, intOption, numberOption, oneOf, stringOption } from '../internal/validate.js';
import { ALIGN_MODES, type AlignMode } from './compare/align-runs.js';
import { SERIES_KEYS, type SeriesKey } from './input/chart-input.js';

/** Options of the timeline chart. Invalid options throw MEMSCOPE_E_INVALID_OPTION naming the field. */
export interface TimelineChartOptions {
  /** Width in pixels, 320 to 8000 (also the PNG's width at `pixelRatio` 1). @default 1200 */
  width?: number;
  /** Height in pixels, 240 to 8000. @default 720 */
  height?: number;
  /** @default the input's title, else 'Memory over time' */
  title?: string;
  /** Series of the main panel, in legend order. @default ['rss', 'heapUsed', 'heapTotal', 'external'] */
  series?: readonly SeriesKey[];
  /** Series whose peak is marked with its value (only those drawn). @default ['rss', 'heapUsed'] */
  peaks?: readonly SeriesKey[];
  /** Draw the rate-of-change panel under the main one. @default true */
  ratePanel?: boolean;
  /** Series of the rate panel. @default ['rss', 'heapUsed'] */
  rateSeries?: readonly SeriesKey[];
  /** Draw phases as labelled bands. @default true */
  phases?: boolean;
  /** Prefix of the ids the SVG defines (clip paths), so that several charts can share one page. @default 'memscope' */
  idPrefix?: string;
}

/** Options of the comparison chart (two runs overlaid). */
export interface ComparisonChartOptions {
  /** @default 1200 */
  width?: number;
  /** @default 720 */
  height?: number;
  /** @default 'Memory: A vs B' with the runs' labels */
  title?: string;
  /** Series overlaid for both runs. @default ['heapUsed', 'rss'] */
  series?: readonly SeriesKey[];
  /** How the runs share the time axis. @default 'phases' (falls back to elapsed time where no phase matches) */
  align?: AlignMode;
  /** The series whose difference (B − A) fills the lower panel. @default the first of `series` */
  diffSeries?: SeriesKey;
  /** Draw phase bands. @default true */
  phases?: boolean;
  /** @default 'memscope' */
  idPrefix?: string;
}

/** Options of the PNG renderer. */
export interface PngOptions {
  /**
   * Device pixels per SVG pixel, 1 to 4: 2 gives a sharp picture on high-density screens. The PNG may hold at most
   * {@link MAX_PNG_PIXELS} pixels (width × height × pixelRatio²). @default 1
   */
  pixelRatio?: number;
}

/**
 * The most pixels a PNG may have: 8000 × 8000 at pixelRatio 1, the largest chart (4000 × 4000 at 2, 2000 × 2000 at 4).
 * Rendering and encoding take about 8 bytes per pixel at their peak (0.57 GiB at this cap; see bench/charts.bench.ts),
 * so without a cap the largest options in range (8000 × 8000 at 4) would need 8 GB and kill the process.
 */
export const MAX_PNG_PIXELS = 64_000_000;

export interface ResolvedTimelineOptions {
  width: number;
  height: number;
  title: string | undefined;
  series: SeriesKey[];
  peaks: SeriesKey[];
  ratePanel: boolean;
  rateSeries: SeriesKey[];
  phases: boolean;
  idPrefix: string;
}

export interface ResolvedComparisonOptions {
  width: number;
  height: number;
  title: string | undefined;
  series: SeriesKey[];
  align: AlignMode;
  diffSeries: SeriesKey;
  phases: boolean;
  idPrefix: string;
}

const ID_PREFIX = /^[A-Za-z][\w-]{0,39}$/;

function seriesOption(field: string, value: unknown, fallback: readonly SeriesKey[], allowEmpty: boolean): SeriesKey[] {
  const v = value ?? fallback;
  const valid =
    Array.isArray(v) &&
    (allowEmpty || v.length > 0) &&
    v.every((k) => (SERIES_KEYS as readonly unknown[]).includes(k)) &&
    new Set(v).size === v.length;
  if (!valid) throw invalidOption(field, `a list of distinct series from ${SERIES_KEYS.join(', ')}`, v);
  return [...(v as SeriesKey[])];
}

function titleOption(value: unknown): string | undefined {
  return value === undefined ? undefined : stringOption('title', value, '');
}

export function resolveTimelineOptions(options: TimelineChartOptions = {}): ResolvedTimelineOptions {
  return {
    width: intOption('width', options.width, 1200, 320, 8000),
    height: intOption('height', options.height, 720, 240, 8000),
    title: titleOption(options.title),
    series: seriesOption('series', options.series, ['rss', 'heapUsed', 'heapTotal', 'external'], false),
    peaks: seriesOption('peaks', options.peaks, ['rss', 'heapUsed'], true),
    ratePanel: boolOption('ratePanel', options.ratePanel, true),
    rateSeries: seriesOption('rateSeries', options.rateSeries, ['rss', 'heapUsed'], false),
    phases: boolOption('phases', options.phases, true),
    idPrefix: stringOption('idPrefix', options.idPrefix, 'memscope', ID_PREFIX),
  };
}

export function resolveComparisonOptions(options: ComparisonChartOptions = {}): ResolvedComparisonOptions {
  const series = seriesOption('series', options.series, ['heapUsed', 'rss'], false);
  return {
    width: intOption('width', options.width, 1200, 320, 8000),
    height: intOption('height', options.height, 720, 240, 8000),
    title: titleOption(options.title),
    series,
    align: oneOf('align', options.align, 'phases', ALIGN_MODES),
    diffSeries: oneOf('diffSeries', options.diffSeries, series[0] as SeriesKey, SERIES_KEYS),
    phases: boolOption('phases', options.phases, true),
    idPrefix: stringOption('idPrefix', options.idPrefix, 'memscope', ID_PREFIX),
  };
}

export function resolvePixelRatio(options: PngOptions = {}): number {
  return numberOption('pixelRatio', options.pixelRatio, 1, 1, 4);
}

/**
 * The pixel ratio of a PNG of `width` × `height` chart pixels, refused (MEMSCOPE_E_INVALID_OPTION naming `field`)
 * before anything is drawn when the picture would exceed {@link MAX_PNG_PIXELS}.
 */
export function resolvePngSize(width: number, height: number, options: PngOptions = {}, field = 'pixelRatio'): number {
  const ratio = resolvePixelRatio(options);
  const pixels = Math.ceil(width * ratio) * Math.ceil(height * ratio);
  if (!(pixels <= MAX_PNG_PIXELS)) {
    const count = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
    throw invalidOption(field, `small enough for width × height × pixelRatio² to stay within ${count(MAX_PNG_PIXELS)} pixels (8000 × 8000 at 1, 4000 × 4000 at 2)`, `${width} × ${height} at ${ratio} (${count(pixels)} pixels)`);
  }
  return ratio;
}
