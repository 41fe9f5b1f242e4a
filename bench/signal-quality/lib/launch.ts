// Starts a shape's service (fresh process, in a memory cgroup for the container setting) and its load generator.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryCgroup, wrapInCgroup, type MemoryCgroup } from './cgroup.js';
import { childEnv, startChild, trackCgroup, type Child } from './processes.js';
import type { Setting, ShapeSpec } from './shapes.js';

export const SQ_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(SQ_DIR, '..', '..');

/** compose.yaml's BMS_NODE_OPTIONS default, with its mem_limit (512m) as the cgroup limit. */
export const CONTAINER_NODE_OPTIONS = '--max-old-space-size=256';

/** The memscope build under test: --dist, else MEMSCOPE_DIST, else this checkout's dist/. */
export function resolveDist(flag?: string): string {
  const dist = resolve(flag ?? process.env.MEMSCOPE_DIST ?? join(ROOT, 'dist'));
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'cli', 'main.js'))) {
    throw new Error(`${dist} is not a memscope build (no index.js and cli/main.js): build it with npx tsc -p tsconfig.build.json`);
  }
  return dist;
}

export interface ServiceHandle {
  readonly child: Child;
  readonly url: string;
  /** Epoch ms when the process was spawned: the start of a time-driven leak. */
  readonly spawnedAt: number;
  readonly readyAt: number;
  /** Stops the process and removes its cgroup. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LaunchOptions {
  dist: string;
  setting: Setting;
  /** Distinguishes concurrent runs (cgroup name). */
  id: string;
  seed: number;
  /** Extra preloads (the trace recorder) and environment. */
  imports?: string[];
  env?: Record<string, string>;
}

const READY = /listening on (http:\/\/[^\s)]+)/;

export async function startService(shape: ShapeSpec, options: LaunchOptions): Promise<ServiceHandle> {
  const preloads = [join(SQ_DIR, 'shapes', 'lib', 'probe.mjs'), ...(options.imports ?? [])].flatMap((file) => ['--import', file]);
  // --expose-gc only serves the probe's forced GC; it changes nothing in how V8 collects.
  const nodeArgs = ['--expose-gc', ...preloads];
  const args = shape.service.kind === 'express'
    ? [...nodeArgs, join(SQ_DIR, 'shapes', shape.service.script)]
    : [...nodeArgs, join(options.dist, 'cli', 'main.js'), 'serve', '--port', '0', ...shape.service.args];
  const env = childEnv({
    MEMSCOPE_DIST: options.dist,
    SQ_SEED: String(options.seed),
    ...(shape.service.kind === 'express' ? shape.service.env : {}),
    ...shape.settingEnv?.[options.setting],
    ...options.env,
    NODE_OPTIONS: options.setting === 'container' ? CONTAINER_NODE_OPTIONS : undefined,
  });
  let cgroup: MemoryCgroup | undefined;
  let untrack = (): void => undefined;
  let command = process.execPath;
  let finalArgs = args;
  if (options.setting === 'container') {
    cgroup = createMemoryCgroup(options.id);
    untrack = trackCgroup(cgroup.dir);
    ({ command, args: finalArgs } = wrapInCgroup(cgroup, process.execPath, args));
  }
  const spawnedAt = Date.now();
  const child = startChild(command, finalArgs, env, SQ_DIR);
  const stop = async (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const info = await child.stop();
    if (cgroup !== undefined) {
      cgroup.remove();
      untrack();
    }
    return info;
  };
  try {
    // The 1.5 GiB sawtooth builds its live set before listening: allow for it on a busy machine.
    const match = await child.waitFor(READY, 180_000);
    return { child, url: match[1]!, spawnedAt, readyAt: Date.now(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface LoadHandle {
  readonly child: Child;
  /** Epoch ms of the first scheduled request: the start of a per-request leak. */
  readonly startedAt: number;
  /** The load generator's latest report. */
  latest(): LoadStats | undefined;
  /** Stops the load and returns its final report. */
  stop(): Promise<LoadStats | undefined>;
}

export interface LoadStats {
  elapsedS: number;
  sent: number;
  ok: number;
  status4xx: number;
  status5xx: number;
  failed: number;
  dropped: number;
  inFlight: number;
  achievedRate: number;
}

export async function startLoad(shape: ShapeSpec, url: string, seed: number): Promise<LoadHandle> {
  const args = ['--import', 'tsx', join(SQ_DIR, 'load', 'load-generator.ts'), '--url', url, '--target', shape.load.target, '--rate', String(shape.load.rate), '--seed', String(seed)];
  if (shape.load.points !== undefined) args.push('--points', String(shape.load.points));
  const child = startChild(process.execPath, args, childEnv({}), ROOT);
  let latest: LoadStats | undefined;
  child.onLine((line) => {
    if (line.startsWith('sq-load ')) latest = JSON.parse(line.slice(8)) as LoadStats;
  });
  const match = await child.waitFor(/^sq-load-started (\d+)/, 60_000);
  return {
    child,
    startedAt: Number(match[1]),
    latest: () => latest,
    stop: async () => {
      await child.stop();
      return latest;
    },
  };
}

export interface Probe {
  time: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  forced: boolean;
}

/** Forces a full GC in the service (probe.mjs) and returns what is left; undefined if the process does not answer. */
export async function probe(service: ServiceHandle, timeoutMs = 30_000): Promise<Probe | undefined> {
  const answer = new Promise<Probe | undefined>((resolve) => {
    const timer = setTimeout(() => {
      resolve(undefined);
    }, timeoutMs);
    service.child.onLine((line) => {
      if (!line.startsWith('sq-probe ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(9)) as Probe);
    });
    void service.child.exited.then(() => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  if (!service.child.process.kill('SIGUSR2')) return undefined;
  return answer;
}
