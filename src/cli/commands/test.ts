import { Command, Option } from 'commander';
import { join } from 'node:path';
import { MemscopeError } from '../../internal/errors.js';
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
}

export function testCommand(): Command {
  const command = new Command('test')
    .description('run the standard memory tests on the onboarding workload; exits 7 when one fails')
    .option('--stress', 'high memory load: larger datasets and longer leak checks')
    .addOption(new Option('--test <name>', `run one test (repeatable): ${memoryTestNames().join(', ')}`).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .option('--out <dir>', 'also write the JSON report (and pictures) into this directory')
    .option('--json', 'print the results as JSON on stdout');
  addFaultOptions(command, { perRequest: false });
  addPictureOptions(command);
  return command.action(async (flags: TestFlags) => {
    await test(flags);
  });
}

async function test(flags: TestFlags): Promise<void> {
  const names = flags.test ?? memoryTestNames();
  const progress = createProgress('memory tests', names.length, { enabled: flags.json !== true });
  const quiet = flags.json === true;
  if (!quiet) console.log(`memscope test: ${names.length} memory test(s)${flags.stress === true ? ' (stress sizes)' : ''}${flags.injectLeak === undefined ? '' : `, leak injected: ${formatBytes(flags.injectLeak)}/s of ${flags.leakKind}`}`);
  const report = await runMemoryTests({
    stress: flags.stress === true,
    ...(flags.test === undefined ? {} : { only: flags.test }),
    faults: toFaultOptions(flags),
    injectLeakLabel: flags.injectLeak === undefined ? null : `${formatBytes(flags.injectLeak)}/s ${flags.leakKind}`,
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
  if (quiet) console.log(JSON.stringify({ passed: report.passed, files, tests: report.tests.map(summary) }));
  else {
    const failed = report.tests.filter((t) => !t.passed);
    console.log(`\n${report.tests.length - failed.length} passed, ${failed.length} failed${Object.keys(files).length > 0 ? `; wrote ${Object.values(files).join(', ')}` : ''}`);
  }
  if (!report.passed) {
    const failed = report.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.assertions.filter((a) => !a.passed).map(describeFailure).join('; ')}`);
    throw new MemscopeError('MEMSCOPE_E_TEST_FAILED', `${failed.length} of ${report.tests.length} memory tests failed: ${failed.join('; ')}`);
  }
}

function printResult(t: MemoryTestResult): void {
  console.log(`  ${t.passed ? 'PASS' : 'FAIL'}  ${t.name} (${t.durationSec.toFixed(1)} s)`);
  for (const a of t.assertions) console.log(`        ${a.passed ? ' ' : '✗'} ${a.passed ? a.message : describeFailure(a)}`);
}

/** A failed growth assertion is a suspected leak: say so, and in which memory. */
function describeFailure(a: MemoryTestResult['assertions'][number]): string {
  if (a.unit !== 'bytes/s') return a.message;
  const where = a.name.startsWith('external') ? 'external memory (Buffers)' : 'the JS heap';
  return `leak suspected in ${where}: ${a.message}`;
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
