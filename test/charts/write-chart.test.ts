import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { visualizeMemoryTimeline, writeChart, writeComparisonChart, writeHtmlReport } from '../../src/charts/index.js';
import { decodePng } from './helpers/png-decode.js';
import { makeBenchmarkReport, makeRun } from './helpers/fixtures.js';
import { fullDisk } from './helpers/full-disk.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-charts-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
const run = makeRun(300);

describe('writeChart', () => {
  it('writes a PNG or an SVG by the extension, creating folders', async () => {
    await visualizeMemoryTimeline(run.samples, 'Memory Usage for 500 Points', join(dir, 'a', 'memory_usage_plot.png'));
    const png = decodePng(readFileSync(join(dir, 'a', 'memory_usage_plot.png')));
    expect([png.width, png.height]).toEqual([1200, 720]);
    await writeChart(run, 'Memory Usage for 500 Points', join(dir, 'b.SVG'), { width: 640, height: 400 });
    const svg = readFileSync(join(dir, 'b.SVG'), 'utf8');
    expect(svg).toContain('<title>Memory Usage for 500 Points</title>');
    expect(svg).toContain('width="640" height="400"');
  });

  it('rejects other extensions before drawing anything', async () => {
    await expect(writeChart(run, 't', join(dir, 'x.jpg'))).rejects.toMatchObject({ code: 'MEMSCOPE_E_INVALID_OPTION' });
    await expect(writeChart(run, 't', join(dir, 'x.jpg'))).rejects.toThrow(/path must be a file name ending in \.png or \.svg/);
  });

  it('reports a file it cannot write as MEMSCOPE_E_WRITE', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(writeChart(run, 't', join(dir, 'file', 'x.svg'))).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
  });
});

describe('writeComparisonChart and writeHtmlReport', () => {
  it('write their files', async () => {
    await writeComparisonChart(run, makeRun(400), join(dir, 'cmp.svg'));
    expect(readFileSync(join(dir, 'cmp.svg'), 'utf8')).toContain('class="difference-panel"');
    await writeHtmlReport(makeBenchmarkReport(), join(dir, 'r.html'));
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});

describe('writing on a full disk', () => {
  it('keeps an existing picture or report whole, and leaves no partial file where there was none', async () => {
    const svg = join(dir, 'kept.svg');
    await writeChart(run, 'first', svg);
    const good = readFileSync(svg, 'utf8');
    await expect(writeChart(run, 'second', svg, { fs: fullDisk(100) })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(readFileSync(svg, 'utf8')).toBe(good);
    await expect(writeChart(run, 't', join(dir, 'none.png'), { fs: fullDisk(10) })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    await expect(writeComparisonChart(run, run, join(dir, 'none.svg'), { fs: fullDisk(0) })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    await expect(writeHtmlReport(makeBenchmarkReport(), join(dir, 'none.html'), { fs: fullDisk(4096) })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(readdirSync(dir).filter((f) => f.startsWith('none') || f.endsWith('.tmp'))).toEqual([]);
  });
});
