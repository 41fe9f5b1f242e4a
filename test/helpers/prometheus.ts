import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';
const HINT = 'install it with: apt-get install -y --no-install-recommends prometheus (npm test does this itself)';

/** Throws (never skips) when a required binary is missing: in CI that is a broken build, locally it says what to do. */
export function requireBinary(command: string, hint: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    throw new Error(`${command} is not installed${process.env.CI ? ' (required on CI)' : ''}; ${hint}`);
  }
}

export interface PromSample { metric: Record<string, string>; value: [number, string] }

export interface RunningPrometheus {
  url: string;
  dir: string;
  query(expr: string): Promise<PromSample[]>;
  /** Polls `expr` until `accept` holds for its result (the first scraped sample takes ~5 s to be queryable). */
  waitFor(expr: string, accept: (result: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** prometheus.yml text; `files` are written next to it (rule files, for instance). */
  config: string;
  files?: Record<string, string>;
  args?: string[];
}

/** Runs a real Prometheus on 127.0.0.1 with its storage in a temp dir. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  requireBinary(PROMETHEUS, HINT);
  const dir = mkdtempSync(join(tmpdir(), 'memscope-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), options.config);
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--log.level=warn',
    ...(options.args ?? []),
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (log = (log + c).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  const query = async (expr: string): Promise<PromSample[]> =>
    (await api<{ result: PromSample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready after 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    dir,
    api,
    query,
    waitFor: async (expr, accept, timeoutMs = 60_000) => {
      const end = Date.now() + timeoutMs;
      let last: PromSample[] = [];
      for (;;) {
        last = await query(expr);
        if (accept(last)) return last;
        if (Date.now() > end) throw new Error(`timed out waiting for ${expr}; last result: ${JSON.stringify(last)}\nprometheus log:\n${log}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
