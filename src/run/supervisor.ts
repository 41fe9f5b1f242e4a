import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MemscopeError, errorMessage } from '../internal/errors.js';
import { ENV } from './env-config.js';
import { REPORT_SIGNALS, signalMarkerPath } from './process-lifecycle.js';
import { claimPath, isAlive, readClaim } from './port-claim.js';
import { startedProcesses } from './collect.js';

export interface SuperviseOptions {
  /** The command and its arguments, run without a shell. */
  command: readonly string[];
  /** Where the processes write their reports (MEMSCOPE_REPORT_DIR). */
  runDir: string;
  /** The environment the command gets, before memscope adds its variables. @default process.env */
  env?: NodeJS.ProcessEnv;
  metricsPort?: number;
  metricsHost?: string;
  /** Called when the process that owns the metrics port serves /metrics (again, if the owner changes). */
  onMetricsUrl?: (url: string, pid: number) => void;
  /** After the command ends, how long its other processes get to write their reports. @default 5000 */
  graceMs?: number;
  /** How long a signal waits for the command to say it got the signal itself before it is forwarded. @default 100 */
  signalWaitMs?: number;
}

export interface SupervisedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The first signal memscope got while the command ran (Ctrl-C: SIGINT), or null. */
  interrupted: NodeJS.Signals | null;
  startedAt: number;
  endedAt: number;
}

/**
 * NODE_OPTIONS that preload memscope in every Node.js process of the command — Node processes started by it inherit
 * the variable, so `npm run`, `npx`, the tsx CLI and the program's own child processes are covered — both flavours:
 * `--import` (awaited before the program's first line, main thread) and `--require` (which Node also runs in worker
 * threads). Absolute paths of this copy of memscope: the command's project need not have memscope installed.
 */
export function preloadNodeOptions(existing: string | undefined): string {
  const requirePath = fileURLToPath(new URL('./register-require.cjs', import.meta.url));
  // A file URL needs no quoting (spaces are %20); a --require path is quoted the way NODE_OPTIONS understands.
  const importUrl = new URL('../register.js', import.meta.url).href;
  return [`--require ${quoteNodeOption(requirePath)}`, `--import ${importUrl}`, existing ?? ''].join(' ').trim();
}

function quoteNodeOption(value: string): string {
  return /[\s"\\]/.test(value) ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value;
}

/**
 * Runs the command with memscope preloaded and forwards SIGINT, SIGTERM and SIGHUP to it. A signal from the
 * terminal (Ctrl-C) reaches the whole foreground process group — the command too — so a signal is forwarded only
 * when the command does not say within `signalWaitMs` that it got it (the preload leaves a marker); a second one of
 * the same kind is forwarded at once. When the command ends, its other processes get `graceMs` to write their reports.
 */
export async function supervise(options: SuperviseOptions): Promise<SupervisedRun> {
  const [file, ...args] = options.command;
  if (file === undefined) throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', 'command must name a program to run; got nothing');
  const base = options.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...base,
    NODE_OPTIONS: preloadNodeOptions(base.NODE_OPTIONS),
    [ENV.reportDir]: options.runDir,
    ...(options.metricsPort === undefined ? {} : { [ENV.metricsPort]: String(options.metricsPort), [ENV.metricsHost]: options.metricsHost ?? '127.0.0.1' }),
  };
  const startedAt = Date.now();
  const child = spawn(file, args, { stdio: 'inherit', env });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (c, s) => { resolve([c, s]); });
  });
  try {
    await spawned;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MemscopeError('MEMSCOPE_E_COMMAND_NOT_STARTED', `cannot start ${JSON.stringify(file)}: ${code === 'ENOENT' ? 'not found' : errorMessage(error)}`, { cause: error });
  }

  let interrupted: NodeJS.Signals | null = null;
  const seen = new Map<NodeJS.Signals, number>();
  const waitMs = options.signalWaitMs ?? 100;
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted ??= signal;
    const times = (seen.get(signal) ?? 0) + 1;
    seen.set(signal, times);
    const pid = child.pid;
    if (times > 1 || pid === undefined) {
      if (running()) child.kill(signal);
      return;
    }
    setTimeout(() => {
      const marker = signalMarkerPath(options.runDir, pid);
      const got = existsSync(marker) && readFileSync(marker, 'utf8') === signal;
      rmSync(marker, { force: true });
      if (!got && running()) child.kill(signal);
    }, waitMs).unref();
  };
  for (const signal of REPORT_SIGNALS) process.on(signal, onSignal);
  const stopWatching = options.metricsPort === undefined ? () => undefined : watchMetrics(claimPath(options.runDir, options.metricsPort), options.onMetricsUrl);
  try {
    const [code, signal] = await exited;
    const endedAt = Date.now();
    await settle(options.runDir, options.graceMs ?? 5000);
    return { code, signal, interrupted, startedAt, endedAt };
  } finally {
    stopWatching();
    for (const signal of REPORT_SIGNALS) process.off(signal, onSignal);
  }
}

/** The shell's convention: the exit code, or 128 + the number of the signal that killed the command. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}

/** Waits until every process that started has written its report or is gone, for at most `graceMs`. */
async function settle(runDir: string, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const pending = startedProcesses(runDir).filter((p) => p.report?.complete !== true && isAlive(p.pid));
    if (pending.length === 0 || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function watchMetrics(path: string, onUrl: ((url: string, pid: number) => void) | undefined): () => void {
  let last: string | undefined;
  const timer = setInterval(() => {
    const claim = readClaim(path);
    if (claim?.url !== undefined && claim.url !== last) {
      last = claim.url;
      onUrl?.(claim.url, claim.pid);
    }
  }, 100);
  timer.unref();
  return () => { clearInterval(timer); };
}
