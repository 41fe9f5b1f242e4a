import { describe, expect, it } from 'vitest';
import { renderComparisonSvg, toChartInput } from '../../src/charts/index.js';
import { makeBenchmarkReport, makeRun, MIB, T0 } from './helpers/fixtures.js';
import { fontTextWidth } from './helpers/font.js';
import { elements, groups, panel, pathPoints, textExtent, texts } from './helpers/svg-query.js';

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

describe('renderComparisonSvg: a picture read at a glance', () => {
  const ra = { ...makeBenchmarkReport({ iterations: 3 }), generatedAt: '2026-12-03T14:07:44.000Z' };
  const rb = makeBenchmarkReport({ iterations: 3, scale: 1.1 });
  const labelled = (): [ReturnType<typeof toChartInput>, ReturnType<typeof toChartInput>] => [
    { ...toChartInput(ra), label: 'benchmark-20261203-140744' },
    { ...toChartInput(rb), label: 'benchmark-20261203-140809' },
  ];

  it('keeps every text inside the picture, lane labels included, at the default size and a small one', () => {
    for (const [width, height] of [[1200, 720], [480, 320]] as const) {
      const svg = renderComparisonSvg(...labelled(), { width, height });
      for (const t of texts(svg)) {
        const [x0, x1] = textExtent(t, fontTextWidth);
        expect(x0, `${width}×${height}: ${t.content}`).toBeGreaterThanOrEqual(-0.5);
        expect(x1, `${width}×${height}: ${t.content}`).toBeLessThanOrEqual(width + 0.5);
      }
    }
    expect(texts(renderComparisonSvg(...labelled())).filter((t) => t.attrs.class === 'lane-label').map((t) => t.content)).toEqual(['A phases', 'B phases']);
  });

  it('breaks each line between the iterations of a run, and names them', () => {
    const svg = renderComparisonSvg(...labelled(), { align: 'elapsed' });
    for (const path of elements(svg, 'path', 'series')) expect(path.d!.match(/M/g), `${path['data-series']}:${path['data-run']}`).toHaveLength(3);
    expect(elements(svg, 'rect', 'run').map((r) => r['data-run'])).toEqual(['iteration 1', 'iteration 2', 'iteration 3']);
  });

  it('bridges sparse samples with the line they make, not a wedge: a run against itself differs by nothing', () => {
    // Three samples in the first column (100, 120 then 50 MiB), then a long gap: interpolating that column's min and
    // max separately towards the next reading would fill a wedge of vertical strokes.
    const samples = [[0, 100], [100, 120], [200, 50], [400_000, 80]].map(([ms, mib]) => ({ time: T0 + ms!, rss: 0, heapUsed: mib! * MIB, heapTotal: 0, external: 0, arrayBuffers: 0, phase: null }));
    const svg = renderComparisonSvg({ samples }, { samples }, { series: ['heapUsed'], phases: false });
    const line = elements(svg, 'path', 'series').find((p) => p['data-run'] === 'a')!;
    const points = pathPoints(line.d!);
    // After the first column (a stroke from 50 to 120 MiB), one point per column, on the line from 50 to 80 MiB.
    const rest = points.slice(2);
    expect(new Set(rest.map(([x]) => x)).size).toBe(rest.length);
    for (let i = 1; i < rest.length; i++) expect(rest[i]![1]).toBeLessThanOrEqual(rest[i - 1]![1] + 0.1);
    const diff = elements(svg, 'path', 'difference-line')[0]!;
    expect(new Set(pathPoints(diff.d!).map(([, y]) => y)).size).toBe(1);
  });

  it('keeps the peak labels of two runs peaking at one place apart', () => {
    const svg = renderComparisonSvg(...labelled(), { width: 480, height: 320 });
    const boxes = groups(svg, 'peak').map((g) => {
      const t = texts(g.inner)[0]!;
      const [x0, x1] = textExtent(t, fontTextWidth);
      return { x0, x1, y0: t.y - t.size, y1: t.y };
    });
    expect(boxes).toHaveLength(2);
    const [p, q] = boxes as [(typeof boxes)[number], (typeof boxes)[number]];
    expect(p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1).toBe(false);
  });
});
