import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/program.js';
import { ERROR_CODES } from '../../../src/internal/errors.js';
import { anyReport, reportJson } from '../helpers/arbitraries.js';
import { makeBenchmarkReport, makeMemoryTestReport } from '../helpers/fixtures.js';
import { scratchDir } from '../helpers/scratch.js';

/**
 * `memscope plot` and `memscope report` under generated command lines and report files: every run ends with a
 * documented exit status (0, or the code of a MEMSCOPE_E_* error), never an internal error, a crash or a hang, and
 * never leaves a partial or temporary file behind. In-process through main(), as the binary runs it.
 */
const dir = scratchDir('memscope-cli-props-');
const pool: Record<string, string> = {};
const DOCUMENTED = new Set([0, ...Object.values(ERROR_CODES).filter((c) => c !== ERROR_CODES.MEMSCOPE_E_INTERNAL).map((c) => c.exitCode)]);

beforeAll(() => {
  const bench = makeBenchmarkReport({ iterations: 3, n: 40 });
  const tests = makeMemoryTestReport({ leak: true });
  const huge = structuredClone(bench);
  huge.iterations[0]!.timeline[3]!.rss = 1e308;
  huge.iterations[1]!.timeline[5]!.time = -1e308;
  const files: Record<string, string> = {
    'bench.json': JSON.stringify(bench),
    'tests.json': JSON.stringify(tests),
    'huge.json': JSON.stringify(huge),
    'infinite.json': JSON.stringify(bench).replace(/"heapUsed":\d+/, '"heapUsed":1e309'),
    'empty.json': JSON.stringify({ ...bench, iterations: bench.iterations.map((it) => ({ ...it, timeline: [], phaseIntervals: [] })) }),
    'truncated.json': JSON.stringify(bench).slice(0, 300),
    'foreign.json': '{"hello":"world"}',
    'future.json': JSON.stringify({ ...bench, schemaVersion: 99 }),
    'text.txt': 'not a report at all\n',
    'blank.json': '',
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), content);
    pool[name] = join(dir, name);
  }
  mkdirSync(join(dir, 'a-directory'));
  pool['a-directory'] = join(dir, 'a-directory');
  pool.missing = join(dir, 'missing.json');
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const junk = fc.oneof(fc.constantFrom('', '0', '-1', '1e3', '12.5', 'abc', '99999999999', ' 480', '0x1f4'), fc.string({ maxLength: 8 }));
/** Mostly a value in range, now and then one just past it or junk. */
const valueOr = (valid: fc.Arbitrary<string>, wrong: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 24, arbitrary: valid }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: junk });
/** Usually absent. */
const rarely = <T>(value: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 20 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: value });
const title = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constant('</svg><script>x</script>'), fc.constant('x'.repeat(5000)));
const good = fc.constantFrom('bench.json', 'tests.json', 'huge.json', 'infinite.json', 'empty.json', 'generated', 'generated');
const bad = fc.constantFrom('truncated.json', 'foreign.json', 'future.json', 'text.txt', 'blank.json', 'a-directory', 'missing');

/** One command line: a command, its reports (from the pool or generated), and options, mostly right. */
const commandLine = fc.record({
  command: fc.constantFrom('plot', 'report'),
  reports: fc.oneof(
    { weight: 10, arbitrary: fc.array(good, { minLength: 1, maxLength: 2 }) },
    { weight: 2, arbitrary: fc.tuple(bad).map((r) => [...r]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(good, bad), { minLength: 0, maxLength: 3 }) },
  ),
  generated: anyReport,
  out: fc.oneof({ weight: 30, arbitrary: fc.constant('right') }, { weight: 1, arbitrary: fc.constant('png') }, { weight: 3, arbitrary: fc.constantFrom('.gif', '', '.json', '/', 'under-a-file', '.htm', '.SVG') }),
  width: valueOr(fc.integer({ min: 320, max: 1400 }).map(String), fc.constantFrom('319', '8001', '8000')),
  height: valueOr(fc.integer({ min: 240, max: 900 }).map(String), fc.constantFrom('239', '8001', '8000')),
  pixelRatio: valueOr(fc.constantFrom('1', '2', '3', '4'), fc.constantFrom('0', '5')),
  title: rarely(title, 6),
  iteration: rarely(fc.oneof({ weight: 8, arbitrary: fc.constantFrom('1', '2', '3') }, { weight: 1, arbitrary: fc.constantFrom('9', '0') }, { weight: 1, arbitrary: junk }), 4),
  test: rarely(fc.oneof({ weight: 8, arbitrary: fc.constantFrom('steady', 'burst', 'test-0', 'test-1') }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), 3),
  align: valueOr(fc.constantFrom('phases', 'elapsed'), fc.constantFrom('time', 'PHASES')),
  columns: valueOr(fc.integer({ min: 100, max: 3000 }).map(String), fc.constantFrom('99', '20001')),
  extra: rarely(fc.constantFrom('--bogus', '--out', '-x', 'stray')),
});

