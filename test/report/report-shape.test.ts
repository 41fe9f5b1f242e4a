import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toChartInput } from '../../src/charts/input/from-report.js';
import { benchmarkComparison, runsTable } from '../../src/charts/html/html-compare.js';
import { MemscopeError } from '../../src/internal/errors.js';
import { comparableReport } from '../../src/report/comparable.js';
import { compareReports } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-text.js';
import { parseJsonReport } from '../../src/report/read-report.js';
import type { BenchmarkReport, MemscopeReport } from '../../src/report/report-model.js';
import { makeMemoryTestReport } from '../charts/helpers/fixtures.js';
import { realReport } from './report-fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every place in a JSON value a mutation can hit: each member of each object and array. */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...prefix, i]); paths(v, [...prefix, i], out); });
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push([...prefix, k]); paths(v, [...prefix, k], out); }
  return out;
}

/** Replaces the member at `path` of `value`, in place (undefined: removes it); false when the path is gone. */
function mutate(value: Json, path: Path, replacement: Json | undefined): boolean {
  let parent = value as Record<string | number, Json> | null;
  for (const key of path.slice(0, -1)) {
    parent = (parent?.[key] ?? null) as Record<string | number, Json> | null;
    if (parent === null || typeof parent !== 'object') return false;
  }
  const last = path.at(-1)!;
  if (parent === null) return false;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else Reflect.deleteProperty(parent, last);
  } else parent[last] = replacement;
  return true;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, '', 'x', true, [], {}),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/**
 * What a reader's caller does with a report: compare it (CLI text and the HTML report's tables) and turn it into chart
 * input. After parseJsonReport accepted it, none of this may throw anything but a coded MemscopeError.
 */
function useDownstream(report: MemscopeReport, reference: BenchmarkReport): void {
  toChartInput(report);
  if (report.kind !== 'benchmark') return;
  const comparison = compareReports(comparableReport(reference, 'a'), comparableReport(report, 'b'));
  formatComparison(comparison);
  JSON.stringify(comparison);
  runsTable([report, reference], ['a', 'b']);
  benchmarkComparison(report, reference, ['a', 'b'], '');
}

describe('the report shape (parseJsonReport, property-based)', () => {
  let valid: Json;
  let reference: BenchmarkReport;
  let memoryTest: Json;
  beforeAll(async () => {
    reference = await realReport();
    valid = JSON.parse(JSON.stringify(reference)) as Json;
    memoryTest = JSON.parse(JSON.stringify(makeMemoryTestReport())) as Json;
  });

  it('accepts a report or refuses it with a coded error; what it accepts, compare and the charts can use', () => {
    for (const original of [valid, memoryTest]) {
      const all = paths(original);
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...all), replacement), { minLength: 1, maxLength: 3 }), (mutations) => {
          const data = structuredClone(original);
          for (const [path, value] of mutations) mutate(data, path, value);
          let report: MemscopeReport;
          try {
            report = parseJsonReport(JSON.stringify(data), 'r.json');
          } catch (error) {
            expect(error).toBeInstanceOf(MemscopeError);
            expect(['MEMSCOPE_E_REPORT_CORRUPT', 'MEMSCOPE_E_REPORT_VERSION']).toContain((error as MemscopeError).code);
            return;
          }
          try {
            useDownstream(report, reference);
          } catch (error) {
            if (!(error instanceof MemscopeError)) throw error;
          }
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('refuses JSON that is not a report object at all', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        try {
          parseJsonReport(text, 'r.json');
        } catch (error) {
          expect(error).toBeInstanceOf(MemscopeError);
          return;
        }
        throw new Error(`accepted ${text}`);
      }),
      { numRuns: 1000 },
    );
  });
});
