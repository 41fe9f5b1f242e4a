// Child processes of the benchmark: spawned with their stdout read line by line, waited on for a line, stopped with
// SIGTERM then SIGKILL — and every one of them, with every cgroup, cleaned up on Ctrl-C, SIGTERM or exit, so an
// interrupted benchmark leaves no service listening and no cgroup behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { removeCgroupDir } from './cgroup.js';

const live = new Set<ChildProcess>();
const cgroups = new Set<string>();
let handlersInstalled = false;

function installCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = (): void => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of cgroups) removeCgroupDir(dir);
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nsignal-quality: ${signal}: stopping every child process and removing cgroups`);
      killAll();
      process.exit(130);
    });
  }
}

/** Tracks a cgroup directory so that an interrupted run removes it. */
export function trackCgroup(dir: string): () => void {
  installCleanup();
  cgroups.add(dir);
  return () => {
    cgroups.delete(dir);
  };
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every stdout and stderr line so far (the last 2000), for diagnosis when something fails. */
  readonly output: string[];
  /** Resolves on exit with the code or the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line matching `pattern` (its match), rejects after `timeoutMs` or if the child exits. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Calls `listener` with every line from now on. */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves on exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Child {
  installCleanup();
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const onLine = (line: string): void => {
    output.push(line);
    if (output.length > 2000) output.shift();
    for (const listener of listeners) listener(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (error) => {
      onLine(`spawn error: ${error.message}`);
      live.delete(child);
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });
  return {
    process: child,
    pid: child.pid ?? -1,
    output,
    exited,
    waitFor(pattern, timeoutMs) {
      for (const line of output) {
        const match = pattern.exec(line);
        if (match !== null) return Promise.resolve(match);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; last output:\n${output.slice(-20).join('\n')}`));
        }, timeoutMs);
        listeners.push((line) => {
          const match = pattern.exec(line);
          if (match === null) return;
          clearTimeout(timer);
          resolve(match);
        });
        void exited.then((info) => {
          clearTimeout(timer);
          reject(new Error(`exited (code ${info.code}, signal ${info.signal}) before a line matching ${pattern}; last output:\n${output.slice(-20).join('\n')}`));
        });
      });
    },
    onLine(listener) {
      listeners.push(listener);
    },
    async stop(graceMs = 5000) {
      if (exitInfo !== undefined) return exitInfo;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
}

/** An environment for a measured child: this one without NODE_OPTIONS (a parent's flags must not leak in), plus `extra` (undefined values left out). */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _parentNodeOptions, ...env } = process.env;
  const defined = Object.entries(extra).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { ...env, ...Object.fromEntries(defined) };
}
