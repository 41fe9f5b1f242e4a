import { existsSync } from 'node:fs';
import { MemscopeError } from '../internal/errors.js';
import { FONT_FAMILY_NAME, FONT_FILE } from './assets.js';
import type { ChartSource } from './input/from-report.js';
import { resolveComparisonOptions, resolvePngSize, resolveTimelineOptions, type ComparisonChartOptions, type PngOptions, type TimelineChartOptions } from './options.js';
import { renderComparisonSvg } from './comparison-chart.js';
import { renderTimelineSvg } from './timeline-chart.js';
import { svgSize } from './svg/svg-size.js';

/**
 * Rasterizes one of our SVGs with resvg and the bundled font only (`loadSystemFonts: false`): the same SVG gives the
 * same PNG on every machine, and text never vanishes on a server without fonts. resvg is imported on first use, so
 * SVG and HTML callers never load its native binding, and renders on libuv's thread pool, not the event loop.
 * Throws MEMSCOPE_E_INVALID_OPTION, before rendering, for a picture larger than MAX_PNG_PIXELS.
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Buffer> {
  const { renderAsync, Resvg } = await loadResvg();
  // Our charts declare their size on the root element; anything else is measured by resvg's own parser.
  const size = svgSize(svg) ?? ((): { width: number; height: number } => {
    const parsed = new Resvg(svg, { logLevel: 'off' });
    return { width: parsed.width, height: parsed.height };
  })();
  const pixelRatio = resolvePngSize(size.width, size.height, options);
  // resvg skips a missing font file without a word and draws a picture without text: say what is wrong instead.
  if (!existsSync(FONT_FILE)) throw new MemscopeError('MEMSCOPE_E_INTERNAL', `the bundled font is missing: ${FONT_FILE} (was the package built without assets/?)`);
  const image = await renderAsync(svg, {
    fitTo: pixelRatio === 1 ? { mode: 'original' } : { mode: 'zoom', value: pixelRatio },
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: FONT_FAMILY_NAME, sansSerifFamily: FONT_FAMILY_NAME },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  return image.asPng();
}

/**
 * resvg, or MEMSCOPE_E_PNG_UNAVAILABLE: its JavaScript loads its native binding from an optional, per-platform package
 * (`@resvg/resvg-js-linux-x64-gnu` …) that `npm install --omit=optional`, or a platform it has none for, leaves out.
 */
async function loadResvg(): Promise<typeof import('@resvg/resvg-js')> {
  try {
    return await import('@resvg/resvg-js');
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new MemscopeError('MEMSCOPE_E_PNG_UNAVAILABLE', `PNG pictures need resvg's native binding for ${process.platform}-${process.arch}, which this install lacks (${first}): install memscope without --omit=optional, or ask for SVG (a .svg path, --plot svg); HTML reports need nothing native`, { cause: error });
  }
}

/** {@link renderTimelineSvg} as a PNG of `width` × `height` pixels (times `pixelRatio`). */
export async function renderTimelinePng(source: ChartSource, options?: TimelineChartOptions & PngOptions): Promise<Buffer> {
  const o = resolveTimelineOptions(options);
  resolvePngSize(o.width, o.height, options);
  return svgToPng(renderTimelineSvg(source, options), options);
}

/** {@link renderComparisonSvg} as a PNG. */
export async function renderComparisonPng(a: ChartSource, b: ChartSource, options?: ComparisonChartOptions & PngOptions): Promise<Buffer> {
  const o = resolveComparisonOptions(options);
  resolvePngSize(o.width, o.height, options);
  return svgToPng(renderComparisonSvg(a, b, options), options);
}
