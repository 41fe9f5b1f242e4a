import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/charts/index.js';
import type { MemorySample } from '../../src/index.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { makeBenchmarkReport, MIB, T0 } from '../charts/helpers/fixtures.js';
import { ROOT } from '../helpers/child.js';
import { requireBinary } from '../helpers/prometheus.js';

// The HTML report in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser).
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOTS = join(ROOT, 'test-results');

/** 20 s of samples, 100 ms apart: heap used 40 MiB, then exactly 100 MiB from 8 s to 12 s, then 60 MiB. */
function plateauReport(): BenchmarkReport {
  const report = makeBenchmarkReport({ iterations: 1, n: 10 });
  const timeline: MemorySample[] = Array.from({ length: 201 }, (_, i) => ({
    time: T0 + i * 100,
    rss: 160 * MIB,
    heapUsed: (i < 80 ? 40 : i <= 120 ? 100 : 60) * MIB,
    heapTotal: 130 * MIB,
    external: 8 * MIB,
    arrayBuffers: MIB,
    phase: i < 100 ? 'parse' : 'classify',
  }));
  const it = report.iterations[0]!;
  it.timeline = timeline;
  it.phaseIntervals = [
    { name: 'parse', start: T0, end: T0 + 10_000, depth: 0 },
    { name: 'classify', start: T0 + 10_000, end: T0 + 20_000, depth: 0 },
  ];
  return report;
}

interface Visit {
  page: Page;
  errors: string[];
  requests: string[];
  url: string;
}

let dir = '';
let context: BrowserContext;

beforeAll(async () => {
  requireBinary(CHROMIUM, 'install it with: apt-get install -y --no-install-recommends chromium (npm test does this itself)');
  dir = mkdtempSync(join(tmpdir(), 'memscope-html-'));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await (context as BrowserContext | undefined)?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, html: string): Promise<Visit> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector('html[data-memscope-ready="true"]', { state: 'attached', timeout: 10_000 });
  return { page, errors, requests, url };
}

/** The little of the page's DOM these tests read, typed here because the project compiles without the DOM library. */
interface PageWindow {
  document: { querySelector(selector: string): unknown };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

/** Pixels of `figure`'s main canvas within 30 of an RGB colour, as seen on the white page (the canvas is transparent). */
function countColor(page: Page, figure: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(([selector, [r, g, b]]) => {
    const canvas = (globalThis as unknown as PageWindow).document.querySelector(`${selector} .plot canvas`) as Canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    const onWhite = (c: number, a: number): number => (c * a + 255 * (255 - a)) / 255;
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3]!;
      if (Math.abs(onWhite(data[i]!, a) - r) + Math.abs(onWhite(data[i + 1]!, a) - g) + Math.abs(onWhite(data[i + 2]!, a) - b) < 30) n++;
    }
    return n;
  }, [figure, rgb] as const);
}

describe('HTML report in Chromium', () => {
  it('loads from file:// with no console errors and no network request, and draws the chart', async () => {
    const { page, errors, requests, url } = await open('report.html', renderHtmlReport(plateauReport()));
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('#chart-timeline .plot canvas').count()).toBe(1);
    expect(await countColor(page, '#chart-timeline', [214, 39, 40])).toBeGreaterThan(200); // heap used, red
    await page.close();
  });

  it('shows the value of the point under the cursor', async () => {
    const { page, errors } = await open('hover.html', renderHtmlReport(plateauReport()));
    const over = (await page.locator('#chart-timeline .plot .u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
    const heap = page.locator('#chart-timeline .plot .u-legend tr.u-series', { hasText: 'Heap used' }).locator('td.u-value');
    await expect.poll(() => heap.textContent()).toBe('100.00 MiB');
    const elapsed = page.locator('#chart-timeline .plot .u-legend tr.u-series', { hasText: 'Elapsed' }).locator('td.u-value');
    expect(await elapsed.textContent()).toBe('10 s');
    await page.mouse.move(over.x + 2, over.y + over.height / 2);
    await expect.poll(() => heap.textContent()).toBe('40.00 MiB');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides a series when its legend entry is clicked, and a phase when its box is unticked', async () => {
    const { page, errors } = await open('toggle.html', renderHtmlReport(plateauReport()));
    const rss: [number, number, number] = [31, 119, 180];
    expect(await countColor(page, '#chart-timeline', rss)).toBeGreaterThan(200);
    await page.locator('#chart-timeline .u-legend tr.u-series', { hasText: 'RSS' }).locator('th').click();
    await expect.poll(() => countColor(page, '#chart-timeline', rss)).toBe(0);
    expect(await page.locator('#chart-timeline .u-legend tr.u-series', { hasText: 'RSS' }).getAttribute('class')).toMatch(/\bu-off\b/);

    const parseLane: [number, number, number] = [158, 181, 207]; // parse is the first phase: #4e79a7 at 50% over its 10% band
    expect(await countColor(page, '#chart-timeline', parseLane)).toBeGreaterThan(100);
    await page.locator('#chart-timeline .phase-toggles label', { hasText: 'parse' }).locator('input').uncheck();
    await expect.poll(() => countColor(page, '#chart-timeline', parseLane)).toBe(0);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('#chart-timeline .phase-toggles label', { hasText: 'parse' }).locator('input').check();
    await page.locator('#chart-timeline .u-legend tr.u-series', { hasText: 'RSS' }).locator('th').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'html-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('zooms on a drag and resets on a double-click', async () => {
    const { page } = await open('zoom.html', renderHtmlReport(plateauReport()));
    const over = (await page.locator('#chart-timeline .plot .u-over').boundingBox())!;
    const y = over.y + over.height / 2;
    await page.mouse.move(over.x + over.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.75, y, { steps: 5 });
    await page.mouse.up();
    const scale = (): Promise<[number, number]> =>
      page.evaluate(() => {
        const figure = (globalThis as unknown as PageWindow).document.querySelector('#chart-timeline') as { memscopePlots: { scales: { x: { min: number; max: number } } }[] };
        const plots = figure.memscopePlots;
        return [plots[0]!.scales.x.min, plots[0]!.scales.x.max];
      });
    const [min, max] = await scale();
    expect(min).toBeGreaterThan(4);
    expect(max).toBeLessThan(16);
    await page.mouse.dblclick(over.x + over.width / 2, y);
    await expect.poll(scale).toEqual([0, 20]);
    await page.close();
  });

  it('renders a comparison: both runs, the difference plot, highlighted changes', async () => {
    const a = plateauReport();
    const b = plateauReport();
    for (const s of b.iterations[0]!.timeline) s.heapUsed *= 1.25;
    b.summary.memoryUsageBytes.mean *= 1.25;
    const { page, errors, requests, url } = await open('compare.html', renderHtmlReport([a, b], { labels: ['main', 'pr'] }));
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('#chart-timeline canvas').count()).toBe(2);
    // One iteration each: a 25% memory change is beyond the tolerance but has no spread to be shown by, so it is inconclusive (amber).
    expect(await page.locator('td.changed').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'html-report-compare.png'), fullPage: true });
    await page.close();
  });
});
