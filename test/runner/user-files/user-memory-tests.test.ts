import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkReport, MemoryTestReport } from '../../../src/report/report-model.js';
import { CLI, ROOT, runNode } from '../../helpers/child.js';

// `memscope test` and `memscope benchmark` on a project's own files: a directory with memscope in its node_modules (a
// link to this build, as an install would resolve it) and memory test files of its own — found by the default glob,
// loaded as ESM, CommonJS and TypeScript, judged with the vocabulary of memscope/testing, reported like the bundled tests.

const project = mkdtempSync(join(tmpdir(), 'memscope-user-tests-'));
afterAll(() => { rmSync(project, { recursive: true, force: true }); });

/** docs/memory-tests.md shows this file: a leaking test and a bounded one. */
const LEAKY_AND_BOUNDED = readFileSync(join(ROOT, 'test/fixtures/user-memory-tests/cache-memory.js'), 'utf8');

const COMMONJS = `const { defineMemoryTest } = require('memscope/testing');
module.exports = [
  defineMemoryTest({ name: 'cjs rows', run: () => Array.from({ length: 1000 }, String).length, limits: { retained: '256 KiB' } }),
];
`;

const TYPESCRIPT = `import { defineMemoryTest, type MemoryTestRunContext } from 'memscope/testing';

interface Row { name: string }

function rows({ size }: MemoryTestRunContext): number {
  const out: Row[] = [];
  for (let i = 0; i < size; i++) out.push({ name: \`SITE1.AHU-\${i}.SA-T\` });
  return out.length;
}

export default defineMemoryTest({ name: 'ts rows', sizes: { normal: 10_000, stress: 20_000 }, run: rows, limits: { peak: '32 MiB', retained: '512 KiB' } });
`;

/** docs/memory-tests.md shows this file: a workload for `memscope benchmark`. */
const WORKLOAD = readFileSync(join(ROOT, 'test/fixtures/user-memory-tests/ingest-workload.js'), 'utf8');

function write(path: string, text: string): string {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function memscope(args: string[], cwd = project) {
  return runNode([CLI, ...args], { cwd }).done;
}

/** Whether this Node runs .ts files itself (22.18+, 24): then TypeScript tests run; else they fail naming the fix. */
const stripsTypes = typeof (process.features as { typescript?: unknown }).typescript === 'string';

beforeAll(() => {
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'memscope'), 'dir');
  write('package.json', '{ "name": "user-project", "type": "module", "private": true }\n');
});

