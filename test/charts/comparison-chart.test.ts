import { describe, expect, it } from 'vitest';
import { renderComparisonSvg } from '../../src/charts/index.js';
import { makeBenchmarkReport, makeRun } from './helpers/fixtures.js';
import { elements, groups, panel, pathPoints } from './helpers/svg-query.js';

const a = { ...makeRun(600, 100), label: 'main' };
// B is slower: 900 samples over the same phases, so its phases are 1.5 times longer.
const b = { ...makeRun(900, 100, 1_800_000_000_000, 0.8), label: 'pr' };

function lanes(svg: string, row: number): Record<string, { x0: number; x1: number }> {
  const all = elements(svg, 'rect', 'phase-lane');
  const ys = [...new Set(all.map((l) => Number(l.y)))].sort((p, q) => p - q);
  return Object.fromEntries<{ x0: number; x1: number }>(all.filter((l) => Number(l.y) === ys[row]).map((l) => [l['data-phase']!, { x0: Number(l.x), x1: Number(l.x) + Number(l.width) }]));
}

describe('renderComparisonSvg', () => {
  it('draws each series for both runs, the second dashed', () => {
    const svg = renderComparisonSvg(a, b);
    const paths = elements(svg, 'path', 'series');
    expect(paths.map((p) => `${p['data-series']}:${p['data-run']}`).sort()).toEqual(['heapUsed:a', 'heapUsed:b', 'rss:a', 'rss:b']);
    expect(paths.filter((p) => p['data-run'] === 'b').every((p) => p['stroke-dasharray'] !== undefined)).toBe(true);
    expect(paths.filter((p) => p['data-run'] === 'a').every((p) => p['stroke-dasharray'] === undefined)).toBe(true);
    expect(svg).toContain('<title>Memory: main vs pr</title>');
  });

  it('lines up the phase boundaries of both runs when aligned on phases', () => {
    const svg = renderComparisonSvg(a, b, { align: 'phases' });
    const [la, lb] = [lanes(svg, 0), lanes(svg, 1)];
    for (const name of ['load', 'parse', 'classify', 'write']) {
      expect(lb[name]!.x0).toBeCloseTo(la[name]!.x0, 0);
      expect(lb[name]!.x1).toBeCloseTo(la[name]!.x1, 0);
    }
  });

  it('keeps each run on its own clock when aligned on elapsed time', () => {
    const svg = renderComparisonSvg(a, b, { align: 'elapsed' });
    const main = panel(svg, 'main');
    const [la, lb] = [lanes(svg, 0), lanes(svg, 1)];
    // B lasts 1.5× as long: it spans the plot, A two thirds of it.
    expect(lb.write!.x1).toBeCloseTo(main.x + main.width, 0);
    expect(la.write!.x1 - main.x).toBeCloseTo((main.width * 599) / 899, 0);
  });

  it('draws the difference B − A below zero where B uses less', () => {
    const svg = renderComparisonSvg(a, b);
    const diffPanel = svg.slice(svg.indexOf('<g class="difference-panel" data-series="heapUsed">'));
    expect(diffPanel).toContain('Difference B − A, heap used (red: B uses more)');
    expect(svg).toContain('>A: main<');
    expect(svg).toContain('>B: pr<');
    const zeroLabel = diffPanel.match(/<text x="[\d.]+" y="([\d.]+)"[^>]*>0<\/text>/);
    const zero = Number(zeroLabel![1]) - 4;
    const line = elements(diffPanel, 'path', 'difference-line')[0]!;
    // B is A scaled by 0.8, so it uses less at every column: the whole line lies below the zero line.
    expect(pathPoints(line.d!).every(([, y]) => y >= zero - 0.1)).toBe(true);
    expect(elements(diffPanel, 'path', 'difference').map((p) => p['data-sign'])).toEqual(['worse', 'better']);
  });

  it('marks the peak of each run', () => {
    const svg = renderComparisonSvg(a, b);
    const peaks = groups(svg, 'peak');
    expect(peaks.map((p) => p.attrs['data-series'])).toEqual(['heapUsed:a', 'heapUsed:b']);
    expect(Number(peaks[0]!.attrs['data-value'])).toBe(a.peak.value);
    expect(Number(peaks[1]!.attrs['data-value'])).toBe(b.peak.value);
  });

  it('compares two reports and is deterministic', () => {
    const ra = makeBenchmarkReport();
    const rb = makeBenchmarkReport({ scale: 1.2 });
    expect(renderComparisonSvg(ra, rb)).toBe(renderComparisonSvg(structuredClone(ra), structuredClone(rb)));
  });

  it('rejects an unknown alignment', () => {
    expect(() => renderComparisonSvg(a, b, { align: 'time' as 'elapsed' })).toThrow(/align must be one of elapsed, phases; got "time"/);
  });
});
