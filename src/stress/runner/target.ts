import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { MemscopeError } from '../../internal/errors.js';

/** What is driven: the example service (default), a running service, or a command started with memscope preloaded. */
export type TargetSpec =
  | { kind: 'example'; exampleArgs: readonly string[]; /** How the faults are named to people (`--inject-leak 2.00 MiB/s heap`). */ faults?: string }
  | { kind: 'url'; url: string; metricsUrl?: string }
  | { kind: 'command'; command: string; args: readonly string[]; url?: string };

export interface Target {
  /** Base URL the load goes to, without a trailing slash. */
  readonly url: string;
  readonly metricsUrl: string;
  /** `the example service (memscope serve --inject-leak 2MiB/s)`, `http://host:8080`, `node app.js`. */
  readonly description: string;
  /** The child's last lines of output (empty for a target not started here). */
  output(): string;
  /** Whether a child started here has exited on its own. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Stops a child started here (SIGTERM, SIGKILL after `graceMs`); nothing for a URL target. */
  stop(graceMs?: number): Promise<void>;
}

/** dist/cli/main.js and dist/register.js of this package, wherever it is installed. */
const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
export const REGISTER = fileURLToPath(new URL('../../register.js', import.meta.url));
const URL_IN_OUTPUT = /https?:\/\/(?:\[[0-9a-fA-F:]+\]|[\w.-]+):\d+/;

/** `env` adds to the environment of a target started here (heap snapshots: stress-heap-diff.ts). */
export async function startTarget(spec: TargetSpec, startTimeoutMs: number, env: (base: NodeJS.ProcessEnv) => NodeJS.ProcessEnv = (base) => base): Promise<Target> {
  if (spec.kind === 'url') {
    const url = trimSlash(spec.url);
    await waitForAnswer(url, startTimeoutMs, null);
    return { url, metricsUrl: spec.metricsUrl ?? `${url}/metrics`, description: url, output: () => '', exited: () => null, stop: () => Promise.resolve() };
  }
  if (spec.kind === 'example') {
    const child = startChild(process.execPath, [CLI, 'serve', '--port', '0', ...spec.exampleArgs], env(process.env));
    const url = await child.firstUrl(startTimeoutMs);
    const faults = spec.faults ?? spec.exampleArgs.join(' ');
    return { url, metricsUrl: `${url}/metrics`, description: `the example service (memscope serve${faults === '' ? '' : ` ${faults}`})`, ...child.handle };
  }
  // Without the preload in this build there is nothing that would serve /metrics inside the command.
  if (!existsSync(REGISTER)) {
    throw new MemscopeError('MEMSCOPE_E_USAGE', `memscope stress -- <command> needs memscope/register (${REGISTER}), which this build of memscope does not have; start the service yourself with memscope in it and use --target <url>`);
  }
  const metricsPort = await freePort();
  const child = startChild(spec.command, [...spec.args], env({
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${REGISTER}`.trim(),
    MEMSCOPE_METRICS_PORT: String(metricsPort),
  }));
  const url = spec.url === undefined ? await child.firstUrl(startTimeoutMs) : trimSlash(spec.url);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await waitForAnswer(metricsUrl, startTimeoutMs, child.handle);
  if (spec.url !== undefined) await waitForAnswer(url, startTimeoutMs, child.handle);
  return { url, metricsUrl, description: [spec.command, ...spec.args].join(' '), ...child.handle };
}

type Handle = Pick<Target, 'output' | 'exited' | 'stop'>;

function startChild(command: string, args: string[], env: NodeJS.ProcessEnv): { handle: Handle; firstUrl(timeoutMs: number): Promise<string> } {
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const listeners = new Set<() => void>();
  const keep = (chunk: string): void => {
    // The last 8 KiB: enough to say why a service died, bounded however much it logs.
    tail = (tail + chunk).slice(-8192);
    for (const l of [...listeners]) l();
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  child.on('error', (error) => {
    exit = { code: null, signal: null };
    keep(`cannot start ${command}: ${error.message}\n`);
  });
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit ??= { code, signal };
      for (const l of [...listeners]) l();
      resolve();
    });
    child.on('error', () => { resolve(); });
  });
  const handle: Handle = {
    output: () => tail,
    exited: () => exit,
    async stop(graceMs = 15_000) {
      if (exit !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
  const firstUrl = (timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        cleanup();
        void handle.stop(1000);
        reject(new MemscopeError('MEMSCOPE_E_TARGET', `${[command, ...args].join(' ')} ${why}; its output:\n${tail.trim()}`));
      };
      const look = (): void => {
        const m = URL_IN_OUTPUT.exec(tail);
        if (m !== null) {
          cleanup();
          resolve(trimSlash(m[0]));
        } else if (exit !== null) fail(`exited (${exit.signal ?? `code ${String(exit.code)}`}) before printing its URL`);
      };
      const timer = setTimeout(() => { fail(`printed no http://host:port within ${timeoutMs} ms (give --target <url>)`); }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(look);
      };
      listeners.add(look);
      look();
    });
  return { handle, firstUrl };
}

/** Any HTTP answer will do (a 404 on / is a live service); refused connections are retried until `timeoutMs`. */
async function waitForAnswer(url: string, timeoutMs: number, child: Handle | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await request(url, { headersTimeout: 5000, bodyTimeout: 5000 });
      await res.body.dump();
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    const exit = child?.exited();
    if (exit !== null && exit !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await child?.stop(1000);
  const output = child === null ? '' : `; its output:\n${child.output().trim()}`;
  throw new MemscopeError('MEMSCOPE_E_TARGET', `${url} does not answer (${last || 'the service exited'})${output}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0); });
    });
  });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
