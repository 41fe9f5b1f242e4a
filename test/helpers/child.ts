import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/cli/main.js`;

export interface ChildRun {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) and everything printed. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Spawns a Node program the way a user would (no shell), collecting its output. */
export function runNode(args: string[], options: { env?: NodeJS.ProcessEnv; execPath?: string; cwd?: string } = {}): ChildRun {
  const child = spawn(options.execPath ?? process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => { resolve({ code, signal, stdout: out, stderr: err }); });
  });
  return {
    child,
    done,
    stdout: () => out,
    stderr: () => err,
    waitForLine: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const m = out.match(pattern);
        if (m) {
          resolve(m);
          return;
        }
        const timer = setTimeout(() => { reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`)); }, timeoutMs);
        waiters.push({ pattern, resolve: (v) => { clearTimeout(timer); resolve(v); } });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before printing ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        });
      }),
  };
}
