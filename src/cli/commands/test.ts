import { Command, Option } from 'commander';
import { join } from 'node:path';
import { MemscopeError, invalidOption } from '../../internal/errors.js';
import { heapDiffLine } from '../../report/heap-diff-section.js';
import { formatBytes } from '../../internal/units.js';
import { checkTestNames, memoryTestNames, runMemoryTests } from '../../runner/memory-tests/run-memory-tests.js';
import type { MemoryTestDefinition } from '../../runner/memory-tests/types.js';
import { DEFAULT_MEMORY_TEST_GLOB, findDefaultMemoryFiles, findMemoryFiles } from '../../runner/user-files/find-files.js';
import { displayPath } from '../../runner/user-files/load-file.js';
import { UserCodeGuard } from '../../runner/user-files/guard.js';
import { loadMemoryTests } from '../../runner/user-files/user-tests.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { MemoryTestReport, MemoryTestResult } from '../../report/report-model.js';
import { addFaultOptions, toFaultOptions, type FaultFlags } from '../fault-options.js';
import { addPictureOptions, writePictures, type PictureFlags } from '../pictures.js';
import { createProgress } from '../progress.js';

interface TestFlags extends FaultFlags, PictureFlags {
  stress?: boolean;
  test?: string[];
  out?: string;
  json?: boolean;
  heapSnapshots?: string | true;
}

