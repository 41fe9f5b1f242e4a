import { Command } from 'commander';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeServer, listenOn } from '../../exporter/metrics-server.js';
import { MemscopeError } from '../../internal/errors.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { RunProcessReport } from '../../report/report-model.js';
import { resolveLeakOptions } from '../../sdk/leak/leak-options.js';
import { chooseVerdictProcess } from '../../run/choose-process.js';
import { startedProcesses } from '../../run/collect.js';
import { ENV, readRegisterConfig, type RegisterConfig } from '../../run/env-config.js';
import { runHeapDiff } from '../../run/run-heap-diff.js';
import { runSummaryLines } from '../../run/print-run.js';
import { writeRunPictures } from '../../run/run-pictures.js';
import { buildRunReport } from '../../run/run-report.js';
import { exitStatus, supervise } from '../../run/supervisor.js';
import { parsePort } from '../options.js';
import { addPictureOptions, type PictureFlags } from '../pictures.js';

interface RunFlags extends PictureFlags {
  out: string;
  metricsPort?: number;
  metricsHost?: string;
  failOnLeak?: boolean;
  heapSnapshots?: string | true;
}

export function runCommand(): Command {
  const command = new Command('run')
    .description("run a command with memscope preloaded in every Node.js process it starts; write a report per process and the leak verdict of the one that did the work; exit with the command's status (docs/run.md)")
    .argument('<command...>', 'the command and its arguments, after -- (run without a shell)')
    .option('--out <dir>', 'directory for the run report, one report per process and the pictures', 'memscope-reports')
    .option('--metrics-port <port>', 'serve /metrics on this port while the command runs (one process binds it; 0: any free port)', parsePort('--metrics-port'))
    .option('--metrics-host <host>', 'interface /metrics listens on (default: MEMSCOPE_METRICS_HOST, else 127.0.0.1)')
    .option('--fail-on-leak', 'exit 11 (MEMSCOPE_E_LEAK_SUSPECTED) when the command succeeds but its verdict is a suspected leak')
    .option('--heap-snapshots [dir]', 'heap snapshot pairs on anomaly (and on SIGUSR2) in each process, into dir (default: <out>/heap-snapshots); the newest pair of the verdict\'s process is diffed into the reports');
  addPictureOptions(command);
  return command.action(async (argv: string[], flags: RunFlags) => {
    process.exitCode = await run(argv, flags);
  });
}

async function run(argv: string[], flags: RunFlags): Promise<number> {
  // The processes would each warn and run without memscope: refuse before starting anything instead.
  const config = readRegisterConfig();
  const leakOptions = config.leak === false ? undefined : resolveLeakOptions(config.leak);
  const metricsPort = flags.metricsPort ?? config.metricsPort;
  const metricsHost = flags.metricsHost ?? config.metricsHost;
  if (metricsPort !== undefined && metricsPort !== 0) await checkPortFree(metricsPort, metricsHost);
  const snapshotsEnv = heapSnapshotsEnv(flags, config);
  const runDir = mkdtempSync(join(tmpdir(), 'memscope-run-'));
  try {
    const result = await supervise({
      command: argv,
      runDir,
      env: { ...process.env, MEMSCOPE_ENABLED: '1', ...snapshotsEnv },
      ...(metricsPort === undefined ? {} : { metricsPort, metricsHost }),
      onMetricsUrl: (url, pid) => { console.error(`memscope run: /metrics at ${url} (pid ${pid})`); },
    });
    const processes = startedProcesses(runDir);
    const reports = processes.flatMap((p) => (p.report === undefined ? [] : [p.report]));
    const choice = chooseVerdictProcess(reports);
    const commandStatus = exitStatus(result.code, result.signal);
    const leaked = flags.failOnLeak === true && commandStatus === 0 && choice?.report.leak?.status === 'suspected';
    const status = leaked ? 11 : commandStatus;
    const stamp = new Date(result.startedAt).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    const base = join(flags.out, `run-${stamp}`);
    const files = new Map(reports.map((r) => [r.process.pid, `run-${stamp}-pid${r.process.pid}.json`]));
    const heapDiff = await runHeapDiff(choice?.report, snapshotsEnv[ENV.heapSnapshots] !== undefined);
    const report = buildRunReport({ command: argv, run: result, status, failOnLeak: flags.failOnLeak === true, processes, choice, files, heapDiff });
    await writeFileAtomic(`${base}.json`, `${JSON.stringify(report)}\n`);
    for (const r of reports) await writeFileAtomic(join(flags.out, files.get(r.process.pid) ?? ''), `${JSON.stringify(r)}\n`);
    const pictures = await writeRunPictures(report, ordered(reports, choice?.report), base, flags, leakOptions?.scales[0]?.minSlopeBytesPerSec ?? 0);
    for (const line of runSummaryLines(report, reports)) console.error(line);
    console.error(`memscope run: wrote ${[`${base}.json`, ...[...files.values()].map((f) => join(flags.out, f)), ...Object.values(pictures)].join(', ')}`);
    if (leaked) {
      throw new MemscopeError('MEMSCOPE_E_LEAK_SUSPECTED', `${report.leak?.summary ?? ''} (pid ${report.verdictProcess?.pid ?? '?'}: ${report.verdictProcess?.commandLine ?? ''})`);
    }
    return status;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

function ordered(reports: RunProcessReport[], first: RunProcessReport | undefined): RunProcessReport[] {
  return first === undefined ? reports : [first, ...reports.filter((r) => r !== first)];
}

/**
 * MEMSCOPE_HEAP_SNAPSHOTS for the command: the flag's directory (absolute: a process may change its directory) over
 * the options the variable already holds. The processes do not diff their own pairs (`analyse: false`, unless the
 * variable asks for it): the run diffs the pair it reports, after the command ended.
 */
function heapSnapshotsEnv(flags: RunFlags, config: RegisterConfig): Record<string, string> {
  const given = config.heapSnapshots;
  if (flags.heapSnapshots === undefined && given === undefined) return {};
  const directory = resolve(typeof flags.heapSnapshots === 'string' ? flags.heapSnapshots : given?.directory ?? join(flags.out, 'heap-snapshots'));
  return { [ENV.heapSnapshots]: JSON.stringify({ ...given, directory, analyse: given?.analyse ?? false }) };
}

/** A port that is already taken fails the run before the command starts (MEMSCOPE_E_LISTEN), not silently in it. */
async function checkPortFree(port: number, host: string): Promise<void> {
  const probe = createServer();
  await listenOn(probe, port, host);
  await closeServer(probe, 0);
}
