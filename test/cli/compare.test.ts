import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { formatTextReport } from '../../src/report/text-report.js';
import { CLI, runNode } from '../helpers/child.js';
import { scratch, withIterations } from '../report/report-fixtures.js';

const MIB = 1024 * 1024;
const memscope = (...args: string[]) => runNode([CLI, ...args]).done;
const tmp = scratch('compare');
afterAll(() => {
  tmp.remove();
});

/** Two real benchmark runs of the same configuration, written by the CLI as a user would. */
let runs: Array<{ json: string; text: string }> = [];
let report: BenchmarkReport;
beforeAll(async () => {
  runs = [];
  for (const name of ['a', 'b']) {
    const run = await memscope('benchmark', '--iterations', '3', '--points', '500', '--out', `${tmp.dir}/${name}`, '--json');
    expect(run.code, run.stderr).toBe(0);
    runs.push((JSON.parse(run.stdout) as { files: { json: string; text: string } }).files);
  }
  report = JSON.parse(readFileSync(runs[0]!.json, 'utf8')) as BenchmarkReport;
}, 120_000);

const write = (name: string, r: BenchmarkReport): string => tmp.file(name, JSON.stringify(r));

describe('memscope compare', () => {
  it('finds no regression between two real runs of the same configuration, in either format', async () => {
    const [a, b] = [runs[0]!, runs[1]!];
    for (const [x, y] of [[a.json, b.json], [a.text, b.text], [a.json, b.text], [b.json, a.json]] as const) {
      const run = await memscope('compare', x, y, '--fail-on-regression', '10%');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^0 regression\(s\), 0 improvement\(s\), \d+ unchanged, \d+ inconclusive$/m);
      expect(run.stdout).not.toMatch(/^(flagged|FORCED)/m);
    }
  });

  it('exits 6 on a clear regression built from known per-iteration values, naming it', async () => {
    const base = withIterations(report, [0.02, 0.021, 0.019], [4.0 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const worse = withIterations(report, [0.02, 0.021, 0.019], [6.0 * MIB, 6.1 * MIB, 6.05 * MIB]);
    const run = await memscope('compare', write('base.json', base), write('worse.json', worse), '--fail-on-regression', '10%');
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/^memory usage .* REGRESSION +shown by the spread$/m);
    expect(run.stderr).toMatch(/^memscope: MEMSCOPE_E_REGRESSION: 1 regression\(s\) beyond 10\.0%: memory usage \+49\.4%\n$/);
    const loose = await memscope('compare', write('base.json', base), write('worse.json', worse), '--fail-on-regression', '60%');
    expect(loose.code).toBe(0);
  });

  it('refuses runs of different points per iteration with exit 12, and compares them with --force, saying so', async () => {
    const bigger = structuredClone(report);
    bigger.config.pointsPerIteration = 5000;
    const other = write('bigger.json', bigger);
    const refused = await memscope('compare', runs[0]!.json, other);
    expect(refused.code).toBe(12);
    expect(refused.stderr).toMatch(/^memscope: MEMSCOPE_E_NOT_COMPARABLE: the runs did different work, .*points per iteration differs: 500 → 5000 .*--force compares them anyway\n$/);
    expect(refused.stdout).toBe('');
    const machine = await memscope('compare', runs[0]!.json, other, '--json');
    expect(machine.code).toBe(12);
    expect(JSON.parse(machine.stdout)).toMatchObject({ refused: true, configDifferences: [{ label: 'points per iteration', action: 'refuse' }] });
    const forced = await memscope('compare', runs[0]!.json, other, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^FORCED: {2}points per iteration differs: 500 → 5000/m);
  });

  it('flags a different Node.js version in the header of the text and the JSON output alike', async () => {
    const upgraded = structuredClone(report);
    upgraded.environment.node = '24.11.1';
    const path = write('node24.json', upgraded);
    const text = await memscope('compare', runs[0]!.json, path);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^flagged: Node\\.js differs: ${process.versions.node.replace(/\./g, '\\.')} → 24\\.11\\.1 \\(a legitimate question`, 'm'));
    const json = await memscope('compare', runs[0]!.json, path, '--json');
    const parsed = JSON.parse(json.stdout) as { refused: boolean; forced: boolean; configDifferences: Array<{ label: string; action: string; current: string }> };
    expect(parsed).toMatchObject({ refused: false, forced: false, configDifferences: [{ label: 'Node.js', action: 'flag', current: '24.11.1' }] });
  });

  it('refuses malformed, oversized and unknown files with their codes, never exit 70', async () => {
    const malformed = structuredClone(report) as unknown as { phases: unknown[] };
    malformed.phases = [{ name: 'x' }, null, 5];
    const cases: Array<[string[], number, RegExp]> = [
      [[write('malformed.json', malformed as unknown as BenchmarkReport)], 4, /MEMSCOPE_E_REPORT_CORRUPT: .*malformed\.json is malformed: phases\[0\]\.count: missing/],
      [[tmp.file('bom.json', `\ufeff${JSON.stringify(report)}`)], 0, /^$/],
      [[runs[1]!.json, '--max-report-size', '2KiB'], 4, /MEMSCOPE_E_REPORT_TOO_LARGE: .* is larger than 2\.00 KiB/],
      [[runs[1]!.json, '--max-report-size', '1GiB'], 2, /--max-report-size must be a size from 1KiB to 500MiB/],
      [[tmp.file('junk.txt', 'Iteration 1:' + '\n'.repeat(100_000))], 4, /no "MEMORY USAGE REPORT" header/],
    ];
    for (const [args, code, stderr] of cases) {
      const run = await memscope('compare', runs[0]!.json, ...args);
      expect(run.code, run.stderr).toBe(code);
      expect(run.stderr).toMatch(stderr);
    }
  });

  it('prints names from report files escaped, so they cannot forge lines in a CI log', async () => {
    const forged = structuredClone(report);
    forged.phases[2]!.name = 'x\n\n0 regression(s), 0 improvement(s), 40 unchanged, 0 inconclusive\n\u001b[8m';
    const path = write('forged.json', forged);
    const run = await memscope('compare', path, path);
    expect(run.stdout.match(/^0 regression\(s\)/gm)).toHaveLength(1);
    expect(run.stdout).not.toContain('\u001b');
    const json = await memscope('compare', path, path, '--json');
    expect(json.stdout).not.toContain('\u001b');
    expect((JSON.parse(json.stdout) as { onlyInBaseline: string[]; differences: Array<{ phase: string | null }> }).differences.some((d) => d.phase === forged.phases[2]!.name)).toBe(true);
  });

  it('explains the verdicts and the refusals in --help', async () => {
    const help = await memscope('compare', '--help');
    expect(help.code).toBe(0);
    for (const text of ['--time-tolerance', '--force', '--max-report-size', 'inconclusive', 'MEMSCOPE_E_NOT_COMPARABLE', "Welch's t-test"]) expect(help.stdout).toContain(text);
  });
});

describe('memscope compare, arguments (property-based, in process)', () => {
  it('exits with a documented status for any arguments, and never as an internal error', async () => {
    const files = {
      json: runs[0]!.json,
      text: runs[1]!.text,
      bigger: write('p-bigger.json', { ...structuredClone(report), config: { ...report.config, pointsPerIteration: 7 } }),
      malformed: tmp.file('p-malformed.json', '{"schema":"memscope.report","schemaVersion":1,"kind":"benchmark","summary":{}}'),
      text2: tmp.file('p-report.txt', formatTextReport(report)),
      missing: `${tmp.dir}/missing.json`,
      dir: tmp.dir,
      empty: tmp.file('p-empty.json', ''),
    };
    const token = fc.oneof(
      fc.constantFrom(...Object.values(files)),
      fc.constantFrom('--tolerance', '--time-tolerance', '--fail-on-regression', '--force', '--json', '--max-report-size', '--help', '-h', '--', '--unknown'),
      fc.constantFrom('10%', '0', '-5%', 'NaN', '1e400', '200%', '64KiB', '1KiB', '500MiB', 'abc', ''),
      fc.string({ maxLength: 12 }),
    );
    const documented = new Set([0, 2, 3, 4, 5, 6, 12]);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (args) => {
          stderr.mockClear();
          const code = await main(['node', 'memscope', 'compare', ...args]);
          const errors = stderr.mock.calls.map((c) => String(c[0])).join('');
          expect(documented.has(code), `exit ${code} for ${JSON.stringify(args)}: ${errors}`).toBe(true);
          expect(errors).not.toMatch(/MEMSCOPE_E_INTERNAL|\n\s+at /);
        }),
        { numRuns: 1500 },
      );
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      log.mockRestore();
    }
  }, 120_000);
});