export function testCommand(): Command {
  const command = new Command('test')
    .description(`run memory tests: your own (files declaring defineMemoryTest from memscope/testing; by default ${DEFAULT_MEMORY_TEST_GLOB} found from here), or the bundled example's on the onboarding workload when there are none; exits 7 when one fails, 10 when a leak check is inconclusive, 15 when a file cannot be loaded`)
    .argument('[files...]', 'test files, directories or globs (default: every *.memory.js/.ts under the current directory)')
    .option('--stress', 'high memory load: each test\'s stress size (the bundled tests: larger datasets and longer leak checks)')
    .addOption(new Option('--test <name>', `run one test by name (repeatable); the bundled ones: ${memoryTestNames().join(', ')}`).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .option('--out <dir>', 'also write the JSON report (and pictures) into this directory')
    .option('--json', 'print the results as JSON on stdout')
    .option('--heap-snapshots [dir]', 'snapshot the leak checks whatever their verdict (by default only when one suspects a leak), into dir (default: <out>/heap-snapshots), and diff them into the report');
  addFaultOptions(command, { perRequest: false });
  addPictureOptions(command);
  return command.action(async (files: string[], flags: TestFlags) => {
    await test(files, flags);
  });
}

/** The user's tests and their files: those named, else those found from here; null: none, run the bundled tests. */
async function userTests(args: readonly string[], guard: UserCodeGuard): Promise<{ files: string[]; tests: MemoryTestDefinition[] } | null> {
  const cwd = process.cwd();
  const files = args.length > 0 ? await findMemoryFiles(args, cwd) : await findDefaultMemoryFiles(cwd);
  if (files.length === 0) return null;
  return { files: files.map((f) => displayPath(f, cwd)), tests: await loadMemoryTests(files, guard) };
}

async function test(args: string[], flags: TestFlags): Promise<void> {
  if (flags.out === undefined && (flags.plot !== undefined || flags.html === true)) throw invalidOption(flags.html === true ? '--html' : '--plot', 'given with --out (the pictures are written beside the JSON report there)', true);
  // Users' code runs in this process: nothing it does (a stray rejection, process.exit) decides memscope's outcome.
  const guard = new UserCodeGuard().start();
  try {
    await testGuarded(args, flags, guard);
  } finally {
    guard.stop();
  }
}

async function testGuarded(args: string[], flags: TestFlags, guard: UserCodeGuard): Promise<void> {
  const user = await userTests(args, guard);
  const available = user?.tests.map((t) => t.name) ?? memoryTestNames();
  const names = flags.test === undefined ? available : [...new Set(flags.test)];
  checkTestNames(names, available); // before the header line, which counts them
  const snapshotDir = typeof flags.heapSnapshots === 'string' ? flags.heapSnapshots : flags.out === undefined ? null : join(flags.out, 'heap-snapshots');
  if (flags.heapSnapshots === true && snapshotDir === null) throw invalidOption('--heap-snapshots', 'a directory, or --out (the snapshots go into <out>/heap-snapshots)', true);
  const progress = createProgress('memory tests', names.length, { enabled: flags.json !== true });
  const quiet = flags.json === true;
  const from = user === null ? ' (the bundled example)' : ` from ${user.files.length === 1 ? user.files[0] ?? '' : `${user.files.length} files`}`;
  if (!quiet) console.log(`memscope test: ${names.length} memory test(s)${from}${flags.stress === true ? ' (stress sizes)' : ''}${flags.injectLeak === undefined ? '' : `, leak injected: ${formatBytes(flags.injectLeak)}/s of ${flags.leakKind}`}`);
  const report = await runMemoryTests({
    ...(user === null ? {} : { tests: user.tests, files: user.files }),
    stress: flags.stress === true,
    ...(flags.test === undefined ? {} : { only: names }),
    faults: toFaultOptions(flags),
    injectLeakLabel: flags.injectLeak === undefined ? null : `${formatBytes(flags.injectLeak)}/s ${flags.leakKind}`,
    heapSnapshots: { directory: snapshotDir, always: flags.heapSnapshots !== undefined },
    onTestStart: (name, i) => {
      progress.update(i, name);
    },
    onTestEnd: (result) => {
      progress.done();
      if (!quiet) printResult(result);
    },
  });
  progress.done();
  const late = guard.takeEscaped();
  const files = await writeReport(report, flags);
  const failed = report.tests.filter((t) => t.assertions.some(isFailure));
  const inconclusive = report.tests.filter((t) => !failed.includes(t) && t.assertions.some((a) => a.inconclusive === true));
  if (quiet) console.log(JSON.stringify({ passed: report.passed, files, tests: report.tests.map(summary) }));
  else {
    const counts = [`${report.tests.length - failed.length - inconclusive.length} passed`, `${failed.length} failed`, ...(inconclusive.length > 0 ? [`${inconclusive.length} inconclusive`] : [])];
    console.log(`\n${counts.join(', ')}${Object.keys(files).length > 0 ? `; wrote ${Object.values(files).join(', ')}` : ''}`);
  }
  if (late.length > 0) throw new MemscopeError('MEMSCOPE_E_TEST_FAILED', `an error escaped the code under test after its test ended: ${late.slice(0, 3).join('; ')}`);
  if (failed.length > 0) {
    const lines = failed.map((t) => `${t.name}: ${t.assertions.filter(isFailure).map((a) => a.message).join('; ')}`);
    throw new MemscopeError('MEMSCOPE_E_TEST_FAILED', `${failed.length} of ${report.tests.length} memory tests failed: ${lines.join('; ')}`);
  }
  if (inconclusive.length > 0) {
    const lines = inconclusive.map((t) => `${t.name}: ${t.assertions.filter((a) => a.inconclusive === true).map((a) => a.message).join('; ')}`);
    throw new MemscopeError('MEMSCOPE_E_TEST_INCONCLUSIVE', `${inconclusive.length} of ${report.tests.length} memory tests could not judge a leak (not a pass): ${lines.join('; ')}`);
  }
}

function isFailure(a: MemoryTestResult['assertions'][number]): boolean {
  return !a.passed && a.inconclusive !== true;
}

function printResult(t: MemoryTestResult): void {
  const state = t.assertions.some(isFailure) ? 'FAIL' : t.passed ? 'PASS' : 'INCONCLUSIVE';
  console.log(`  ${state}  ${t.name} (${t.durationSec.toFixed(1)} s)`);
  for (const a of t.assertions) console.log(`        ${a.passed ? ' ' : a.inconclusive === true ? '?' : '✗'} ${a.message}`);
  if (t.heapDiff !== undefined && t.heapDiff.status !== 'none') console.log(`          ${heapDiffLine(t.heapDiff)}`);
}

function summary(t: MemoryTestResult) {
  return { name: t.name, passed: t.passed, durationSec: t.durationSec, assertions: t.assertions, figures: t.figures };
}

async function writeReport(report: MemoryTestReport, flags: TestFlags): Promise<Record<string, string>> {
  if (flags.out === undefined) return {};
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const base = join(flags.out, `memory-test-${stamp}`);
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(report)}\n`);
  return { json: `${base}.json`, ...(await writePictures(report, base, flags)) };
}
