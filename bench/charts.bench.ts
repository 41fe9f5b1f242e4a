// Pictures of long runs: a 1,000,000-sample timeline drawn as SVG, PNG and HTML, against the naive alternative of
// drawing (or embedding) every sample. Each chart is reduced to min/max per pixel column first, so its cost and size
// follow the picture's width; the naive figures show what that buys. Also: the cost for an ordinary 3,000-sample run
// and for comparing two long runs; how the cost scales with samples and with width; that a report holding 1e308, or
// folded spans crafted to overlap, costs what an ordinary one does; and the peak memory of a PNG by its pixel count,
// which sets MAX_PNG_PIXELS. Run after `npx tsc -p tsconfig.build.json` (benches import ../dist).
import { execFileSync } from 'node:child_process';
import { renderComparisonSvg, renderHtmlReport, renderTimelineSvg, svgToPng } from '../dist/charts/index.js';
import { MAX_PNG_PIXELS } from '../dist/charts/options.js';
import { downsampleMinMax } from '../dist/sdk/timeline/downsample.js';
import type { MemorySample } from '../dist/index.js';
import type { BenchmarkReport } from '../dist/report/report-model.js';
import { formatNs, measure, measureAsync } from './lib/measure.js';
import { ratio, saveResult, table } from './lib/results.js';

const MIB = 1024 * 1024;
const T0 = 1_700_000_000_000;
const WIDTH = 1200;
const HEIGHT = 720;

/** A long run: 200 ms samples, a GC sawtooth on a slow rise, one spike; phases every 10,000 samples. */
function timeline(n: number, start = T0): MemorySample[] {
  const out = new Array<MemorySample>(n);
  for (let i = 0; i < n; i++) {
    const heapUsed = 60 * MIB + (i % 300) * 40_000 + i * 8 + (i === Math.floor(n * 0.61) ? 250 * MIB : 0);
    out[i] = { time: start + i * 200, rss: heapUsed + 90 * MIB, heapUsed, heapTotal: heapUsed + 30 * MIB, external: 6 * MIB, arrayBuffers: MIB, phase: i % 10_000 < 6000 ? 'ingest' : 'classify' };
  }
  return out;
}

function phases(n: number, start = T0): { name: string; start: number; end: number; depth: number }[] {
  const out = [];
  for (let k = 0; k * 10_000 < n; k++) {
    const s = start + k * 10_000 * 200;
    out.push({ name: 'ingest', start: s, end: s + 6000 * 200, depth: 0 }, { name: 'classify', start: s + 6000 * 200, end: Math.min(s + 10_000 * 200, start + (n - 1) * 200), depth: 0 });
  }
  return out;
}

function report(samples: MemorySample[]): BenchmarkReport {
  const s = { mean: 1, median: 1, stddev: 0, min: 1, max: 1 };
  return {
    schema: 'memscope.report', schemaVersion: 1, kind: 'benchmark', generatedAt: '2026-01-01T00:00:00.000Z', tool: { name: 'memscope', version: '0.0.0' },
    environment: { node: process.version, v8: process.versions.v8, platform: process.platform, arch: process.arch, cpuModel: 'bench', cpuCount: 1, totalMemoryBytes: 0, heapLimitBytes: 4096 * MIB, containerLimitBytes: null },
    config: { iterations: 1, pointsPerIteration: samples.length, batchSize: 1, seed: 1, workload: 'bench' },
    summary: { processingTimeSec: s, memoryUsageBytes: s, processingRate: s, pointsProcessed: s, peakRssBytes: s, retainedAfterGcBytes: s },
    phases: [],
    iterations: [{ index: 1, processingTimeSec: 1, memoryUsageBytes: 1, pointsProcessed: 1, processingRate: 1, peakRssBytes: 1, peakHeapUsedBytes: 1, retainedAfterGcBytes: 1, phases: [], phaseIntervals: phases(samples.length, samples[0]!.time), timeline: samples }],
    limits: { heapLimitBytes: 4096 * MIB, containerLimitBytes: null },
  };
}

