import { Command } from 'commander';
import { join } from 'node:path';
import { basename } from 'node:path';
import { MemscopeError } from '../../internal/errors.js';
import { runBenchmark, type BenchmarkWorkload } from '../../runner/benchmark.js';
import { findMemoryFiles } from '../../runner/user-files/find-files.js';
import { UserCodeGuard } from '../../runner/user-files/guard.js';
import { displayPath, loadUserFile, workloadOf } from '../../runner/user-files/load-file.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import { formatTextReport } from '../../report/text-report.js';
import { figure, mb } from '../../report/format.js';
import { parsePositiveInt } from '../options.js';
import { createProgress } from '../progress.js';
import { writePictures, addPictureOptions, type PictureFlags } from '../pictures.js';
import { addFaultOptions, toFaultOptions, type FaultFlags } from '../fault-options.js';

interface BenchmarkFlags extends PictureFlags, FaultFlags {
  iterations: number;
  points: number;
  batchSize: number;
  seed: number;
  out: string;
  json?: boolean;
}

export function benchmarkCommand(): Command {
  const command = new Command('benchmark')
    .description('run a workload N times — yours (a file exporting defineWorkload from memscope/testing) or the bundled onboarding workload — each iteration with a fresh profiler from a clean memory state, and write text and JSON reports')
    .argument('[file]', 'a workload file (.js, or .ts where Node strips types); default: the bundled onboarding workload')
    .option('--iterations <n>', 'iterations', parsePositiveInt('--iterations', 10_000), 3)
    .option('--points <n>', 'points per iteration (a workload file gets it as its size)', parsePositiveInt('--points', 50_000_000), 500)
    .option('--batch-size <n>', 'points per generated batch', parsePositiveInt('--batch-size', 1_000_000), 100)
    .option('--seed <n>', 'seed of the test data (iteration i uses seed + i - 1)', parsePositiveInt('--seed', 2 ** 32 - 1), 42)
    .option('--out <dir>', 'directory for the reports', 'reports')
    .option('--json', 'print a machine-readable summary on stdout');
  // Each iteration is one job for the per-job faults: a way to check that `compare` catches a real regression.
  addFaultOptions(command, { perRequest: true });
  addPictureOptions(command);
  return command.action(async (file: string | undefined, flags: BenchmarkFlags) => {
    await benchmark(file, flags);
  });
}

/** The workload a file declares, named as it says or by the file's name. */
async function userWorkload(arg: string): Promise<BenchmarkWorkload> {
  const files = await findMemoryFiles([arg], process.cwd());
  const file = files[0];
  if (file === undefined || files.length > 1) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${arg} matches ${files.length} files (${files.slice(0, 3).map((f) => displayPath(f)).join(', ')}${files.length > 3 ? ', …' : ''}): a benchmark runs one workload file`);
  const workload = workloadOf(await loadUserFile(file), file);
  return { name: workload.name ?? basename(displayPath(file)).replace(/\.[cm]?[jt]s$/, ''), run: (ctx) => workload.run(ctx), timeout: workload.timeout };
}

async function benchmark(file: string | undefined, flags: BenchmarkFlags): Promise<void> {
  if (file === undefined) {
    await benchmarkGuarded(undefined, flags, undefined);
    return;
  }
  // The user's workload runs in this process: nothing it does (a stray rejection, process.exit) decides the outcome.
  const guard = new UserCodeGuard().start();
  try {
    await benchmarkGuarded(await userWorkload(file), flags, guard);
  } finally {
    guard.stop();
  }
}

async function benchmarkGuarded(workload: BenchmarkWorkload | undefined, flags: BenchmarkFlags, guard: UserCodeGuard | undefined): Promise<void> {
  const progress = createProgress('benchmark', flags.iterations, { enabled: flags.json !== true });
  progress.update(0);
  const report = await runBenchmark({
    iterations: flags.iterations,
    points: flags.points,
    batchSize: flags.batchSize,
    seed: flags.seed,
    ...(workload === undefined ? {} : { workload }),
    faults: toFaultOptions(flags),
    onProgress: (done) => {
      progress.update(done);
    },
  });
  progress.done();
  await new Promise((resolve) => setImmediate(resolve));
  const escaped = guard?.takeEscaped() ?? [];
  if (flags.json !== true) for (const fault of report.config.faults ?? []) console.log(`memscope benchmark: FAULT INJECTED: ${fault}`);
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const base = join(flags.out, `benchmark-${stamp}`);
  const text = formatTextReport(report);
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(report)}\n`);
  await writeFileAtomic(`${base}.txt`, text);
  const pictures = await writePictures(report, base, flags);
  const files = { json: `${base}.json`, text: `${base}.txt`, ...pictures };
  if (flags.json === true) {
    const s = report.summary;
    console.log(JSON.stringify({ files, iterations: report.iterations.length, processingTimeSec: s.processingTimeSec, memoryUsageBytes: s.memoryUsageBytes, processingRate: s.processingRate }));
  } else {
    process.stdout.write(text);
    console.log(`\nwrote ${Object.values(files).join(', ')}`);
    console.log(`(${report.iterations.length} iterations, ${figure(report.summary.processingRate.mean)} points/second, ${mb(report.summary.memoryUsageBytes.mean)} MB)`);
  }
  // Written first (what was measured is kept), then refused: an error escaped the workload while it was measured.
  if (escaped.length > 0) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `the workload ${workload?.name ?? ''} let an error escape (the reports are written): ${escaped.slice(0, 3).join('; ')}`);
}
