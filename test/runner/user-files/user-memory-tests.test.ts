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
