import { captureEnvironment } from '../report/environment.js';
import {
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  type RunProcessReport,
  type RunProcessSummary,
  type RunReport,
} from '../report/report-model.js';
import type { HeapDiffSection } from '../report/heap-diff-section.js';
import { MEMSCOPE_VERSION } from '../version.js';
import type { VerdictChoice } from './choose-process.js';
import type { StartedProcess } from './collect.js';
import type { SupervisedRun } from './supervisor.js';

export interface RunReportInput {
  command: readonly string[];
  run: SupervisedRun;
  status: number;
  failOnLeak: boolean;
  processes: readonly StartedProcess[];
  choice: VerdictChoice | undefined;
  /** The process report's file name of each pid written. */
  files: ReadonlyMap<number, string>;
  /** The diff of the verdict's process's newest snapshot pair, or why there is none. */
  heapDiff?: HeapDiffSection;
}

/** The run's own report: the command, how it ended, the process table and the verdict of the chosen process. */
export function buildRunReport(input: RunReportInput): RunReport {
  const chosen = input.choice?.report;
  const environment = captureEnvironment();
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'run',
    generatedAt: new Date().toISOString(),
    tool: { name: 'memscope', version: MEMSCOPE_VERSION },
    environment,
    limits: chosen?.limits ?? { heapLimitBytes: environment.heapLimitBytes, containerLimitBytes: environment.containerLimitBytes },
    command: [...input.command],
    startedAt: input.run.startedAt,
    endedAt: input.run.endedAt,
    exit: { code: input.run.code, signal: input.run.signal, status: input.status },
    failOnLeak: input.failOnLeak,
    verdictProcess: chosen === undefined || input.choice === undefined
      ? null
      : { pid: chosen.process.pid, commandLine: chosen.process.commandLine, reason: input.choice.reason },
    ...(chosen?.leak === undefined ? {} : { leak: chosen.leak }),
    ...(chosen?.leakBaselines === undefined ? {} : { leakBaselines: chosen.leakBaselines }),
    processes: input.processes.map((p) => summarise(p, input.files.get(p.pid) ?? null)),
    ...(input.heapDiff === undefined ? {} : { heapDiff: input.heapDiff }),
  };
}

function summarise(p: StartedProcess, file: string | null): RunProcessSummary {
  const r = p.report;
  if (r === undefined) {
    return { pid: p.pid, ppid: p.ppid, commandLine: p.commandLine, wrapper: p.wrapper, cpuSec: 0, durationSec: 0, complete: false, peakRssBytes: 0, peakHeapUsedBytes: 0, threads: 0, report: null, leak: null };
  }
  return {
    pid: p.pid,
    ppid: r.process.ppid,
    commandLine: r.process.commandLine,
    wrapper: r.process.wrapper,
    cpuSec: r.process.cpuUserSec + r.process.cpuSystemSec,
    durationSec: (r.process.endedAt - r.process.startedAt) / 1000,
    complete: r.complete,
    peakRssBytes: peakOf(r, 'rss'),
    peakHeapUsedBytes: peakOf(r, 'heapUsed'),
    threads: r.threads.length,
    report: file,
    leak: r.leak === undefined ? null : { status: r.leak.status, summary: r.leak.summary },
  };
}

/** The highest value of a figure over a process's timeline (folded points keep their maxima). */
export function peakOf(r: RunProcessReport, field: 'rss' | 'heapUsed' | 'external'): number {
  let peak = 0;
  for (const s of r.timeline) peak = Math.max(peak, s.folded?.max[field] ?? s[field]);
  return peak;
}