/** The naive chart: every sample of one series as a point of one path, the same 1200 px wide. */
function naiveSvg(samples: MemorySample[]): string {
  const t0 = samples[0]!.time;
  const span = samples[samples.length - 1]!.time - t0;
  let max = 0;
  for (const s of samples) max = Math.max(max, s.heapUsed);
  let d = '';
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    d += `${i === 0 ? 'M' : 'L'}${(84 + ((s.time - t0) / span) * 1092).toFixed(1)} ${(700 - (s.heapUsed / max) * 600).toFixed(1)}`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="none" stroke="#d62728"/></svg>`;
}

const N = 1_000_000;
const big = timeline(N);
const bigInput = { samples: big, phases: phases(N), limits: { heapLimitBytes: 4096 * MIB } };
const small = timeline(3000);
const smallInput = { samples: small, phases: phases(3000) };
const slow = { samples: timeline(N, T0 + 10 ** 9).map((s) => ({ ...s, heapUsed: s.heapUsed * 1.1 })), label: 'B' };

const heavy = { rounds: 5, warmupMs: 0, batchMs: 1 };
const svg = renderTimelineSvg(bigInput, { width: WIDTH, height: HEIGHT });
const png = await svgToPng(svg);
const html = renderHtmlReport(report(big));
const naive = naiveSvg(big);
const naivePng = await svgToPng(naive);
const rawJson = JSON.stringify(big).length;
const truePeak = big.reduce((m, s) => Math.max(m, s.heapUsed), 0);
const drawnPeak = Number(/class="peak" data-series="heapUsed" data-value="(\d+)"/.exec(svg)?.[1]);

const m = {
  downsample: measure('downsampleMinMax ×4', () => { for (const f of ['rss', 'heapUsed', 'heapTotal', 'external'] as const) downsampleMinMax(big, 1092, f); }, heavy),
  svg: measure('renderTimelineSvg 1M', () => renderTimelineSvg(bigInput, { width: WIDTH, height: HEIGHT }), heavy),
  png: await measureAsync('svgToPng (1M chart)', () => svgToPng(svg), { rounds: 5, warmupMs: 0, batchMs: 1 }),
  naivePng: await measureAsync('svgToPng (naive 1M path)', () => svgToPng(naive), { rounds: 3, warmupMs: 0, batchMs: 1 }),
  html: measure('renderHtmlReport 1M', () => renderHtmlReport(report(big)), heavy),
  compare: measure('renderComparisonSvg 2×1M', () => renderComparisonSvg({ ...bigInput, label: 'A' }, slow, { width: WIDTH, height: HEIGHT }), { rounds: 3, warmupMs: 0, batchMs: 1 }),
  smallSvg: measure('renderTimelineSvg 3k', () => renderTimelineSvg(smallInput)),
  smallPng: await measureAsync('svgToPng (3k chart)', () => svgToPng(renderTimelineSvg(smallInput)), { rounds: 9 }),
  smallHtml: measure('renderHtmlReport 3k', () => renderHtmlReport(report(small))),
};

// Scaling: twice the samples at one width is about twice the work (the reduction reads each sample once), and the
// output follows the width, not the samples.
const half = { ...bigInput, samples: big.slice(0, N / 2) };
const scale = {
  half: measure('renderTimelineSvg 500k', () => renderTimelineSvg(half, { width: WIDTH, height: HEIGHT }), heavy),
  wide: measure('renderTimelineSvg 1M at 2400 px', () => renderTimelineSvg(bigInput, { width: 2 * WIDTH, height: HEIGHT }), heavy),
};
const wideSvg = renderTimelineSvg(bigInput, { width: 2 * WIDTH, height: HEIGHT });

// Readings no process can report: one 1e308 in the million, and 100,000 folded spans crafted to each cover the whole
// run (drawn as they claim, every span would touch every column: 100,000 × 1,092 updates per series).
const huge = big.map((s, i) => (i === 777 ? { ...s, rss: 1e308 } : s));
const crafted = big.slice(0, 100_000).map((s) => ({ ...s, folded: { count: 2, startTime: T0, min: s, max: s } }));
const hostile = {
  huge: measure('renderTimelineSvg 1M with 1e308', () => renderTimelineSvg({ ...bigInput, samples: huge }, { width: WIDTH, height: HEIGHT }), heavy),
  crafted: measure('renderTimelineSvg 100k overlapping folded spans', () => renderTimelineSvg({ samples: crafted }, { width: WIDTH, height: HEIGHT }), heavy),
  plain: measure('renderTimelineSvg 100k', () => renderTimelineSvg({ samples: big.slice(0, 100_000) }, { width: WIDTH, height: HEIGHT }), heavy),
};

/** Peak memory and time of one PNG rendered in a fresh process (the pixmap and its encoding are native memory). */
function pngPeak(width: number, height: number, pixelRatio: number): { ms: number; maxRssBytes: number } {
  const code = `
    import { renderTimelinePng } from ${JSON.stringify(new URL('../dist/charts/index.js', import.meta.url).pathname)};
    const samples = Array.from({ length: 3000 }, (_, i) => ({ time: ${T0} + i * 200, rss: 2e8 + (i % 50) * 1e6, heapUsed: 1e8 + (i % 30) * 1e6, heapTotal: 1.6e8, external: 1e6, arrayBuffers: 0, phase: null }));
    const t = performance.now();
    await renderTimelinePng(samples, { width: ${width}, height: ${height}, pixelRatio: ${pixelRatio} });
    console.log(JSON.stringify({ ms: performance.now() - t, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })) as { ms: number; maxRssBytes: number };
}
const pngSizes: [number, number, number][] = [[320, 240, 1], [1200, 720, 1], [1200, 720, 4], [4000, 4000, 1], [8000, 8000, 1]];
const pngPeaks = pngSizes.map(([w, h, r]) => ({ w, h, r, pixels: w * h * r * r, ...pngPeak(w, h, r) }));
const floor = pngPeaks[0]!;
const top = pngPeaks[pngPeaks.length - 1]!;
const bytesPerPixel = (top.maxRssBytes - floor.maxRssBytes) / (top.pixels - floor.pixels);

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
saveResult({
  suite: 'charts',
  title: 'Pictures of memory over time',
  sections: [
    table(
      [`${N.toLocaleString('en-US')} samples, ${WIDTH}×${HEIGHT}`, 'Time', 'Output size'],
      [
        ['min/max per pixel column, 4 series (`downsampleMinMax`)', formatNs(m.downsample.ns), '–'],
        ['SVG: `renderTimelineSvg` (reduction included)', formatNs(m.svg.ns), kib(svg.length)],
        ['PNG: resvg on that SVG (`svgToPng`)', formatNs(m.png.ns), kib(png.length)],
        ['HTML report: `renderHtmlReport` (2,000 columns, uPlot inlined)', formatNs(m.html.ns), kib(html.length)],
        ['Comparison SVG of two such runs (`renderComparisonSvg`)', formatNs(m.compare.ns), '–'],
        ['Naive SVG: every sample of heap used in one path', '–', kib(naive.length)],
        ['Naive PNG: resvg on the naive SVG', formatNs(m.naivePng.ns), kib(naivePng.length)],
        ['Naive HTML payload: the timeline as JSON, before any page', '–', kib(rawJson)],
      ],
    ),
    `Reduced before drawing, the 1M-sample chart renders to PNG ${ratio(m.naivePng.ns, m.png.ns)} faster than a path through ` +
      `every sample of one series, its SVG is ${ratio(naive.length, svg.length)} smaller while drawing four series, and the ` +
      `HTML report is ${ratio(rawJson, html.length)} smaller than the raw timeline it shows. The peak survives: ` +
      `${drawnPeak === truePeak ? 'the marked heap peak equals the true maximum' : `marked ${drawnPeak}, true ${truePeak}`}.`,
    table(
      ['3,000 samples (10 minutes at 200 ms)', 'Time'],
      [
        ['SVG', formatNs(m.smallSvg.ns)],
        ['PNG (SVG + resvg)', formatNs(m.smallPng.ns)],
        ['HTML report', formatNs(m.smallHtml.ns)],
      ],
    ),
    table(
      ['Scaling of `renderTimelineSvg`', 'Time', 'Output size'],
      [
        [`500,000 samples, ${WIDTH} px`, formatNs(scale.half.ns), '–'],
        [`1,000,000 samples, ${WIDTH} px`, formatNs(m.svg.ns), kib(svg.length)],
        [`1,000,000 samples, ${2 * WIDTH} px`, formatNs(scale.wide.ns), kib(wideSvg.length)],
      ],
    ),
    `Twice the samples cost ${ratio(m.svg.ns, scale.half.ns)} the time at one width; twice the width gives ${ratio(wideSvg.length, svg.length)} the output.`,
    table(
      ['Readings no process can report', 'Time', 'Against'],
      [
        ['1,000,000 samples, one of them 1e308 (left out, noted)', formatNs(hostile.huge.ns), `${ratio(hostile.huge.ns, m.svg.ns)} the plain 1M chart`],
        ['100,000 folded spans crafted to overlap (unfolded, noted)', formatNs(hostile.crafted.ns), `${ratio(hostile.crafted.ns, hostile.plain.ns)} the same 100k plain`],
      ],
    ),
    table(
      ['PNG (3,000 samples), in a fresh process', 'Pixels', 'Time', 'Peak RSS'],
      pngPeaks.map((p) => [`${p.w} × ${p.h} at pixelRatio ${p.r}`, `${(p.pixels / 1e6).toFixed(1)} M`, `${p.ms.toFixed(0)} ms`, `${(p.maxRssBytes / 2 ** 20).toFixed(0)} MiB`]),
    ),
    `A PNG takes about ${bytesPerPixel.toFixed(1)} bytes per pixel at its peak (pixmap and encoding), so the budget of ` +
      `${(MAX_PNG_PIXELS / 1e6).toFixed(0)} million pixels (8000 × 8000 at pixelRatio 1) peaks at ${(top.maxRssBytes / 2 ** 30).toFixed(2)} GiB, and ` +
      `8000 × 8000 at pixelRatio 4, refused, would need about ${((bytesPerPixel * 8000 * 8000 * 16) / 2 ** 30).toFixed(1)} GiB.`,
  ],
  figures: {
    'samples': N,
    'downsample ns': m.downsample.ns,
    'svg ns': m.svg.ns,
    'svg bytes': svg.length,
    'png ns': m.png.ns,
    'png bytes': png.length,
    'html ns': m.html.ns,
    'html bytes': html.length,
    'compare ns': m.compare.ns,
    'naive svg bytes': naive.length,
    'naive png ns': m.naivePng.ns,
    'naive png bytes': naivePng.length,
    'raw json bytes': rawJson,
    'peak preserved': drawnPeak === truePeak ? 1 : 0,
    'small svg ns': m.smallSvg.ns,
    'small png ns': m.smallPng.ns,
    'small html ns': m.smallHtml.ns,
    'half svg ns': scale.half.ns,
    'wide svg ns': scale.wide.ns,
    'wide svg bytes': wideSvg.length,
    'huge value svg ns': hostile.huge.ns,
    'crafted folded svg ns': hostile.crafted.ns,
    'plain 100k svg ns': hostile.plain.ns,
    'png bytes per pixel at peak': bytesPerPixel,
    'png peak rss at budget bytes': top.maxRssBytes,
  },
});
