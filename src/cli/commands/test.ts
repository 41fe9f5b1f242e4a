import { Command, Option } from 'commander';
import { join } from 'node:path';
import { MemscopeError, invalidOption } from '../../internal/errors.js';
import { heapDiffLine } from '../../report/heap-diff-section.js';
import { formatBytes } from '../../internal/units.js';
import { memoryTestNames, runMemoryTests } from '../../runner/memory-tests/run-memory-tests.js';
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
    .description('run the standard memory tests on the onboarding workload; exits 7 when one fails, 10 when a leak check is inconclusive')
    .option('--stress', 'high memory load: larger datasets and longer leak checks')
    .addOption(new Option('--test <name>', `run one test (repeatable): ${memoryTestNames().join(', ')}`).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .option('--out <dir>', 'also write the JSON report (and pictures) into this directory')
    .option('--json', 'print the results as JSON on stdout')
    .option('--heap-snapshots [dir]', 'snapshot the leak checks whatever their verdict (by default only when one suspects a leak), into dir (default: <out>/heap-snapshots), and diff them into the report');
  addFaultOptions(command, { perRequest: false });
  addPictureOptions(command);
  return command.action(async (flags: TestFlags) => {
    await test(flags);
  });
}

async function test(flags: TestFlags): Promise<void> {
  const names = flags.test ?? memoryTestNames();
  const snapshotDir = typeof flags.heapSnapshots === 'string' ? flags.heapSnapshots : flags.out === undefined ? null : join(flags.out, 'heap-snapshots');
  if (flags.heapSnapshots === true && snapshotDir === null) throw invalidOption('--heap-snapshots', 'a directory, or --out (the snapshots go into <out>/heap-snapshots)', true);
  const progress = createProgress('memory tests', names.length, { enabled: flags.json !== true });
  const quiet = flags.json === true;
  if (!quiet) console.log(`memscope test: ${names.length} memory test(s)${flags.stress === true ? ' (stress sizes)' : ''}${flags.injectLeak === undefined ? '' : `, leak injected: ${formatBytes(flags.injectLeak)}/s of ${flags.leakKind}`}`);
  const report = await runMemoryTests({
    stress: flags.stress === true,
    ...(flags.test === undefined ? {} : { only: flags.test }),
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
  const files = await writeReport(report, flags);
  const failed = report.tests.filter((t) => t.assertions.some(isFailure));
  const inconclusive = report.tests.filter((t) => !failed.includes(t) && t.assertions.some((a) => a.inconclusive === true));
  if (quiet) console.log(JSON.stringify({ passed: report.passed, files, tests: report.tests.map(summary) }));
  else {
    const counts = [`${report.tests.length - failed.length - inconclusive.length} passed`, `${failed.length} failed`, ...(inconclusive.length > 0 ? [`${inconclusive.length} inconclusive`] : [])];
    console.log(`\n${counts.join(', ')}${Object.keys(files).length > 0 ? `; wrote ${Object.values(files).join(', ')}` : ''}`);
  }
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
