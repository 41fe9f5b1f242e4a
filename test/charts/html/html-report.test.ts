import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/charts/index.js';
import type { MemorySample } from '../../../src/index.js';
import type { BenchmarkReport } from '../../../src/report/report-model.js';
import { makeBenchmarkReport, makeMemoryTestReport, MIB, T0 } from '../helpers/fixtures.js';

interface Payload {
  charts: { id: string; x: number[]; series: { key: string; run: number; values: (number | null)[] }[]; phases: { name: string }[]; diff: unknown }[];
}

function payloadOf(html: string): Payload {
  const m = html.match(/<script type="application\/json" id="memscope-data">([\s\S]*?)<\/script>/);
  return JSON.parse(m![1]!) as Payload;
}

describe('renderHtmlReport', () => {
  const report = makeBenchmarkReport({ iterations: 2 });
  const html = renderHtmlReport(report);

  it('is one self-contained page: no external script, style, image or link, and a CSP that forbids them', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<(script|img|iframe)\b[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/@import/);
    expect(html).toContain('uPlot');
  });

  it('carries the summary, per-phase, iteration, leak and environment sections', () => {
    for (const id of ['summary', 'timeline', 'phases', 'iterations', 'leak', 'environment']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('Leak suspected in JS heap: +512.00 KiB/s over 10 min (p=1.0e-5, R²=0.91)');
    expect(html).toMatch(/<td>Peak RSS<\/td><td class="num">150\.00 MiB<\/td>/);
  });

  it('embeds the timeline as JSON the page reads back: every sample of a short run, and its phases', () => {
    const chart = payloadOf(html).charts[0]!;
    // Both iterations' 300 samples, and between them a row of nulls that breaks every line.
    expect(chart.x).toHaveLength(601);
    for (const s of chart.series) expect(s.values[300]).toBeNull();
    expect((chart as unknown as { breaks: number[] }).breaks).toEqual([chart.x[300]]);
    expect(chart.series.every((s) => s.values.filter((v) => v === null).length === 1)).toBe(true);
    expect(chart.series.map((s) => s.key)).toEqual(['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers']);
    expect(chart.series[1]!.values[0]).toBe(report.iterations[0]!.timeline[0]!.heapUsed);
    expect(chart.phases.map((p) => p.name).slice(0, 5)).toEqual(['load', 'parse', 'tokenize', 'classify', 'write']);
  });

  it('escapes names that would end the script or open a comment', () => {
    const evil = structuredClone(report);
    evil.iterations[0]!.phaseIntervals[0]!.name = '</script><!--<script>alert(1)</script>';
    const page = renderHtmlReport(evil);
    expect(page.match(/<\/script>/g)).toHaveLength(3);
    expect(payloadOf(page).charts[0]!.phases[0]!.name).toBe('</script><!--<script>alert(1)</script>');
  });

  it('gives the same page for the same report', () => {
    expect(renderHtmlReport(structuredClone(report))).toBe(html);
  });

  it('reduces a million samples to two points per column and stays small', () => {
    const big: BenchmarkReport = structuredClone(makeBenchmarkReport({ iterations: 1, n: 10 }));
    const timeline = new Array<MemorySample>(1_000_000);
    for (let i = 0; i < timeline.length; i++) {
      timeline[i] = { time: T0 + i * 5, rss: 300 * MIB, heapUsed: 100 * MIB + (i % 5000) * 100 + (i === 123_456 ? 500 * MIB : 0), heapTotal: 200 * MIB, external: MIB, arrayBuffers: 0, phase: null };
    }
    big.iterations[0]!.timeline = timeline;
    const page = renderHtmlReport(big, { columns: 1000 });
    const chart = payloadOf(page).charts[0]!;
    expect(chart.x.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...chart.series[1]!.values.map((v) => v ?? 0))).toBe(100 * MIB + 3456 * 100 + 500 * MIB);
    expect(page.length).toBeLessThan(400_000);
  });

  it('draws one chart per memory test and marks failures', () => {
    const page = renderHtmlReport(makeMemoryTestReport());
    expect(payloadOf(page).charts.map((c) => c.id)).toEqual(['test-0', 'test-1']);
    expect(page).toContain('<h1>Memory tests: failed</h1>');
    expect(page).toMatch(/<span class="fail">FAIL<\/span> burst/);
  });

  it('rejects what is not a report, and bad options', () => {
    expect(() => renderHtmlReport({} as BenchmarkReport)).toThrow(/reports must be a memscope report or a pair of them/);
    expect(() => renderHtmlReport(report, { columns: 5 })).toThrow(/columns must be an integer from 100 to 20000; got 5/);
    expect(() => renderHtmlReport([report, report], { labels: ['a'] as unknown as [string, string] })).toThrow(/labels must be two non-empty strings/);
  });
});

describe('renderHtmlReport, two reports', () => {
  // Five iterations each: enough for compare's test to show a 20% memory change (its verdicts colour the page).
  const a = makeBenchmarkReport({ iterations: 5 });
  const b = makeBenchmarkReport({ iterations: 5, scale: 1.2 });
  const html = renderHtmlReport([a, b], { labels: ['main', 'pr'] });

  it('overlays both runs with their difference', () => {
    const chart = payloadOf(html).charts[0]!;
    expect(new Set(chart.series.map((s) => s.run))).toEqual(new Set([0, 1]));
    expect(chart.diff).toMatchObject({ label: 'Heap used: pr − main' });
  });

  it('highlights what got worse and what got better', () => {
    expect(html).toMatch(/<td>Memory usage \(mean\)<\/td><td class="num">70\.00 MiB<\/td><td class="num">84\.00 MiB<\/td><td class="num worse">\+14\.00 MiB<\/td><td class="num worse">\+20\.0%<\/td>/);
    // -16.7% is within the run-to-run noise of time: not highlighted, as memscope compare calls it unchanged.
    expect(html).toMatch(/<td>Processing rate \(mean, points\/s\)<\/td>(<td class="num">[^<]*<\/td>)+<td>unchanged<\/td>/);
    const reverse = renderHtmlReport([b, a]);
    expect(reverse).toMatch(/<td>Memory usage \(mean\)<\/td>.*?<td class="num better">-16\.7%<\/td>/);
    expect(html).toMatch(/<td>Retained after GC \(mean\)<\/td>.*?<td class="num">0\.0%<\/td>/);
  });

  it('compares memory tests test by test', () => {
    const page = renderHtmlReport([makeMemoryTestReport(), makeMemoryTestReport()]);
    expect(payloadOf(page).charts.map((c) => c.id)).toEqual(['test-0', 'test-1']);
    expect(page).toContain('<td>burst: peakHeapUsedBytes</td>');
  });
});