describe('memscope test on the project’s own files', () => {
  it('finds *.memory.* files from the current directory, fails the leaking test with the verdict and the heap diff, passes the bounded one', { timeout: 120_000 }, async () => {
    write('src/cache.memory.js', LEAKY_AND_BOUNDED);
    write('src/legacy/rows.memory.cjs', COMMONJS);
    // Never searched: dependencies and build output.
    write('node_modules/dep/broken.memory.js', 'throw new Error("a dependency\'s file was loaded")\n');
    write('dist/cache.memory.js', 'throw new Error("build output was loaded")\n');
    const { code, stdout, stderr } = await memscope(['test', '--out', 'reports']);
    expect(code, stderr).toBe(7);
    expect(stdout).toContain('memscope test: 3 memory test(s) from 2 files');
    expect(stdout).toMatch(/FAIL {2}cache without bounds/);
    expect(stdout).toMatch(/✗ leak verdict: leak suspected in JS heap: \+[\d.]+ KiB per run/);
    expect(stdout).toMatch(/PASS {2}parse stays small/);
    expect(stdout).toMatch(/PASS {2}cjs rows/);
    expect(stderr).toMatch(/MEMSCOPE_E_TEST_FAILED: 1 of 3 memory tests failed: cache without bounds: leak verdict: leak suspected/);
    const path = /wrote (\S+\.json)/.exec(stdout)?.[1] ?? '';
    const report = JSON.parse(readFileSync(join(project, path), 'utf8')) as MemoryTestReport;
    expect(report.config.files).toEqual(['src/cache.memory.js', 'src/legacy/rows.memory.cjs']);
    const leaky = report.tests.find((t) => t.name === 'cache without bounds');
    expect(leaky?.passed).toBe(false);
    expect(leaky?.leak?.status).toBe('suspected');
    expect(leaky?.phases.map((p) => p.name)).toContain('remember');
    expect(leaky?.timeline.length).toBeGreaterThan(0);
    // A suspected leak is snapshotted and diffed: the leaked objects and the Map that holds them.
    expect(leaky?.heapDiff?.status).toBe('diffed');
    expect(leaky?.heapDiff?.diff?.groups[0]?.heldBy.map((h) => h.holder).join(' ')).toMatch(/seen/);
    const bounded = report.tests.find((t) => t.name === 'parse stays small');
    expect(bounded?.description).toBe('Parses a batch and keeps only its length. (src/cache.memory.js)');
    expect(bounded?.assertions.map((a) => [a.name, a.passed])).toEqual([['peak memory (heap + external)', true], ['retained after GC', true], ['leak verdict', true]]);
    expect(bounded?.figures.size).toBe(20_000);
    expect(bounded?.figures.peakBytes).toBeGreaterThan(1024 * 1024);
  });

  it('runs what the arguments name: a file, a glob, a directory; --test picks by name and --stress takes the stress size', { timeout: 60_000 }, async () => {
    const run = await memscope(['test', 'src/**/*.cjs', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { tests: Array<{ name: string }> }).tests.map((t) => t.name)).toEqual(['cjs rows']);
    const picked = await memscope(['test', 'src', '--test', 'parse stays small', '--stress', '--json']);
    expect(picked.code, picked.stderr).toBe(0);
    const tests = (JSON.parse(picked.stdout) as { tests: Array<{ name: string; figures: Record<string, number> }> }).tests;
    expect(tests.map((t) => [t.name, t.figures.size])).toEqual([['parse stays small', 40_000]]);
    // A file's tests in the order of their export names (a module namespace is sorted), an array's in its order.
    const unknown = await memscope(['test', 'src/cache.memory.js', '--test', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--test must be one of "parse stays small", "cache without bounds"; got "nope"');
  });

  it(stripsTypes ? 'runs TypeScript test files where Node strips types' : 'refuses TypeScript test files on a Node that cannot run them, naming the fix', { timeout: 60_000 }, async () => {
    write('ts/rows.memory.ts', TYPESCRIPT);
    const { code, stdout, stderr } = await memscope(['test', 'ts', '--json']);
    if (stripsTypes) {
      expect(code, stderr).toBe(0);
      const tests = (JSON.parse(stdout) as { tests: Array<{ name: string; passed: boolean }> }).tests;
      expect(tests).toEqual([expect.objectContaining({ name: 'ts rows', passed: true })]);
    } else {
      expect(code).toBe(15);
      expect(stderr.trim()).toBe(`memscope: MEMSCOPE_E_TEST_FILE: ts/rows.memory.ts: Node ${process.version} does not run TypeScript files: use Node 22.18 or later (it strips the types itself), run memscope with a loader (NODE_OPTIONS='--import tsx' memscope …), or compile the file to JavaScript`);
    }
  });

  it('says which file is wrong, and why, with exit 15: a load error, nothing declared, two tests of one name, no match', { timeout: 60_000 }, async () => {
    write('bad/throws.memory.js', 'throw new Error("config missing");\n');
    write('bad/empty.memory.js', 'export const x = 1;\n');
    write('bad/dup-a.memory.js', "import { defineMemoryTest } from 'memscope/testing';\nexport default defineMemoryTest({ name: 'same', run: () => 1, limits: { peak: '1 MiB' } });\n");
    write('bad/dup-b.memory.js', "import { defineMemoryTest } from 'memscope/testing';\nexport default defineMemoryTest({ name: 'same', run: () => 2, limits: { peak: '1 MiB' } });\n");
    write('bad/typo.memory.js', "import { defineMemoryTest } from 'memscope/testing';\nexport default defineMemoryTest({ name: 't', run: () => 1, limits: { peek: '1 MiB' } });\n");
    const cases: Array<[string[], string]> = [
      [['bad/throws.memory.js'], 'memscope: MEMSCOPE_E_TEST_FILE: bad/throws.memory.js could not be loaded: config missing'],
      [['bad/empty.memory.js'], 'memscope: MEMSCOPE_E_TEST_FILE: bad/empty.memory.js declares no memory test: export one, e.g. export default defineMemoryTest({ name, run, limits }) (defineMemoryTest from memscope/testing)'],
      [['bad/dup-*.memory.js'], 'memscope: MEMSCOPE_E_TEST_FILE: two memory tests are named "same" (bad/dup-a.memory.js and bad/dup-b.memory.js): names pick tests (--test) and label reports, so each must be unique'],
      [['bad/typo.memory.js'], 'memscope: MEMSCOPE_E_TEST_FILE: bad/typo.memory.js could not be loaded: unknown option "limits.peek"; did you mean "limits.peak"?'],
      [['missing.memory.js'], `memscope: MEMSCOPE_E_TEST_FILE: missing.memory.js: no such file or directory (from ${project})`],
      [['nothing/**/*.memory.js'], `memscope: MEMSCOPE_E_TEST_FILE: no file matches nothing/**/*.memory.js under ${project} (**/*.memory.{js,mjs,cjs,ts,mts,cts} in a directory; node_modules, dist and coverage are not searched)`],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await memscope(['test', ...args]);
      expect(stderr.trim(), args.join(' ')).toBe(message);
      expect(code, args.join(' ')).toBe(15);
    }
  });

  it('fails a test whose own code throws, with its message, and runs the others', { timeout: 60_000 }, async () => {
    write('throwing/t.memory.js', `import { defineMemoryTest } from 'memscope/testing';
export const a = defineMemoryTest({ name: 'throws', run: () => { throw new Error('database unreachable'); }, limits: { peak: '8 MiB' } });
export const b = defineMemoryTest({ name: 'works', run: () => 1, limits: { peak: '8 MiB' } });
`);
    const { code, stdout } = await memscope(['test', 'throwing']);
    expect(code).toBe(7);
    expect(stdout).toContain('✗ runs without throwing: database unreachable');
    expect(stdout).toMatch(/PASS {2}works/);
  });
});

describe('memscope benchmark on the project’s own workload', () => {
  it('runs the workload file N times and reports its phases, items and rate as the bundled benchmark does', { timeout: 60_000 }, async () => {
    write('bench/ingest.memory.js', WORKLOAD);
    const { code, stdout, stderr } = await memscope(['benchmark', './bench/ingest.memory.js', '--iterations', '3', '--points', '5000', '--out', 'bench-out', '--json']);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as { files: { json: string }; iterations: number };
    expect(summary.iterations).toBe(3);
    const report = JSON.parse(readFileSync(join(project, summary.files.json), 'utf8')) as BenchmarkReport;
    expect(report.config.workload).toBe('ingest');
    expect(report.iterations.map((i) => i.pointsProcessed)).toEqual([5000, 5000, 5000]);
    expect(report.phases.map((p) => p.name)).toEqual(['generate', 'parse']);
    expect(report.summary.processingRate.mean).toBeGreaterThan(0);
    // compare reads it like any benchmark report.
    const compared = await memscope(['compare', summary.files.json, summary.files.json]);
    expect(compared.code, compared.stderr).toBe(0);
  });

  it('refuses a file without a workload, and a workload that throws, naming them (exit 15)', { timeout: 60_000 }, async () => {
    write('bench/none.memory.js', 'export const nothing = 1;\n');
    write('bench/throws.memory.js', "import { defineWorkload } from 'memscope/testing';\nexport const w = defineWorkload({ name: 'flaky', run: ({ iteration }) => { if (iteration === 2) throw new Error('disk full'); return 1; } });\n");
    const none = await memscope(['benchmark', 'bench/none.memory.js', '--out', 'bench-out']);
    expect(none.code).toBe(15);
    expect(none.stderr).toContain('bench/none.memory.js declares no workload');
    const throws = await memscope(['benchmark', 'bench/throws.memory.js', '--out', 'bench-out']);
    expect(throws.code).toBe(15);
    expect(throws.stderr.trim()).toBe('memscope: MEMSCOPE_E_TEST_FILE: the workload flaky threw in iteration 2: disk full');
  });
});

describe('what the code under test cannot do to memscope', () => {
  it('a floating rejection, a late throw, process.exit(), a promise that never settles: each fails its own test, the rest run, the report is written', { timeout: 120_000 }, async () => {
    write('hostile/h.memory.js', `import { defineMemoryTest } from 'memscope/testing';
export const a1 = defineMemoryTest({ name: 'floating rejection', run: () => { Promise.reject(new Error('nobody awaits me')); }, limits: { peak: '8 MiB' } });
export const a2 = defineMemoryTest({ name: 'late throw', run: () => { setTimeout(() => { throw new Error('thrown in a timer'); }, 1); return new Promise((r) => setTimeout(r, 50)); }, limits: { peak: '8 MiB' } });
export const a3 = defineMemoryTest({ name: 'exits', run: () => process.exit(0), limits: { peak: '8 MiB' } });
export const a4 = defineMemoryTest({ name: 'never settles', run: () => new Promise(() => {}), limits: { peak: '8 MiB' }, timeout: 500 });
export const a5 = defineMemoryTest({ name: 'sets exitCode', run: () => { process.exitCode = 3; }, limits: { peak: '8 MiB' } });
export const a6 = defineMemoryTest({ name: 'works', run: () => 1, limits: { peak: '8 MiB' } });
`);
    const { code, stdout, stderr } = await memscope(['test', 'hostile', '--out', 'hostile-out']);
    expect(code, stderr).toBe(7);
    expect(stdout).toMatch(/FAIL {2}floating rejection[^\n]*\n(?:.*\n)*? *✗ no error escapes the test: an unhandled rejection: nobody awaits me/);
    expect(stdout).toMatch(/FAIL {2}late throw[^\n]*\n(?:.*\n)*? *✗ no error escapes the test: an uncaught exception: thrown in a timer/);
    expect(stdout).toContain('✗ runs without throwing: process.exit(0) was called by the code under test; memscope decides its own exit status');
    expect(stdout).toContain('✗ settles within its timeout: the test (its timeout: 500 ms for all its runs) did not settle in time (a promise that never resolves?)');
    expect(stdout).toMatch(/PASS {2}sets exitCode/);
    expect(stdout).toMatch(/PASS {2}works/);
    expect(stdout).toMatch(/2 passed, 4 failed; wrote hostile-out\/memory-test-/);
    expect(stderr).toMatch(/^memscope: MEMSCOPE_E_TEST_FAILED: 4 of 6 memory tests failed/);
    // process.exitCode set by a passing test does not become memscope's status.
    const alone = await memscope(['test', 'hostile', '--test', 'sets exitCode']);
    expect(alone.code, alone.stderr).toBe(0);
  });

  it('refuses, naming the file, what only looks like a test: a forged brand, a throwing getter, a mistyped leak option (exit 15)', { timeout: 60_000 }, async () => {
    const H = "import { defineMemoryTest } from 'memscope/testing';\n";
    write('forged/f.memory.js', "export const a = { [Symbol.for('memscope.memoryTest')]: true, name: 'forged', run: 5, limits: {} };\n");
    write('getter/g.memory.js', `${H}export default { get a() { throw new Error('getter'); } };\n`);
    write('typo/t.memory.js', `${H}export default defineMemoryTest({ name: 't', run: () => 1, limits: { noLeak: { iterationz: 10 } } });\n`);
    const cases: Array<[string, string]> = [
      ['forged', 'memscope: MEMSCOPE_E_TEST_FILE: forged/f.memory.js: run must be the function under test; got 5'],
      ['getter', 'memscope: MEMSCOPE_E_TEST_FILE: getter/g.memory.js: its exports could not be read: getter'],
      ['typo', 'memscope: MEMSCOPE_E_TEST_FILE: typo/t.memory.js could not be loaded: unknown option "limits.noLeak.iterationz"; did you mean "limits.noLeak.iterations"?'],
    ];
    for (const [dir, message] of cases) {
      const { code, stderr } = await memscope(['test', dir]);
      expect(stderr.trim(), dir).toBe(message);
      expect(code, dir).toBe(15);
    }
  });

  it('counts none of memscope\'s phase bookkeeping in a test\'s peak and retained memory', { timeout: 60_000 }, async () => {
    // Twenty phase names recorded would cost ~400 KiB of memscope's own memory (measured); the work itself ~15 KiB.
    write('phases/p.memory.js', `import { defineMemoryTest } from 'memscope/testing';
export default defineMemoryTest({ name: 'many phases', run: ({ phase }) => { for (let i = 0; i < 20; i++) phase('step-' + i, () => i); }, limits: { peak: '256 KiB', retained: '64 KiB' } });
`);
    const { code, stdout, stderr } = await memscope(['test', 'phases']);
    expect(code, stdout + stderr).toBe(0);
  });

  it('follows globs outside the current directory and links to test files', { timeout: 60_000 }, async () => {
    write('elsewhere/e.memory.js', "import { defineMemoryTest } from 'memscope/testing';\nexport default defineMemoryTest({ name: 'elsewhere', run: () => 1, limits: { peak: '8 MiB' } });\n");
    mkdirSync(join(project, 'cwd', 'linked'), { recursive: true });
    symlinkSync(join(project, 'elsewhere', 'e.memory.js'), join(project, 'cwd', 'linked', 'l.memory.js'));
    const outside = await memscope(['test', '../elsewhere/*.memory.js', '--json'], join(project, 'cwd'));
    expect(outside.code, outside.stderr).toBe(0);
    const linked = await memscope(['test', 'linked', '--json'], join(project, 'cwd'));
    expect(linked.code, linked.stderr).toBe(0);
    expect((JSON.parse(linked.stdout) as { tests: Array<{ name: string }> }).tests.map((t) => t.name)).toEqual(['elsewhere']);
  });

  it('refuses a workload that returns no count it can rate or never settles, and pictures without --out', { timeout: 60_000 }, async () => {
    write('wl/huge.memory.js', "import { defineWorkload } from 'memscope/testing';\nexport default defineWorkload({ name: 'huge', run: () => 1e308 });\n");
    write('wl/hang.memory.js', "import { defineWorkload } from 'memscope/testing';\nexport default defineWorkload({ name: 'hang', run: () => new Promise(() => {}), timeout: 300 });\n");
    const huge = await memscope(['benchmark', 'wl/huge.memory.js', '--out', 'wl-out']);
    expect(huge.stderr.trim()).toBe('memscope: MEMSCOPE_E_TEST_FILE: the workload huge returned 1e+308 in iteration 1: return the number of items it processed (a whole number from 0 to 2^53), or nothing');
    expect(huge.code).toBe(15);
    const hang = await memscope(['benchmark', 'wl/hang.memory.js', '--out', 'wl-out']);
    expect(hang.stderr.trim()).toBe('memscope: MEMSCOPE_E_TEST_FILE: the workload hang: iteration 1 (its timeout: 300 ms) did not settle in time (a promise that never resolves?)');
    expect(hang.code).toBe(15);
    const html = await memscope(['test', 'src', '--html']);
    expect(html.code).toBe(2);
    expect(html.stderr).toContain('--html must be given with --out');
  });
});

