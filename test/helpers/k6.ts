import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { bundleK6Scenarios, type BundleOptions } from '../../scripts/k6-bundle.js';

/**
 * A real k6 for the tests: `K6_BIN`, or `k6` on PATH (scripts/test.mjs puts ../shared/tools there when it exists).
 * Without one, the k6 tests skip with a message locally and fail on CI (CI=true): there they must run.
 */
export interface K6Binary {
  path: string;
  version: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findK6(): K6Binary | undefined {
  const candidates = process.env.K6_BIN ? [process.env.K6_BIN] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'k6'));
  const path = candidates.find(executable);
  if (path === undefined) return undefined;
  const run = spawnSync(path, ['version'], { encoding: 'utf8' });
  const version = /k6 (v\S+)/.exec(run.stdout)?.[1];
  return version === undefined ? undefined : { path, version };
}

export const K6 = findK6();
const isCi = Boolean(process.env.CI);
export const K6_MISSING = 'k6 is not installed: put it on PATH or set K6_BIN (npm test adds ../shared/tools to PATH)';

/** Whether a k6 test file runs: always on CI (it then fails when k6 is missing), locally only with a k6. */
export const RUN_K6_TESTS = K6 !== undefined || isCi;
if (!RUN_K6_TESTS) console.warn(`skipping the tests that run real k6: ${K6_MISSING}`);

/** The k6 binary, or an error naming what to do (what a CI run without k6 fails with). */
export function requireK6(): K6Binary {
  if (K6 === undefined) throw new Error(`${K6_MISSING}${isCi ? ' (required on CI)' : ''}`);
  return K6;
}

/** Writes the bundled scenarios into a fresh temp dir; returns the dir. */
export function writeBundles(options: BundleOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'memscope-k6-bundles-'));
  for (const bundle of bundleK6Scenarios(options)) writeFileSync(join(dir, bundle.file), bundle.text);
  return dir;
}

export interface K6Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs k6 with the environment given on top of this process'. A `run` gets `--no-usage-report` and its REST API on a
 * free port (`--address 127.0.0.1:0`): the default, localhost:6565, is taken by any other k6 on the machine.
 */
export function runK6(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<K6Result> {
  const k6 = requireK6();
  const argv = args[0] === 'run' ? ['run', '--no-usage-report', '--address', '127.0.0.1:0', ...args.slice(1)] : [...args];
  const child = spawn(k6.path, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-50_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The part of `k6 inspect` output the tests read. */
export interface K6InspectedOptions {
  scenarios?: Record<string, { executor: string; stages?: Array<{ duration: string; target: number }>; tags?: Record<string, string> | null }>;
  thresholds?: Record<string, unknown[]>;
  tags?: Record<string, string> | null;
}

/** k6's own reading of a script's options (`k6 inspect`), with `-e` variables (inspect ignores the process' own). */
export async function inspectK6(script: string, vars: Readonly<Record<string, string>> = {}): Promise<K6InspectedOptions> {
  const run = await runK6(['inspect', ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script]);
  if (run.code !== 0) throw new Error(`k6 inspect ${script} exited ${String(run.code)}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as K6InspectedOptions;
}
