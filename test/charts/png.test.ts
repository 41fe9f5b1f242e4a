import { describe, expect, it } from 'vitest';
import { renderComparisonPng, renderTimelinePng, renderTimelineSvg, svgToPng } from '../../src/charts/index.js';
import { MAX_PNG_PIXELS, resolvePngSize } from '../../src/charts/options.js';
import { colorDistance, decodePng, rgb } from './helpers/png-decode.js';
import { makeRun, MIB } from './helpers/fixtures.js';
import { elements, groups, panel } from './helpers/svg-query.js';

const run = makeRun();
const input = { ...run, limits: { heapLimitBytes: 4096 * MIB, containerLimitBytes: 160 * MIB }, title: 'Memory Usage for 500 Points' };

/** Share of pixels that differ from white. */
function inkShare(png: ReturnType<typeof decodePng>, x0 = 0, y0 = 0, x1 = png.width, y1 = png.height): number {
  let ink = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (colorDistance(png.at(x, y), [255, 255, 255]) > 60) ink++;
  return ink / ((x1 - x0) * (y1 - y0));
}

describe('renderTimelinePng', () => {
  it('writes a PNG that decodes, at the requested size, and is not blank', async () => {
    const png = decodePng(await renderTimelinePng(input, { width: 900, height: 540 }));
    expect([png.width, png.height]).toEqual([900, 540]);
    const share = inkShare(png);
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.6);
  });

  it('renders text with the bundled font, whatever fonts the machine has', async () => {
    const svg = renderTimelineSvg(input);
    const png = decodePng(await svgToPng(svg));
    // The title's row: left of the plot's right edge, from the top margin to the legend. Without a font it is empty.
    expect(inkShare(png, 84, 12, 400, 32)).toBeGreaterThan(0.05);
    const withoutText = decodePng(await svgToPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '')));
    expect(inkShare(withoutText, 84, 12, 400, 32)).toBe(0);
  });

  it('paints the peak marker and the phase bands where the SVG puts them', async () => {
    const svg = renderTimelineSvg(input);
    const png = decodePng(await svgToPng(svg));
    const peak = groups(svg, 'peak').find((g) => g.attrs['data-series'] === 'heapUsed')!;
    const dot = elements(peak.inner, 'circle')[0]!;
    expect(colorDistance(png.at(Number(dot.cx), Number(dot.cy)), rgb('#d62728'))).toBeLessThan(40);
    const lane = elements(svg, 'rect', 'phase-lane').find((l) => l['data-phase'] === 'classify')!;
    // A pixel of the lane away from its label: the classify colour at 45% over white.
    const px = png.at(Number(lane.x) + 3, Number(lane.y) + 3);
    const expected = rgb('#b07aa1').map((c) => Math.round(255 + (c - 255) * 0.45));
    expect(colorDistance(px, expected)).toBeLessThan(12);
    // Outside every band (in the margin left of the plot) the picture is white.
    expect(png.at(panel(svg, 'main').x - 40, panel(svg, 'main').y + 40)).toEqual([255, 255, 255, 255]);
  });

  it('gives byte-identical PNGs for the same timeline', async () => {
    const [a, b] = await Promise.all([renderTimelinePng(input), renderTimelinePng({ ...input, samples: [...input.samples] })]);
    expect(a.equals(b)).toBe(true);
  });

  it('scales by pixelRatio', async () => {
    const png = decodePng(await renderTimelinePng(input, { width: 400, height: 300, pixelRatio: 2 }));
    expect([png.width, png.height]).toEqual([800, 600]);
  });

  it('rejects a pixelRatio out of range', async () => {
    await expect(renderTimelinePng(input, { pixelRatio: 9 })).rejects.toThrow(/pixelRatio must be a number from 1 to 4; got 9/);
  });
});

describe('renderComparisonPng', () => {
  it('renders two runs at the requested size', async () => {
    const png = decodePng(await renderComparisonPng({ ...run, label: 'main' }, { ...makeRun(700), label: 'pr' }, { width: 700, height: 420 }));
    expect([png.width, png.height]).toEqual([700, 420]);
    expect(inkShare(png)).toBeGreaterThan(0.02);
  });
});

describe('the PNG pixel budget', () => {
  it('refuses a picture beyond 64 million pixels before drawing anything, naming the option', async () => {
    await expect(renderTimelinePng(run, { width: 8000, height: 8000, pixelRatio: 4 })).rejects.toMatchObject({ code: 'MEMSCOPE_E_INVALID_OPTION' });
    await expect(renderTimelinePng(run, { width: 4001, height: 4000, pixelRatio: 2 })).rejects.toThrow(/pixelRatio must be small enough .* 64,000,000 pixels/);
    await expect(renderComparisonPng(run, run, { width: 8000, height: 8000, pixelRatio: 2 })).rejects.toMatchObject({ code: 'MEMSCOPE_E_INVALID_OPTION' });
    // Whatever SVG it is given: declared in pixels, in other units, or only by a viewBox.
    for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"/>', '<svg xmlns="http://www.w3.org/2000/svg" width="100in" height="100in"/>', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20000 20000"/>']) {
      await expect(svgToPng(svg), svg).rejects.toMatchObject({ code: 'MEMSCOPE_E_INVALID_OPTION' });
    }
    expect(MAX_PNG_PIXELS).toBe(8000 * 8000);
    expect(() => resolvePngSize(8000, 8000, { pixelRatio: 1 })).not.toThrow();
    expect(() => resolvePngSize(4000, 4000, { pixelRatio: 2 })).not.toThrow();
  });

  it('renders an SVG that declares no size at the size resvg measures', async () => {
    const png = decodePng(await svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="12"/></svg>'));
    expect([png.width, png.height]).toEqual([10, 12]);
  });
});