type CommandLine = typeof commandLine extends fc.Arbitrary<infer T> ? T : never;

let caseNumber = 0;

async function runCase(c: CommandLine): Promise<void> {
  const caseDir = join(dir, `case-${caseNumber++}`);
  mkdirSync(caseDir);
  const generated = join(caseDir, 'generated.json');
  writeFileSync(generated, reportJson(c.generated));
  const reports = (c.reports as string[]).map((r) => (r === 'generated' ? generated : (pool[r] as string)));
  writeFileSync(join(caseDir, 'a-file'), '');
  const ext = c.out === 'right' ? (c.command === 'plot' ? '.svg' : '.html') : c.out === 'png' ? '.png' : c.out;
  const out = ext === '/' ? caseDir : ext === 'under-a-file' ? join(caseDir, 'a-file', 'x.svg') : join(caseDir, `picture${ext}`);
  // A PNG costs a rasterization: kept to small sizes so that thousands of cases stay quick (sizes are checked anyway).
  const png = ext === '.png';
  const args = [c.command, ...reports, c.command === 'plot' ? '--out' : '--html', out];
  if (c.title !== undefined) args.push('--title', c.title);
  if (c.align !== undefined) args.push('--align', c.align);
  if (c.command === 'plot') {
    if (c.width !== undefined) args.push('--width', png ? String(Math.min(640, Number(c.width) || 0) || c.width) : c.width);
    if (c.height !== undefined) args.push('--height', png ? String(Math.min(480, Number(c.height) || 0) || c.height) : c.height);
    if (c.pixelRatio !== undefined) args.push('--pixel-ratio', png ? (c.pixelRatio === '1' || c.pixelRatio === '2' ? c.pixelRatio : 'abc') : c.pixelRatio);
    if (c.iteration !== undefined) args.push('--iteration', c.iteration);
    if (c.test !== undefined) args.push('--test', c.test);
  } else if (c.columns !== undefined) {
    args.push('--columns', c.columns);
  }
  if (c.extra !== undefined) args.push(c.extra);

  const code = await main(['node', 'memscope', ...args]);
  expect(DOCUMENTED.has(code), `exit ${code}: memscope ${args.join(' ')}`).toBe(true);
  const left = readdirSync(caseDir).filter((f) => f.endsWith('.tmp'));
  expect(left, args.join(' ')).toEqual([]);
  if (code === 0 && out !== caseDir) {
    const written = readFileSync(out);
    if (/\.svg$/i.test(out)) expect(written.toString('utf8').endsWith('</svg>\n')).toBe(true);
    if (/\.png$/i.test(out)) expect(written.subarray(1, 4).toString('latin1')).toBe('PNG');
    if (/\.html?$/i.test(out)) expect(written.toString('utf8').endsWith('</html>\n')).toBe(true);
  } else if (code !== 0 && out !== caseDir) {
    expect(existsSync(out), `a failed run left ${out}: memscope ${args.join(' ')}`).toBe(false);
  }
  rmSync(caseDir, { recursive: true, force: true });
}

describe('memscope plot and report under any command line', () => {
  it('always end with a documented exit status and never leave a partial file', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await fc.assert(fc.asyncProperty(commandLine, runCase), { numRuns: 2000 });
  }, 300_000);
});
