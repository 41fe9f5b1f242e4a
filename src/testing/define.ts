import { invalidOption } from '../internal/errors.js';
import { parseBytes } from '../internal/units.js';
import { intOption, numberOption, objectOption, optionKeys, rejectUnknownKeys, stringOption } from '../internal/validate.js';
import type { LeakCheckOptions, MemoryTestLimits } from './matchers/judge.js';

// Memory tests and benchmark workloads in the user's own files, for `memscope test [files…]` and
// `memscope benchmark <file>`. The CLI finds them by these brands (Symbol.for: the file's `memscope` and the CLI's may be
// two copies of the package), never by instanceof.
const MEMORY_TEST = Symbol.for('memscope.memoryTest');
const WORKLOAD = Symbol.for('memscope.workload');

/** What a memory test's `run` receives. */
export interface MemoryTestRunContext {
  /** `sizes.normal`, or `sizes.stress` under `memscope test --stress` (1 when the test gives no sizes). */
  size: number;
  /** True under `memscope test --stress`. */
  stress: boolean;
  /** Runs `fn` as a named phase: it shows in the report's phase table and as a band in the pictures. */
  phase<T>(name: string, fn: () => T): T;
}

export interface MemoryTestSpec {
  /** The test's name in the output and the report; unique among the tests run together (`--test NAME` picks it). */
  name: string;
  /** One sentence for the report. @default '' */
  description?: string;
  /** The size handed to `run`: normal, and under `--stress`. @default { normal: 1, stress: 1 } */
  sizes?: { normal: number; stress: number };
  /** The work under test. What it returns is not kept (and so not counted as retained). */
  run(ctx: MemoryTestRunContext): unknown;
  /** The vocabulary of `memscope/testing`: `peak` and `retained` (one run), `noLeak` (repeated runs). At least one. */
  limits: MemoryTestLimits;
  /** Milliseconds the whole test may take (every run of `run` together); past it the test fails. @default 300000 */
  timeout?: number;
}

/** A memory test as `defineMemoryTest` returns it: validated, frozen. */
export interface MemoryTestDeclaration extends Readonly<Required<Omit<MemoryTestSpec, 'sizes' | 'timeout'>>> {
  readonly timeout: number;
  readonly sizes: Readonly<{ normal: number; stress: number }>;
}

/** What a workload's `run` receives in each benchmark iteration. */
export interface WorkloadRunContext {
  /** 1 for the first iteration. */
  iteration: number;
  /** `memscope benchmark --points` (the size of one iteration's work). */
  size: number;
  /** `--seed` plus the iteration minus one: the same data run after run, different data per iteration. */
  seed: number;
  /** Runs `fn` as a named phase: the report's phase table, `compare`'s phase rows and the pictures' bands. */
  phase<T>(name: string, fn: () => T): T;
}

export interface WorkloadSpec {
  /** The workload's name in the report (`compare` refuses two reports of different workloads). @default the file's name */
  name?: string;
  /** One iteration's work. Return how many items it processed (a whole number) to get a rate in the report. */
  run(ctx: WorkloadRunContext): unknown;
  /** Milliseconds one iteration may take; past it the benchmark stops with exit 15. @default 300000 */
  timeout?: number;
}

export interface WorkloadDeclaration {
  readonly name: string | undefined;
  readonly timeout: number;
  run(ctx: WorkloadRunContext): unknown;
}

const TEST_KEYS = optionKeys<MemoryTestSpec>()(['name', 'description', 'sizes', 'run', 'limits', 'timeout']);
const LIMIT_KEYS = optionKeys<MemoryTestLimits>()(['peak', 'retained', 'noLeak']);
const LEAK_KEYS = optionKeys<LeakCheckOptions>()(['iterations', 'warmup', 'maxGrowthPerIteration', 'significance']);
const WORKLOAD_KEYS = optionKeys<WorkloadSpec>()(['name', 'run', 'timeout']);
const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_TIMEOUT_MS = 7 * 86_400_000;

/** A name printed on a terminal and in reports: 1 to 200 characters, no control characters. */
function nameOption(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  if (typeof value !== 'string' || !/^[^\u0000-\u001f\u007f]{1,200}$/u.test(value)) throw invalidOption('name', 'a name of 1 to 200 characters without control characters', value);
  return value;
}

