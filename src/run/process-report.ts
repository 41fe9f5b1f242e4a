import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { captureEnvironment } from '../report/environment.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type Environment, type RunProcessInfo, type RunHeapSnapshots, type RunProcessReport, type RunThreadReport } from '../report/report-model.js';
import type { MemoryProfiler } from '../sdk/memory-profiler.js';
import { MEMSCOPE_VERSION } from '../version.js';
import { makeDirectory } from './make-directory.js';

export interface ProcessReportSource {
  profiler: MemoryProfiler;
  info(): RunProcessInfo;
  threads(): RunThreadReport[];
  /** What the process's heap snapshots captured; undefined when capture is off. */
  heapSnapshots?(): RunHeapSnapshots | undefined;
}

let environment: Environment | undefined;

/** The process's report now: `complete` when it is the last (the process is ending), else a checkpoint. */
export function buildProcessReport(source: ProcessReportSource, complete: boolean): RunProcessReport {
  const { profiler } = source;
  // Read once, when the first report is written: nothing of it changes while the process runs.
  environment ??= captureEnvironment();
  const leak = profiler.getLeakVerdict();
  const baselines = profiler.getLeakBaselines();
  const snapshots = source.heapSnapshots?.();
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'run-process',
    generatedAt: new Date().toISOString(),
    tool: { name: 'memscope', version: MEMSCOPE_VERSION },
    environment,
    limits: { heapLimitBytes: profiler.getHeapLimit(), containerLimitBytes: profiler.getContainerLimit() },
    process: source.info(),
    complete,
    timeline: profiler.getMemoryTimeline(),
    phases: profiler.getPhaseStats(),
    phaseIntervals: profiler.getPhaseIntervals(),
    ...(leak === undefined ? {} : { leak }),
    ...(baselines === undefined ? {} : { leakBaselines: baselines }),
    threads: source.threads(),
    ...(snapshots === undefined ? {} : { heapSnapshots: snapshots }),
  };
}

/**
 * Writes a file so that a reader sees the old content or the new, never half of it — synchronously, because the
 * last report is written in an `exit` handler, where nothing asynchronous runs any more. No fsync: the reader is
 * `memscope run` on the same machine, right away, which the page cache serves; a power cut loses the run anyway.
 */
export function writeFileAtomicSync(path: string, data: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    makeDirectory(dirname(path));
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The report file of a process in a report directory. */
export function processReportPath(dir: string, pid: number): string {
  return join(dir, `${pid}.json`);
}
