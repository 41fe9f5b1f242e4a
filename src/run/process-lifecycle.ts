import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Memscope } from '../exporter/start-memscope.js';
import { errorMessage } from '../internal/errors.js';
import type { WarnOnce } from '../internal/warnings.js';
import type { RunProcessInfo } from '../report/report-model.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import type { MetricsOwnership } from './metrics-ownership.js';
import { buildProcessReport, processReportPath, writeFileAtomicSync, type ProcessReportSource } from './process-report.js';
import type { SnapshotLog } from './snapshot-log.js';
import type { ThreadCollector } from './threads.js';
import { commandLine, knownWrapper } from './wrappers.js';

/** Signals after which the process writes its report before it goes (Ctrl-C, `kill`, a closed terminal). */
export const REPORT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long a process ending on a signal waits for memscope's shutdown (an OTLP flush) before it goes. */
const SIGNAL_FLUSH_MS = 2000;

export interface LifecycleOptions {
  reportDir: string | undefined;
  checkpointMs: number;
  threads: ThreadCollector | undefined;
  metrics: MetricsOwnership | undefined;
  warnings: WarnOnce;
  /** The process's heap snapshots (MEMSCOPE_HEAP_SNAPSHOTS), when capture is on. */
  snapshots?: SnapshotLog | undefined;
}

/** Files a process leaves in the report directory besides its report: `memscope run` reads them. */
export function startedMarkerPath(dir: string, pid: number): string {
  return join(dir, `${pid}.started`);
}
export function signalMarkerPath(dir: string, pid: number): string {
  return join(dir, `${pid}.signal`);
}
export function checkpointPath(dir: string, pid: number): string {
  return join(dir, `${pid}.checkpoint.json`);
}

/**
 * The main thread's life under the preload: a marker when it starts, a checkpoint of its report every
 * `checkpointMs`, its report when it exits — also when it ends on SIGINT, SIGTERM or SIGHUP, which end a process
 * without an `exit` event: memscope listens to them, writes the report, and, when nobody else listens, raises the
 * signal again so the process ends exactly as it would have (killed by that signal). A program with its own handler
 * keeps it: its handler decides, and the report is written at its exit.
 */
export class ProcessLifecycle {
  private readonly startedAt = performance.timeOrigin;
  private readonly cwd = process.cwd();
  private readonly wrapper: string | null;
  private readonly commandLine: string;
  private ended: { exitCode: number | null; signal: string | null } | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointing = false;
  private readonly onExit = (code: number): void => { this.finish({ exitCode: code, signal: null }); };
  private readonly onSignal = (signal: NodeJS.Signals): void => { this.signal(signal); };

  constructor(
    private readonly memscope: Memscope,
    private readonly options: LifecycleOptions,
  ) {
    this.wrapper = processWrapper();
    this.commandLine = commandLine(process.argv, process.execArgv, this.cwd);
  }

  start(): this {
    process.once('exit', this.onExit);
    const dir = this.options.reportDir;
    if (dir === undefined) return this;
    const writable = this.guard('marker', () => {
      writeFileAtomicSync(startedMarkerPath(dir, process.pid), JSON.stringify({ pid: process.pid, ppid: process.ppid, commandLine: this.commandLine, wrapper: this.wrapper, startedAt: this.startedAt }));
    });
    for (const signal of REPORT_SIGNALS) process.on(signal, this.onSignal);
    // The checkpoints' asynchronous writer creates missing directories the way that can spin (see make-directory.ts):
    // only into a directory that exists.
    if (writable && this.options.checkpointMs > 0) {
      this.checkpointTimer = setInterval(() => { void this.checkpoint(dir); }, this.options.checkpointMs);
      this.checkpointTimer.unref();
    }
    return this;
  }

  private source(): ProcessReportSource {
    return {
      profiler: this.memscope.profiler,
      info: () => this.info(),
      threads: () => this.options.threads?.reports() ?? [],
      heapSnapshots: () => this.options.snapshots?.report(),
    };
  }

  private info(): RunProcessInfo {
    const cpu = process.cpuUsage();
    return {
      pid: process.pid,
      ppid: process.ppid,
      argv: [...process.argv],
      execArgv: [...process.execArgv],
      commandLine: this.commandLine,
      wrapper: this.wrapper,
      cwd: this.cwd,
      startedAt: this.startedAt,
      endedAt: performance.timeOrigin + performance.now(),
      cpuUserSec: cpu.user / 1e6,
      cpuSystemSec: cpu.system / 1e6,
      exitCode: this.ended?.exitCode ?? null,
      signal: this.ended?.signal ?? null,
      metricsUrl: this.options.metrics?.url ?? null,
    };
  }

  private async checkpoint(dir: string): Promise<void> {
    if (this.ended !== undefined || this.checkpointing) return;
    this.checkpointing = true;
    try {
      // Its own file: a checkpoint still being written when the process ends must not replace the final report.
      await writeFileAtomic(checkpointPath(dir, process.pid), JSON.stringify(buildProcessReport(this.source(), false)));
    } catch (error) {
      this.options.warnings.warn('checkpoint', 'MEMSCOPE_W_PRELOAD', `memscope: could not write a checkpoint of the process report: ${errorMessage(error)}`);
    } finally {
      this.checkpointing = false;
    }
  }

  private signal(signal: NodeJS.Signals): void {
    const dir = this.options.reportDir;
    // Tells `memscope run` this process got the signal, so that it does not forward a second one (see supervisor.ts).
    if (dir !== undefined) this.guard('signal', () => { writeFileSync(signalMarkerPath(dir, process.pid), signal); });
    if (process.listenerCount(signal) > 1) return;
    this.finish({ exitCode: null, signal });
    const flushed = Promise.race([this.memscope.shutdown(), new Promise((resolve) => setTimeout(resolve, SIGNAL_FLUSH_MS).unref())]);
    void flushed.then(() => {
      for (const s of REPORT_SIGNALS) process.off(s, this.onSignal);
      process.kill(process.pid, signal);
    });
  }

  /** Writes the final report, once. Synchronous: it runs in the `exit` handler. */
  private finish(end: { exitCode: number | null; signal: string | null }): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    process.off('exit', this.onExit);
    if (this.checkpointTimer !== undefined) clearInterval(this.checkpointTimer);
    this.options.metrics?.stop();
    this.options.threads?.stop();
    this.memscope.profiler.stop();
    const dir = this.options.reportDir;
    if (dir === undefined) return;
    try {
      writeFileAtomicSync(processReportPath(dir, process.pid), JSON.stringify(buildProcessReport(this.source(), true)));
    } catch (error) {
      // A warning would be emitted on the next tick, which never comes at exit: stderr directly.
      process.stderr.write(`memscope: could not write the process report into ${dir}: ${errorMessage(error)}\n`);
    }
  }

  private guard(key: string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (error) {
      this.options.warnings.warn(key, 'MEMSCOPE_W_PRELOAD', `memscope: could not write into the report directory ${this.options.reportDir ?? ''}: ${errorMessage(error)}`);
      return false;
    }
  }
}

/** The wrapper this process is, by its script path as given and as resolved through symlinks (`/usr/bin/npm`). */
export function processWrapper(): string | null {
  const script = process.argv[1];
  let real: string | undefined;
  try {
    real = script === undefined ? undefined : realpathSync(script);
  } catch {
    real = undefined;
  }
  return knownWrapper([script, real]);
}