/**
 * A memory test for `memscope test`, in a file of your own (`*.memory.js` or `*.memory.ts`, found from the current
 * directory): `export default defineMemoryTest({ name: 'import stays small', sizes: { normal: 10_000, stress: 200_000 },
 * run: ({ size }) => importPoints(size), limits: { peak: '80 MiB', retained: '2 MiB', noLeak: true } })`. A file may
 * export several (named exports, or an array as the default export). Throws MEMSCOPE_E_INVALID_OPTION on a bad spec.
 */
export function defineMemoryTest(spec: MemoryTestSpec): MemoryTestDeclaration {
  const o = objectOption('memory test', spec);
  rejectUnknownKeys(o, TEST_KEYS);
  const name = nameOption(o.name);
  const description = stringOption('description', o.description, '');
  if (typeof o.run !== 'function') throw invalidOption('run', 'the function under test', o.run);
  const s = o.sizes === undefined ? {} : objectOption('sizes', o.sizes);
  rejectUnknownKeys(s, ['normal', 'stress'] as const, 'sizes');
  const sizes = Object.freeze({ normal: intOption('sizes.normal', s.normal, 1, 1, Number.MAX_SAFE_INTEGER), stress: intOption('sizes.stress', s.stress, intOption('sizes.normal', s.normal, 1, 1, Number.MAX_SAFE_INTEGER), 1, Number.MAX_SAFE_INTEGER) });
  const limits = objectOption('limits', o.limits) as MemoryTestLimits;
  rejectUnknownKeys(limits, LIMIT_KEYS, 'limits');
  if (limits.peak !== undefined) parseBytes('limits.peak', limits.peak);
  if (limits.retained !== undefined) parseBytes('limits.retained', limits.retained);
  const noLeak = leakCheckOption(limits.noLeak);
  if (limits.peak === undefined && limits.retained === undefined && (noLeak === undefined || noLeak === false)) {
    throw invalidOption('limits', "at least one of peak, retained or noLeak, e.g. { peak: '50 MiB', retained: '2 MiB', noLeak: true }", limits);
  }
  const timeout = intOption('timeout', o.timeout, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  return Object.freeze({ [MEMORY_TEST]: true, name, description, sizes, run: o.run as MemoryTestSpec['run'], limits: Object.freeze({ ...limits, ...(noLeak === undefined ? {} : { noLeak }) }), timeout });
}

/** `noLeak`: true/false, or expectNoLeak()'s options checked now, as expectNoLeak() would check them at run time. */
function leakCheckOption(value: unknown): boolean | LeakCheckOptions | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption('limits.noLeak', "true, false, or the leak check's options ({ iterations, warmup, maxGrowthPerIteration, significance })", value);
  const o = value as Record<string, unknown>;
  rejectUnknownKeys(o, LEAK_KEYS, 'limits.noLeak');
  intOption('limits.noLeak.iterations', o.iterations, 20, 6, 100_000);
  intOption('limits.noLeak.warmup', o.warmup, 3, 0, 100_000);
  if (o.maxGrowthPerIteration !== undefined) parseBytes('limits.noLeak.maxGrowthPerIteration', o.maxGrowthPerIteration as string | number);
  numberOption('limits.noLeak.significance', o.significance, 0.01, 1e-12, 0.5);
  return Object.freeze({ ...o });
}

/**
 * A benchmark workload for `memscope benchmark <file>`: `export default defineWorkload({ run: ({ size, phase }) =>
 * phase('import', () => importPoints(size)) })` (or `export const workload = …`). Each iteration runs it once from a
 * clean memory state with its own profiler, as the bundled benchmark runs the onboarding workload.
 */
export function defineWorkload(spec: WorkloadSpec): WorkloadDeclaration {
  const o = objectOption('workload', spec);
  rejectUnknownKeys(o, WORKLOAD_KEYS);
  if (typeof o.run !== 'function') throw invalidOption('run', 'the function one iteration runs', o.run);
  const name = o.name === undefined ? undefined : nameOption(o.name);
  const timeout = intOption('timeout', o.timeout, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  return Object.freeze({ [WORKLOAD]: true, name, run: o.run as WorkloadSpec['run'], timeout });
}

/**
 * Whether a value carries the brand of `defineMemoryTest` (this copy of memscope's or another's). A brand can be forged
 * and another copy may be older: the CLI passes what it finds through {@link defineMemoryTest} again before running it.
 */
export function isMemoryTestDeclaration(value: unknown): value is MemoryTestDeclaration {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MEMORY_TEST] === true;
}

/** Whether a value carries the brand of `defineWorkload`; re-validated like a memory test's. */
export function isWorkloadDeclaration(value: unknown): value is WorkloadDeclaration {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WORKLOAD] === true;
}
