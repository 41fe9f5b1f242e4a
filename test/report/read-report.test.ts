import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemscopeError } from '../../src/internal/errors.js';
import { DEFAULT_MAX_REPORT_BYTES, parseJsonReport, readJsonReport, readReport } from '../../src/report/read-report.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { runMemoryTests } from '../../src/runner/memory-tests/run-memory-tests.js';
import { formatTextReport } from '../../src/report/text-report.js';
import { makeMemoryTestReport } from '../charts/helpers/fixtures.js';
import { realReport, scratch } from './report-fixtures.js';

let report: BenchmarkReport;
const tmp = scratch('read');
beforeAll(async () => {
  report = await realReport();
});
afterAll(() => {
  tmp.remove();
});

// eslint-disable-next-line no-control-regex -- the characters a terminal acts on
const ACTIVE = /[\u0000-\u001f\u007f-\u009f]/;

/** The error a parse throws (and that it is a coded one). */
function failure(text: string): MemscopeError {
  try {
    parseJsonReport(text, 'r.json');
  } catch (error) {
    expect(error).toBeInstanceOf(MemscopeError);
    return error as MemscopeError;
  }
  throw new Error('expected the report to be refused');
}

/** The report with one change made to a copy of it. */
function edited(change: (r: Record<string, unknown> & BenchmarkReport) => void): string {
  const copy = structuredClone(report) as Record<string, unknown> & BenchmarkReport;
  change(copy);
  return JSON.stringify(copy);
}

