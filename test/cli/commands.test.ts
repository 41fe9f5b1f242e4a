import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runNode } from '../helpers/child.js';
import type { HeapDiffSection } from '../../src/report/heap-diff-section.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-cli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const memscope = (...args: string[]) => runNode([CLI, ...args]).done;

describe('memscope (CLI)', () => {
  it('lists every command in --help and has --help on each', async () => {
    const { code, stdout } = await memscope('--help');
    expect(code).toBe(0);
    for (const command of ['serve', 'test', 'benchmark', 'compare']) {
      expect(stdout).toContain(command);
      const help = await memscope(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: memscope ${command}`));
    }
  });

  it('exits 2 on an unknown command or flag', async () => {
    expect((await memscope('frobnicate')).code).toBe(2);
    const bad = await memscope('benchmark', '--iterations', 'three');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--iterations must be an integer from 1/);
  });
});

describe('memscope benchmark', () => {
  let json = '';
  let text = '';

  it('writes a text and a JSON report', async () => {
    const { code, stdout, stderr } = await memscope('benchmark', '--iterations', '2', '--points', '300', '--out', dir, '--json');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as { files: { json: string; text: string }; iterations: number };
    expect(out.iterations).toBe(2);
    json = out.files.json;
    text = out.files.text;
    const report = JSON.parse(readFileSync(json, 'utf8')) as { schema: string; schemaVersion: number; iterations: Array<{ timeline: unknown[]; pointsProcessed: number }>; environment: { node: string; heapLimitBytes: number } };
    expect(report).toMatchObject({ schema: 'memscope.report', schemaVersion: 1 });
    expect(report.iterations[0]!.pointsProcessed).toBe(300);
    expect(report.iterations[0]!.timeline.length).toBeGreaterThan(0);
    expect(report.environment.heapLimitBytes).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // written atomically, nothing left over
  });

  it("keeps the original report's sections, labels and order", () => {
    const structure = readFileSync(text, 'utf8')
      .split('\n')
      .map((l) => l.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, '<n>').replace(/^(Generated: ).*/, '$1<date>').trimEnd());
    const golden = readFileSync(new URL('../golden/text-report-head.txt', import.meta.url), 'utf8').trimEnd().split('\n');
    expect(structure.slice(0, golden.length)).toEqual(golden);
    expect(readFileSync(text, 'utf8')).not.toMatch(/ 0\.00 seconds|Infinity|inf points/);
  });

  it('compares a report with itself as unchanged, in both formats', async () => {
    const { code, stdout } = await memscope('compare', json, text);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 regression\(s\), 0 improvement\(s\)/);
  });

  it('fails a regression beyond --fail-on-regression with exit 6', async () => {
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { memoryUsageBytes: { mean: number } }; iterations: Array<{ memoryUsageBytes: number }> };
    report.summary.memoryUsageBytes.mean *= 3;
    for (const it of report.iterations) it.memoryUsageBytes *= 3;
    const worse = join(dir, 'worse.json');
    writeFileSync(worse, JSON.stringify(report));
    const { code, stdout, stderr } = await memscope('compare', json, worse, '--fail-on-regression', '10%');
    expect(code).toBe(6);
    expect(stdout).toMatch(/memory usage .*REGRESSION/);
    expect(stderr).toMatch(/MEMSCOPE_E_REGRESSION: .*memory usage \+200\.0%/);
    const machine = await memscope('compare', json, worse, '--json');
    expect(machine.code).toBe(0);
    expect((JSON.parse(machine.stdout) as { regressions: Array<{ metric: string }> }).regressions.map((r) => r.metric)).toContain('memory usage');
  });

  it('refuses truncated, foreign, unknown-version and missing reports with distinct exit codes', async () => {
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(json, 'utf8').slice(0, 500));
    const truncatedText = join(dir, 'truncated.txt');
    writeFileSync(truncatedText, readFileSync(text, 'utf8').split('Iteration 2:')[0]!);
    const version = join(dir, 'v9.json');
    writeFileSync(version, JSON.stringify({ schema: 'memscope.report', schemaVersion: 9 }));
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
    const cases: Array<[string, number, RegExp]> = [
      [truncated, 4, /MEMSCOPE_E_REPORT_CORRUPT: .*not valid JSON/],
      [truncatedText, 4, /MEMSCOPE_E_REPORT_CORRUPT: .*declares 2 iterations but details 1/],
      [foreign, 4, /MEMSCOPE_E_REPORT_CORRUPT: .*not a memscope report/],
      [version, 5, /MEMSCOPE_E_REPORT_VERSION: .*schema version 9/],
      [join(dir, 'missing.json'), 3, /MEMSCOPE_E_REPORT_UNREADABLE/],
    ];
    for (const [file, code, message] of cases) {
      const run = await memscope('compare', json, file);
      expect(run.code, file).toBe(code);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('memscope test', () => {
  it('passes the standard memory tests on the real workload', { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await memscope('test');
    expect(code, stdout + stderr).toBe(0);
    for (const name of ['memory-usage-with-large-dataset', 'batched-vs-unbatched-generation', 'repeated-runs-no-leak', 'memory-returned-after-processing']) {
      expect(stdout).toMatch(new RegExp(`PASS {2}${name}`));
    }
  });

  it('fails with exit 7 and says the same verdict in its line, its error, the JSON report and the HTML report', { timeout: 120_000 }, async () => {
    const out = join(dir, 'heap-leak');
    const { code, stdout, stderr } = await memscope('test', '--test', 'repeated-runs-no-leak', '--inject-leak', '1MiB/s', '--out', out, '--html');
    expect(code).toBe(7);
    expect(stdout).toMatch(/FAIL {2}repeated-runs-no-leak/);
    const jsonFile = readdirSync(out).find((f) => f.endsWith('.json'))!;
    const report = JSON.parse(readFileSync(join(out, jsonFile), 'utf8')) as {
      tests: Array<{ leak: { status: string; basis: string; summary: string }; leakBaselines: { heap: unknown[] } }>;
    };
    const test = report.tests[0]!;
    expect(test.leak).toMatchObject({ status: 'suspected', basis: 'heap' });
    expect(test.leak.summary).toMatch(/^leak suspected in JS heap: \+\d+(\.\d+)? (KiB|MiB)\/s over \d+ s \(p=/);
    // One sentence everywhere: the test's line, the error, the report, the page.
    expect(stdout).toContain(`✗ leak verdict (JS heap): ${test.leak.summary}`);
    expect(stderr).toContain(`MEMSCOPE_E_TEST_FAILED: 1 of 1 memory tests failed: repeated-runs-no-leak: leak verdict (JS heap): ${test.leak.summary}`);
    const html = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.html'))!), 'utf8');
    const sentence = test.leak.summary.charAt(0).toUpperCase() + test.leak.summary.slice(1);
    expect(html).toContain(`<p class="verdict fail">${sentence.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
    // The page plots the baseline points the verdict judged, every one of them.
    const plot = /<figure class="leak-baseline">(.*?)<\/figure>/s.exec(html)?.[1] ?? '';
    expect(test.leakBaselines.heap.length).toBeGreaterThanOrEqual(6);
    expect(plot.match(/<circle /g)?.length).toBe(test.leakBaselines.heap.length);
    // The suspected leak is snapshotted and diffed: the injected leak's chunks (Arrays of plain Objects, which the
    // fault keeps in its `retained` property) come first — each chunk retains its Objects — with the Objects listed by
    // their count, and the chunks' retainer path names that property.
    const diff = (report.tests[0] as unknown as { heapDiff: HeapDiffSection }).heapDiff;
    expect(diff.status, diff.note).toBe('diffed');
    expect(diff.note).toMatch(/^the leak check suspected a leak: snapshots before and after \d+ more runs/);
    const top = diff.diff!.groups.find((g) => !g.internal)!;
    expect(top.name).toBe('Array');
    expect(top.path!.map((s) => s.edge)).toContain('retained');
    expect(diff.diff!.groups.find((g) => g.name === 'Object')!.newCount).toBeGreaterThan(1000);
    expect(diff.before).toMatch(new RegExp(`^${out}/heap-snapshots/memscope-.*-repeated-runs-no-leak-first\\.heapsnapshot$`));
    expect(stdout).toMatch(/heap diff: top growing constructor Array \(\+[\d,]+ objects, [\d.]+ MiB retained/);
    const section = html.slice(html.indexOf('<section class="heap-diff">'));
    expect(section).toContain('<h2>Heap diff: repeated-runs-no-leak</h2>');
    expect(section).toContain('--<b>retained</b> (property)--&gt;');
  });

  it('names external memory for a Buffer leak and writes a JSON report', { timeout: 120_000 }, async () => {
    const { code, stdout } = await memscope('test', '--test', 'repeated-runs-no-leak', '--inject-leak', '1MiB/s', '--leak-kind', 'buffer', '--out', dir, '--json');
    expect(code).toBe(7);
    const out = JSON.parse(stdout) as { passed: boolean; files: { json: string } };
    expect(out.passed).toBe(false);
    const report = JSON.parse(readFileSync(out.files.json, 'utf8')) as { tests: Array<{ leak: { basis: string }; assertions: Array<{ name: string; passed: boolean }> }> };
    expect(report.tests[0]!.leak.basis).toBe('external');
    expect(report.tests[0]!.assertions.find((a) => !a.passed)?.name).toBe('leak verdict (external memory)');
  });

  it('rejects an unknown test name with exit 2', async () => {
    const { code, stderr } = await memscope('test', '--test', 'nope');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--test must be one of memory-usage-with-large-dataset/);
  });
});
