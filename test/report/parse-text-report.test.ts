import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemscopeError } from '../../src/internal/errors.js';
import { toComparable } from '../../src/report/comparable.js';
import { compareReports } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-text.js';
import { parseTextReport, type TextReport } from '../../src/report/parse-text-report.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { formatTextReport } from '../../src/report/text-report.js';
import { realReport, workRatio } from './report-fixtures.js';

const MIB = 1024 * 1024;

let report: BenchmarkReport;
let text: string;
beforeAll(async () => {
  report = await realReport({ iterations: 3 });
  report.config.faults = ['4 ms more in the classify phase of every job'];
  text = formatTextReport(report);
});

/** How much more work parsing `build(8n)` is than `build(n)`: about 8 when linear, 64 when quadratic. */
function scaling(build: (n: number) => string, n: number): number {
  const parse = (t: string): void => {
    try {
      parseTextReport(t, 'r.txt');
    } catch (error) {
      if (!(error instanceof MemscopeError)) throw error;
    }
  };
  return workRatio(parse, build(n), build(8 * n));
}

describe('parseTextReport', () => {
  it('reads back what memscope writes: summary, iterations, statistics, phases and environment', () => {
    const r: TextReport = parseTextReport(text, 'r.txt');
    expect(r.iterationsDeclared).toBe(3);
    expect(r.iterations.map((i) => i.index)).toEqual([1, 2, 3]);
    expect(r.iterations[0]!.pointsProcessed).toBe(100);
    expect(r.summary.processingTimeSec).toBeCloseTo(report.summary.processingTimeSec.mean, 2);
    expect(r.statistics.memoryUsageMiB!.stddev).toBeCloseTo(report.summary.memoryUsageBytes.stddev / MIB, 2);
    expect(r.statistics.peakRssMiB!.mean).toBeCloseTo(report.summary.peakRssBytes.mean / MIB, 1);
    expect(r.phases.map((p) => p.name)).toEqual(report.phases.map((p) => p.name));
    const classify = r.phases.find((p) => p.name === 'classify')!;
    const original = report.phases.find((p) => p.name === 'classify')!;
    expect(classify.stddevSec).toBeCloseTo(original.durationMs.stddev / 1000, 4);
    expect(classify.peakHeapMiB).toBeCloseTo(original.peakHeapUsedBytes.mean / MIB, 1);
    expect(r.environment).toMatchObject({
      node: process.versions.node,
      v8: process.versions.v8,
      platform: `${process.platform}-${process.arch}`,
      workload: 'bms-onboarding',
      pointsPerIteration: 100,
      batchSize: 50,
      seed: 42,
      memscopeVersion: report.tool.version,
      faults: ['4 ms more in the classify phase of every job'],
    });
  });

  it("reads the original framework's format, which has no statistics, phases or environment", () => {
    const original = text.slice(0, text.indexOf('-'.repeat(80), text.indexOf('ITERATION DETAILS')));
    const r = parseTextReport(original, 'old.txt');
    expect(r.iterations).toHaveLength(3);
    expect(r.statistics).toEqual({});
    expect(r.phases).toEqual([]);
    expect(r.environment.node).toBeNull();
    expect(r.environment.faults).toBeNull();
  });

  it('accepts CRLF line ends and extra blank lines', () => {
    expect(parseTextReport(text.replace(/\n/g, '\r\n\r\n'), 'crlf.txt').iterations).toHaveLength(3);
  });

  it('refuses a report cut off in its iteration details, and text that is no report', () => {
    expect(() => parseTextReport(text.split('Iteration 2:')[0]!, 'cut.txt')).toThrow(/declares 3 iterations but details 1 \(truncated\?\)/);
    expect(() => parseTextReport('hello', 'x.txt')).toThrow(/no "MEMORY USAGE REPORT" header/);
    expect(() => parseTextReport(text.replace(/^Average memory usage.*$/m, ''), 'x.txt')).toThrow(/SUMMARY section is missing or incomplete/);
  });

  describe('takes time linear in the size of the text', () => {
    const head = (): string => text.slice(0, text.indexOf('Iteration 1:'));
    const beforePhases = (): string => text.slice(0, text.indexOf('PHASES'));
    it('for an iteration header followed by a long run of newlines', () => {
      expect(scaling((n) => `${head()}Iteration 1:${'\n'.repeat(n)}`, 50_000)).toBeLessThan(24);
    });
    it('for long runs of blank lines and of spaces and tabs between the labels', () => {
      expect(scaling((n) => `${head()}Iteration 1:\n${' \n'.repeat(n)}`, 50_000)).toBeLessThan(24);
      expect(scaling((n) => `${head()}Iteration 1:\n  Processing time:${' \t'.repeat(n)}0.1 seconds\n`, 50_000)).toBeLessThan(24);
    });
    it('for a phases section of many rows, and many sections that never end', () => {
      const row = 'classify   5.00   0.00421   0.000896   0.297   13.24\n';
      expect(scaling((n) => `${beforePhases()}PHASES (mean across iterations):\nPhase  Count  Time (seconds)\n${row.repeat(n)}`, 2_000)).toBeLessThan(24);
      expect(scaling((n) => `${beforePhases()}${'PHASES\n'.repeat(n)}`, 10_000)).toBeLessThan(24);
    });
    it('for a line of digits where a figure is expected', () => {
      expect(scaling((n) => `${head()}Iteration 1:\n  Processing time: ${'9'.repeat(n)}x\n`.repeat(4), 50_000)).toBeLessThan(24);
    });
  });

  it('reads or refuses, never fails otherwise, whatever the lines (property-based), and compare copes with what it reads', () => {
    const lines = text.split('\n');
    const line = fc.oneof(
      fc.constantFrom(...lines),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('Iteration 9:', 'Points processed: 1e400', 'Processing time: inf seconds', 'Memory usage: n/a MB', 'Node: x (V8 y), z', 'CPU:  x ', 'Workload: , , seed', 'Faults injected: ', 'PHASES', 'STATISTICS', '__proto__  1  2  3  4  5'),
    );
    const baseline = toComparable({ format: 'text', path: 'a.txt', report: parseTextReport(text, 'a.txt') });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), fc.boolean(), (extra, keepHead) => {
        const candidate = (keepHead ? lines.slice(0, 8) : []).concat(extra).join('\n');
        let parsed: TextReport;
        try {
          parsed = parseTextReport(candidate, 'r.txt');
        } catch (error) {
          expect(error).toBeInstanceOf(MemscopeError);
          expect((error as MemscopeError).code).toBe('MEMSCOPE_E_REPORT_CORRUPT');
          return;
        }
        const comparison = compareReports(baseline, toComparable({ format: 'text', path: 'r.txt', report: parsed }));
        formatComparison(comparison);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the phase names it reads as they are (printing makes them safe, not reading)', () => {
    const evil = text.replace('\nclassify ', '\nclass\u001bify ');
    expect(parseTextReport(evil, 'r.txt').phases.map((p) => p.name)).toContain('class\u001bify');
  });
});
