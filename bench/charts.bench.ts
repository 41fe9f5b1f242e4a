// Pictures of long runs: a 1,000,000-sample timeline drawn as SVG, PNG and HTML, against the naive alternative of
// drawing (or embedding) every sample. Each chart is reduced to min/max per pixel column first, so its cost and size
// follow the picture's width; the naive figures show what that buys. Also: the cost for an ordinary 3,000-sample run
// and for comparing two long runs. Run after `npx tsc -p tsconfig.build.json` (benches import ../dist).
import { renderComparisonSvg, renderHtmlReport, renderTimelineSvg, svgToPng } from '../dist/charts/index.js';
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
  },
});