describe('readReport', () => {
  it('reads back what memscope writes, JSON and text, unchanged', async () => {
    const json = await readReport(tmp.file('r.json', `${JSON.stringify(report)}\n`));
    expect(json.format).toBe('json');
    expect(json.report).toEqual(JSON.parse(JSON.stringify(report)) as unknown);
    const text = await readReport(tmp.file('r.txt', formatTextReport(report)));
    expect(text.format).toBe('text');
    expect(text.format === 'text' && text.report.iterations.map((i) => i.pointsProcessed)).toEqual([100, 100]);
    const memoryTest = makeMemoryTestReport();
    expect(parseJsonReport(JSON.stringify(memoryTest), 'm.json')).toEqual(JSON.parse(JSON.stringify(memoryTest)));
  });

  it('reads back a memory-test report the runner writes, leak verdict included', { timeout: 120_000 }, async () => {
    const written = await runMemoryTests({ only: ['memory-returned-after-processing'] });
    const loaded = await readReport(tmp.file('memory-test.json', `${JSON.stringify(written)}\n`));
    expect(loaded.format === 'json' && loaded.report).toEqual(JSON.parse(JSON.stringify(written)) as unknown);
  });

  it('reads a report that starts with a UTF-8 byte order mark', async () => {
    const bom = '\ufeff';
    expect((await readReport(tmp.file('bom.json', bom + JSON.stringify(report)))).format).toBe('json');
    expect((await readReport(tmp.file('bom.txt', bom + formatTextReport(report)))).format).toBe('text');
  });

  it('refuses a file over the size cap with its own code, reading no more than the cap', async () => {
    const path = tmp.file('big.json', JSON.stringify(report));
    await expect(readReport(path, { maxBytes: 1024 })).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_TOO_LARGE', exitCode: 4, message: expect.stringMatching(/is larger than 1\.00 KiB/) as unknown });
    // /dev/zero says it is empty and never ends: the cap still holds, so this returns instead of filling memory.
    await expect(readReport('/dev/zero', { maxBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_TOO_LARGE' });
    expect(DEFAULT_MAX_REPORT_BYTES).toBe(256 * 1024 * 1024);
  });

  it('gives each unreadable thing its code: missing, a directory, empty', async () => {
    await expect(readReport(`${tmp.dir}/missing.json`)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_UNREADABLE', exitCode: 3 });
    await expect(readReport(tmp.dir)).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_UNREADABLE' });
    await expect(readReport(tmp.file('empty.json', ' \n'))).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_CORRUPT', message: expect.stringMatching(/is empty/) as unknown });
  });

  it('tells a text report from a JSON one where pictures need JSON', async () => {
    await expect(readJsonReport(tmp.file('t.txt', formatTextReport(report)))).rejects.toMatchObject({ code: 'MEMSCOPE_E_REPORT_CORRUPT', message: expect.stringMatching(/is a text report/) as unknown });
  });
});

describe('parseJsonReport', () => {
  it('names the JSON path of the first thing wrong, with exit 4', () => {
    const cases: Array<[string, RegExp]> = [
      [edited((r) => { (r.phases as unknown[]).splice(1, 0, null); }), /is malformed: phases\[1\]: expected an object, got null$/],
      [edited((r) => { (r as { phases: unknown }).phases = [{ name: 'x' }, null, 5]; }), /is malformed: phases\[0\]\.count: missing$/],
      [edited((r) => { (r as { summary: unknown }).summary = {}; }), /is malformed: summary\.processingTimeSec: missing$/],
      [edited((r) => { (r.iterations[0]!.timeline as unknown[])[0] = null; }), /is malformed: iterations\[0\]\.timeline\[0\]: expected an object, got null$/],
      [edited((r) => { (r.iterations[1]!.phases[2] as unknown as { duration: unknown }).duration = { totalMs: '3' }; }), /iterations\[1\]\.phases\[2\]\.duration\.totalMs: expected a finite number, got a string \("3"\)$/],
      [edited((r) => { (r.environment as unknown as { node: unknown }).node = 20; }), /environment\.node: expected a string, got 20$/],
      [edited((r) => { r.iterations = []; }), /iterations: expected at least 1 item, got 0$/],
      [edited((r) => { (r.phases[1]!.name) = r.phases[0]!.name; }), /phases\[1\]\.name: duplicate name "onboarding"$/],
      [edited((r) => { (r as { leak: unknown }).leak = null; }), /leak: expected an object, got null$/],
      [edited((r) => { (r as { kind: unknown }).kind = 'bench'; }), /kind: expected "benchmark" or "memory-test", got a string \("bench"\)$/],
      [JSON.stringify(report).replace('"pointsPerIteration":100', '"pointsPerIteration":1e999'), /config\.pointsPerIteration: expected a finite number of zero or more, got Infinity$/],
      [JSON.stringify(report).replace('"pointsPerIteration":100', '"pointsPerIteration":-1'), /config\.pointsPerIteration: expected a finite number of zero or more, got -1$/],
    ];
    for (const [text, message] of cases) {
      const error = failure(text);
      expect(error.code).toBe('MEMSCOPE_E_REPORT_CORRUPT');
      expect(error.exitCode).toBe(4);
      expect(error.message).toMatch(message);
    }
  });

  it('checks memory-test reports all the way down too', () => {
    const m = makeMemoryTestReport() as unknown as { tests: Array<{ figures: Record<string, unknown>; assertions: unknown[] }> };
    m.tests[0]!.figures['peak heap'] = 'big';
    expect(failure(JSON.stringify(m)).message).toMatch(/tests\[0\]\.figures\["peak heap"\]: expected a finite number, got a string \("big"\)$/);
    const n = makeMemoryTestReport() as unknown as { tests: Array<{ assertions: unknown[] }> };
    n.tests[1]!.assertions[0] = 5;
    expect(failure(JSON.stringify(n)).message).toMatch(/tests\[1\]\.assertions\[0\]: expected an object, got 5$/);
  });

  it('refuses other JSON, invalid JSON and unknown versions with their codes', () => {
    expect(failure('{"hello":"world"}').message).toMatch(/not a memscope report/);
    expect(failure('[1,2]').message).toMatch(/not a memscope report/);
    expect(failure('{"schema":').message).toMatch(/not valid JSON \(truncated\?\)/);
    const version = failure('{"schema":"memscope.report","schemaVersion":9}');
    expect(version).toMatchObject({ code: 'MEMSCOPE_E_REPORT_VERSION', exitCode: 5 });
    expect(version.message).toMatch(/schema version 9;/);
  });

  it('keeps what the file says out of the terminal: names and JSON errors are shown escaped', () => {
    const evil = edited((r) => { (r as { kind: unknown }).kind = '\u001b[2K\r0 regression(s)\n'; });
    expect(failure(evil).message).toContain('\\u001b[2K\\r0 regression(s)\\n');
    expect(failure(evil).message).not.toMatch(ACTIVE);
    expect(failure('{"schema": \u001b[31m').message).not.toMatch(ACTIVE);
    expect(() => parseJsonReport('{', 'x\n0 regression(s).json')).toThrow(/^x\\n0 regression\(s\)\.json is not valid JSON/);
  });
});
