import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { plotCommand, readReportFile } from '../../../src/cli/commands/plot.js';
import { reportCommand } from '../../../src/cli/commands/report.js';
import { decodePng } from '../helpers/png-decode.js';
import { makeBenchmarkReport, makeMemoryTestReport } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-plot-'));
const bench = join(dir, 'benchmark.json');
const pr = join(dir, 'pr.json');
const tests = join(dir, 'tests.json');
beforeAll(() => {
  writeFileSync(bench, JSON.stringify(makeBenchmarkReport({ iterations: 3 })));
  writeFileSync(pr, JSON.stringify(makeBenchmarkReport({ iterations: 3, scale: 1.1 })));
  writeFileSync(tests, JSON.stringify(makeMemoryTestReport()));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a command in-process the way `memscope <name> ...args` would. */
async function run(command: ReturnType<typeof plotCommand>, args: string[]): Promise<void> {
  command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  await command.parseAsync(args, { from: 'user' });
}

describe('memscope plot', () => {
  it('draws a report as PNG at the requested size', async () => {
    const out = join(dir, 'memory.png');
    await run(plotCommand(), [bench, '--out', out, '--width', '800', '--height', '500']);
    const png = decodePng(readFileSync(out));
    expect([png.width, png.height]).toEqual([800, 500]);
  });

  it('draws one iteration, or one test, as SVG', async () => {
    await run(plotCommand(), [bench, '--out', join(dir, 'it2.svg'), '--iteration', '2']);
    expect(readFileSync(join(dir, 'it2.svg'), 'utf8')).toContain('iteration 2 of 3');
    await run(plotCommand(), [tests, '--out', join(dir, 'burst.svg'), '--test', 'burst', '--title', 'Burst']);
    expect(readFileSync(join(dir, 'burst.svg'), 'utf8')).toContain('<title>Burst</title>');
  });

  it('overlays two reports, named after their files', async () => {
    await run(plotCommand(), [bench, pr, '--out', join(dir, 'cmp.svg'), '--align', 'elapsed']);
    const svg = readFileSync(join(dir, 'cmp.svg'), 'utf8');
    expect(svg).toContain('<title>Memory: benchmark vs pr</title>');
    expect(svg).not.toContain('aligned on');
  });

  it('rejects bad options with the option named', async () => {
    await expect(run(plotCommand(), [bench, '--out', join(dir, 'x.gif')])).rejects.toThrow(/--out must be a file name ending in \.png or \.svg/);
    await expect(run(plotCommand(), [bench, '--out', join(dir, 'x.png'), '--width', '12'])).rejects.toThrow(/--width must be an integer from 320 to 8000/);
    await expect(run(plotCommand(), [bench, '--out', join(dir, 'x.png'), '--iteration', '9'])).rejects.toThrow(/--iteration must be an iteration from 1 to 3; got 9/);
    await expect(run(plotCommand(), [bench, '--out', join(dir, 'x.png'), '--align', 'time'])).rejects.toThrow(/--align must be one of elapsed, phases/);
    await expect(run(plotCommand(), [bench, '--out', join(dir, 'x.png'), '--width', '8000', '--height', '8000', '--pixel-ratio', '2'])).rejects.toThrow(/--pixel-ratio must be small enough/);
    const named = join(dir, 'report.svg');
    writeFileSync(named, readFileSync(bench));
    await expect(run(plotCommand(), [named, '--out', named])).rejects.toThrow(/--out must be a file other than the input reports/);
    expect(readFileSync(named, 'utf8')).toBe(readFileSync(bench, 'utf8'));
    // The budget is the PNG's: an SVG of the same size is fine.
    await run(plotCommand(), [bench, '--out', join(dir, 'big.svg'), '--width', '8000', '--height', '8000', '--pixel-ratio', '2']);
    expect(readFileSync(join(dir, 'big.svg'), 'utf8')).toMatch(/^<svg [^>]*width="8000" height="8000"/);
  });
});

describe('memscope report', () => {
  it('writes the HTML report of one report, and of two', async () => {
    await run(reportCommand(), [bench, '--html', join(dir, 'report.html')]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<section id="leak">');
    await run(reportCommand(), [bench, pr, '--html', join(dir, 'cmp.html'), '--columns', '500']);
    expect(readFileSync(join(dir, 'cmp.html'), 'utf8')).toContain('<h1>Comparison: benchmark vs pr</h1>');
  });

  it('refuses to write over an input or into a file that is not .html', async () => {
    await expect(run(reportCommand(), [bench, '--html', bench])).rejects.toThrow(/--html must be a file name ending in \.html/);
    const sneaky = join(dir, 'same.html');
    writeFileSync(sneaky, '{}');
    await expect(run(reportCommand(), [sneaky, '--html', sneaky])).rejects.toThrow(/--html must be a file other than the input reports/);
    expect(existsSync(join(dir, 'nothing.html'))).toBe(false);
  });
});

describe('readReportFile', () => {
  it('maps unreadable, corrupt and unknown-version files to their codes', async () => {
    await expect(readReportFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_UNREADABLE' });
    await expect(readReportFile(dir)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_UNREADABLE' });
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(bench, 'utf8').slice(0, 500));
    await expect(readReportFile(truncated)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_CORRUPT' });
    await expect(readReportFile(truncated)).rejects.toThrow(/not valid JSON/);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    await expect(readReportFile(other)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_CORRUPT' });
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ ...makeBenchmarkReport(), schemaVersion: 2 }));
    await expect(readReportFile(future)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_VERSION' });
    await expect(readReportFile(future)).rejects.toThrow(/schema version 2; this memscope reads version 1/);
    const hollow = join(dir, 'hollow.json');
    writeFileSync(hollow, JSON.stringify({ ...makeBenchmarkReport(), iterations: [{ index: 1 }] }));
    await expect(readReportFile(hollow)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_CORRUPT' });
  });
});
