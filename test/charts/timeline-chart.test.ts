import { describe, expect, it } from 'vitest';
import { renderTimelineSvg } from '../../src/charts/index.js';
import type { MemorySample } from '../../src/index.js';
import { makeBenchmarkReport, makeMemoryTestReport, makeRun, MIB, T0 } from './helpers/fixtures.js';
import { fontTextWidth } from './helpers/font.js';
import { elements, groups, panel, pathPoints, textExtent, texts } from './helpers/svg-query.js';

const run = makeRun();
const t1 = run.samples[run.samples.length - 1]!.time;
const xOf = (svg: string, t: number): number => {
  const main = panel(svg, 'main');
  return main.x + ((t - T0) / (t1 - T0)) * main.width;
};

describe('renderTimelineSvg', () => {
  it('gives byte-identical SVG for the same timeline', () => {
    const a = renderTimelineSvg({ ...run, title: 'same' });
    const b = renderTimelineSvg({ samples: run.samples.map((s) => ({ ...s })), phases: run.phases.map((p) => ({ ...p })), title: 'same' });
    expect(a).toBe(b);
    expect(a).not.toMatch(/NaN|Infinity|undefined|e[+-]\d/);
  });

  it('has the requested size', () => {
    const svg = renderTimelineSvg(run, { width: 800, height: 500 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="500" viewBox="0 0 800 500"/);
  });

  it('draws each top-level phase as a band spanning its start and end', () => {
    const svg = renderTimelineSvg(run);
    const bands = elements(svg, 'rect', 'phase-band').filter((b) => Number(b.y) === panel(svg, 'main').y);
    expect(bands.map((b) => b['data-phase'])).toEqual(['load', 'parse', 'classify', 'write']);
    for (const phase of run.phases.filter((p) => p.depth === 0)) {
      const band = bands.find((b) => b['data-phase'] === phase.name)!;
      expect(Number(band.x)).toBeCloseTo(xOf(svg, phase.start), 0);
      expect(Number(band.x) + Number(band.width)).toBeCloseTo(xOf(svg, phase.end), 0);
    }
  });

  it('puts nested phases in a lane below their parents, labelled when they fit', () => {
    const svg = renderTimelineSvg(run);
    const lanes = elements(svg, 'rect', 'phase-lane');
    const parse = lanes.find((l) => l['data-phase'] === 'parse')!;
    const tokenize = lanes.find((l) => l['data-phase'] === 'tokenize')!;
    expect(Number(tokenize.y)).toBeGreaterThan(Number(parse.y));
    expect(Number(tokenize.x)).toBeCloseTo(xOf(svg, run.phases[2]!.start), 0);
    expect(svg).toMatch(/class="phase-label"[^>]*>tokenize</);
  });

  it('marks the heap peak where the data peaks, with its value', () => {
    const svg = renderTimelineSvg(run);
    const peak = groups(svg, 'peak').find((g) => g.attrs['data-series'] === 'heapUsed')!;
    expect(Number(peak.attrs['data-value'])).toBe(run.peak.value);
    expect(Number(peak.attrs['data-time'])).toBe(run.peak.time);
    const circle = elements(peak.inner, 'circle')[0]!;
    expect(Number(circle.cx)).toBeCloseTo(xOf(svg, run.peak.time), 0);
    // The highest point of the heap line is the marker.
    const line = elements(svg, 'path', 'series').find((p) => p['data-series'] === 'heapUsed' && p['data-rate'] === undefined)!;
    const top = Math.min(...pathPoints(line.d!).map(([, y]) => y));
    expect(Number(circle.cy)).toBeCloseTo(top, 0);
    expect(peak.inner).toContain('Heap used peak 133.60 MiB');
  });

  it('draws a limit near the data as a line and names one far above it in the legend', () => {
    const svg = renderTimelineSvg({ ...run, limits: { heapLimitBytes: 4096 * MIB, containerLimitBytes: 160 * MIB } });
    const limits = groups(svg, 'limit');
    expect(limits.map((l) => l.attrs['data-limit'])).toEqual(['containerLimit']);
    expect(limits[0]!.inner).toContain('Container limit 160.00 MiB');
    expect(svg).toContain('Heap limit 4.00 GiB (off scale)');
  });

  it('labels the value axis in binary units and the time axis in elapsed time', () => {
    const svg = renderTimelineSvg(run);
    expect(svg).toMatch(/>50 MiB</);
    expect(svg).toMatch(/>200 MiB</);
    expect(svg).toContain('Elapsed time (s)');
    expect(svg).toMatch(/>\+?\d+ MiB\/s</);
  });

  it('draws the rate of change of a steady rise at its rate', () => {
    const samples: MemorySample[] = Array.from({ length: 200 }, (_, i) => ({
      time: T0 + i * 100, rss: 100 * MIB + i * 0.1 * MIB, heapUsed: 10 * MIB, heapTotal: 20 * MIB, external: 0, arrayBuffers: 0, phase: null,
    }));
    const svg = renderTimelineSvg(samples, { rateSeries: ['rss'] });
    const rate = elements(svg, 'path', 'series').find((p) => p['data-rate'] === 'true')!;
    const ys = new Set(pathPoints(rate.d!).map(([, y]) => y));
    expect(ys.size).toBe(1); // 1 MiB/s throughout: a flat line
    expect(svg).toMatch(/>\+1(\.0+)? MiB\/s</);
  });

  it('keeps a peak hidden inside a folded sample', () => {
    const samples = run.samples.slice(0, 100).map((s) => ({ ...s }));
    const folded = samples[50]!;
    folded.folded = { count: 40, startTime: folded.time - 50, min: { ...folded, heapUsed: 1 * MIB }, max: { ...folded, heapUsed: 900 * MIB } };
    const svg = renderTimelineSvg(samples, { phases: false });
    const peak = groups(svg, 'peak').find((g) => g.attrs['data-series'] === 'heapUsed')!;
    expect(Number(peak.attrs['data-value'])).toBe(900 * MIB);
  });

  it('reduces a million samples to min/max per pixel column and keeps the exact peak', () => {
    const n = 1_000_000;
    const samples = new Array<MemorySample>(n);
    for (let i = 0; i < n; i++) {
      const heapUsed = 50 * MIB + (i % 1000) * 1024 + (i === 777_777 ? 300 * MIB : 0);
      samples[i] = { time: T0 + i * 10, rss: 200 * MIB, heapUsed, heapTotal: 120 * MIB, external: MIB, arrayBuffers: 0, phase: null };
    }
    const svg = renderTimelineSvg(samples, { width: 1000, height: 600 });
    const main = panel(svg, 'main');
    const heap = elements(svg, 'path', 'series').find((p) => p['data-series'] === 'heapUsed' && p['data-rate'] === undefined)!;
    expect(pathPoints(heap.d!).length).toBeLessThanOrEqual(2 * main.width + 1);
    expect(svg.length).toBeLessThan(250_000);
    const peak = groups(svg, 'peak').find((g) => g.attrs['data-series'] === 'heapUsed')!;
    expect(Number(peak.attrs['data-value'])).toBe(50 * MIB + 777 * 1024 + 300 * MIB);
    expect(Number(elements(peak.inner, 'circle')[0]!.cx)).toBeCloseTo(main.x + (777_777 / (n - 1)) * main.width, -0.3);
  });

  it('draws a whole benchmark report: every iteration, with its limits', () => {
    const report = makeBenchmarkReport({ iterations: 3, containerLimitBytes: 256 * MIB });
    const svg = renderTimelineSvg(report);
    expect(svg).toContain('<title>Benchmark: bms-onboarding, 3 × 500 points</title>');
    expect(elements(svg, 'rect', 'phase-lane').filter((l) => l['data-phase'] === 'load')).toHaveLength(3);
    expect(groups(svg, 'limit').map((l) => l.attrs['data-limit'])).toEqual(['containerLimit']);
  });

  it('derives phase bands from the samples when no intervals are given', () => {
    const svg = renderTimelineSvg(run.samples);
    const names = elements(svg, 'rect', 'phase-lane').map((l) => l['data-phase']);
    expect(names).toEqual(expect.arrayContaining(['load', 'parse', 'tokenize', 'classify', 'write']));
  });

  it('draws an empty, labelled chart for an empty timeline', () => {
    const svg = renderTimelineSvg([]);
    expect(svg).toContain('>no samples<');
    expect(elements(svg, 'path', 'series')).toEqual([]);
  });

  it('escapes titles and phase names', () => {
    const svg = renderTimelineSvg({ samples: run.samples, phases: [{ name: '<b>&"x"', start: T0, end: t1, depth: 0 }], title: 'a < b & c' });
    expect(svg).toContain('<title>a &lt; b &amp; c</title>');
    expect(svg).toContain('data-phase="&lt;b&gt;&amp;&quot;x&quot;"');
  });

  it('rejects invalid options, naming the field', () => {
    expect(() => renderTimelineSvg(run, { width: 10 })).toThrow(/width must be an integer from 320 to 8000; got 10/);
    expect(() => renderTimelineSvg(run, { series: ['heap' as 'rss'] })).toThrow(/series must be a list of distinct series/);
    expect(() => renderTimelineSvg(run, { idPrefix: '1 bad' })).toThrow(/idPrefix/);
  });
});

/** Subpaths of a path's `d`: one per `M`. */
const subpaths = (d: string): string[] => d.split(/(?=M)/).filter((p) => p !== '');

describe('renderTimelineSvg: a picture read at a glance', () => {
  const longNames: [string, string] = ['memory-usage-with-large-dataset', 'memory-returned-after-processing-under-pressure'];
  const sources = {
    benchmark: makeBenchmarkReport({ iterations: 3 }),
    tests: makeMemoryTestReport({ names: longNames }),
    titled: { ...run, title: `Memory tests: ${['memory-usage-with-large-dataset', 'batched-vs-unbatched-generation', 'repeated-runs-no-leak', 'memory-returned-after-processing'].join(', ')}` },
  };

  it('keeps every text inside the picture, at the default size and a small one', () => {
    for (const [name, source] of Object.entries(sources)) {
      for (const [width, height] of [[1200, 720], [480, 320], [320, 240]] as const) {
        const svg = renderTimelineSvg(source, { width, height });
        for (const t of texts(svg)) {
          const [x0, x1] = textExtent(t, fontTextWidth);
          expect(x0, `${name} ${width}×${height}: ${t.content}`).toBeGreaterThanOrEqual(-0.5);
          expect(x1, `${name} ${width}×${height}: ${t.content}`).toBeLessThanOrEqual(width + 0.5);
          expect(t.y - t.size, `${name} ${width}×${height}: ${t.content}`).toBeGreaterThanOrEqual(0);
          expect(t.y, `${name} ${width}×${height}: ${t.content}`).toBeLessThanOrEqual(height);
        }
      }
    }
  });

  it('wraps a long title onto a second line, ellipsizes the rest, and keeps it whole in <title>', () => {
    const svg = renderTimelineSvg(sources.titled);
    const lines = texts(svg).filter((t) => t.attrs.class === 'chart-title');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.content).toBe('Memory tests: memory-usage-with-large-dataset, batched-vs-unbatched-generation, repeated-runs-no-leak,');
    expect(lines[1]!.content).toBe('memory-returned-after-processing');
    expect(svg).toContain(`<title>${sources.titled.title}</title>`);
    const narrow = texts(renderTimelineSvg(sources.titled, { width: 480, height: 320 })).filter((t) => t.attrs.class === 'chart-title');
    expect(narrow.at(-1)!.content.endsWith('…')).toBe(true);
  });

  it('names each run of a joined timeline above the plot, failed tests as failed', () => {
    const bench = renderTimelineSvg(sources.benchmark);
    expect(elements(bench, 'rect', 'run').map((r) => r['data-run'])).toEqual(['iteration 1', 'iteration 2', 'iteration 3']);
    expect(texts(bench).filter((t) => t.attrs.class === 'run-label').map((t) => t.content)).toEqual(['iteration 1', 'iteration 2', 'iteration 3']);
    expect(elements(bench, 'line', 'run-boundary').length).toBeGreaterThanOrEqual(2);
    const tests = renderTimelineSvg(sources.tests);
    const runs = elements(tests, 'rect', 'run');
    expect(runs.map((r) => [r['data-run'], r['data-failed']])).toEqual([[longNames[0], undefined], [longNames[1], 'true']]);
    expect(tests).toContain('<title>Memory tests: 2 tests, 1 failed</title>');
  });

  it('draws no line across the gap between two runs', () => {
    const report = sources.benchmark;
    const svg = renderTimelineSvg(report);
    const main = panel(svg, 'main');
    const t0 = report.iterations[0]!.timeline[0]!.time;
    const t1 = report.iterations[2]!.timeline.at(-1)!.time;
    const px = (t: number): number => main.x + ((t - t0) / (t1 - t0)) * main.width;
    const gaps = [0, 1].map((i) => [px(report.iterations[i]!.timeline.at(-1)!.time), px(report.iterations[i + 1]!.timeline[0]!.time)] as const);
    for (const path of elements(svg, 'path', 'series')) {
      expect(subpaths(path.d!), `${path['data-series']} ${path['data-rate'] ?? ''}`).toHaveLength(3);
      for (const sub of subpaths(path.d!)) {
        const xs = pathPoints(sub).map(([x]) => x);
        for (const [g0, g1] of gaps) expect(Math.min(...xs) < g0 + 0.5 && Math.max(...xs) > g1 - 0.5).toBe(false);
      }
    }
  });

  it('draws the rate of change with a point every few pixels, inside its panel', () => {
    const svg = renderTimelineSvg(run);
    const lower = panel(svg, 'rate');
    for (const path of elements(svg, 'path', 'series').filter((p) => p['data-rate'] === 'true')) {
      const points = pathPoints(path.d!);
      expect(points.length).toBeGreaterThan(lower.width / 6);
      for (const [, y] of points) {
        expect(y).toBeGreaterThan(lower.y);
        expect(y).toBeLessThan(lower.y + lower.height);
      }
    }
  });

  it('groups phases shorter than a few pixels into one box, and says so in the legend', () => {
    // 400 batches of 6 steps each under one phase: every step is a fraction of a pixel wide.
    const phases = [{ name: 'onboarding', start: T0, end: t1, depth: 0 }];
    const step = (t1 - T0) / 2400;
    for (let i = 0; i < 2400; i++) phases.push({ name: ['generate', 'parse', 'normalize', 'classify', 'validate', 'store'][i % 6]!, start: T0 + i * step, end: T0 + (i + 1) * step, depth: 1 });
    const svg = renderTimelineSvg({ samples: run.samples, phases });
    const lanes = elements(svg, 'rect', 'phase-lane').filter((l) => l['data-depth'] === '1');
    expect(lanes).toEqual([]);
    const groups = elements(svg, 'rect', 'phase-group');
    expect(groups).toHaveLength(1);
    expect(groups[0]!['data-count']).toBe('2400');
    expect(svg).toMatch(/class="phase-label"[^>]*>2400 phases</);
    expect(svg).toMatch(/data-key="phase-groups"[\s\S]*?phases under 6 px, grouped/);
    expect(svg).not.toMatch(/data-key="phase:parse"/);
  });

  it("draws a leak test's post-GC baseline as markers, and its heap limit", () => {
    const report = makeMemoryTestReport({ leak: true, heapLimitBytes: 200 * MIB });
    const svg = renderTimelineSvg(report, { width: 1200, height: 720 });
    const baseline = groups(svg, 'baseline');
    expect(baseline).toHaveLength(1);
    expect(baseline[0]!.attrs['data-series']).toBe('heapUsed');
    const points = report.tests[1]!.leakBaselines!.heap!;
    expect(elements(baseline[0]!.inner, 'circle')).toHaveLength(points.length);
    expect(svg).toMatch(/data-key="baseline:heapUsed"[\s\S]*?Heap after GC \(leak baseline\)/);
    expect(groups(svg, 'limit').map((l) => l.attrs['data-limit'])).toEqual(['heapLimit']);
  });

  it('gives the data room at a small size, dropping extras rather than squashing the plot', () => {
    const svg = renderTimelineSvg(sources.benchmark, { width: 480, height: 320 });
    expect(panel(svg, 'main').height).toBeGreaterThanOrEqual(120);
  });
});
