import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemscopeError, errorMessage } from '../../internal/errors.js';
import { defineMemoryTest, defineWorkload, isMemoryTestDeclaration, isWorkloadDeclaration, type MemoryTestDeclaration, type WorkloadDeclaration, type WorkloadRunContext } from '../../testing/define.js';
import { UserCodeTimeout, withTimeout } from './guard.js';

/** How long a file may take to load (its top-level code, a top-level await) before memscope gives up on it. */
const LOAD_TIMEOUT_MS = 60_000;

const TYPESCRIPT = /\.[mc]?ts$/;

/** A user's file as the CLI shows it: relative to the current directory when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}

/**
 * Imports a memory test or workload file (ESM or CommonJS; TypeScript where this Node strips types, or under a loader
 * such as `NODE_OPTIONS='--import tsx'`). Throws MEMSCOPE_E_TEST_FILE naming the file and, for TypeScript a Node
 * cannot run, the fix.
 */
export async function loadUserFile(file: string): Promise<Record<string, unknown>> {
  try {
    return await withTimeout(() => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>, LOAD_TIMEOUT_MS, `loading it (${LOAD_TIMEOUT_MS / 1000} s allowed)`);
  } catch (error) {
    const code = errorCode(error);
    const shown = displayPath(file);
    if (error instanceof UserCodeTimeout) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown}: ${error.message.replace('a promise that never resolves?', 'a top-level await that never settles?')}`);
    if (TYPESCRIPT.test(file) && code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown}: Node ${process.version} does not run TypeScript files: use Node 22.18 or later (it strips the types itself), run memscope with a loader (NODE_OPTIONS='--import tsx' memscope …), or compile the file to JavaScript`, { cause: error });
    }
    if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
      throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown}: Node strips types but cannot run this TypeScript (${errorMessage(error).split('\n')[0] ?? ''}): keep to erasable syntax (no enum, namespace or parameter properties), or run memscope with a loader (NODE_OPTIONS='--import tsx' memscope …)`, { cause: error });
    }
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} could not be loaded: ${errorMessage(error).split('\n')[0] ?? ''}`, { cause: error });
  }
}

/**
 * Every exported value and, for arrays, their elements: where a file can put what it declares. Reading them runs the
 * file's code (getters, Proxies): whatever that throws is the file's error (MEMSCOPE_E_TEST_FILE), never memscope's.
 */
function exported(ns: Record<string, unknown>, file: string): unknown[] {
  try {
    const values: unknown[] = [];
    const add = (value: unknown): void => {
      if (Array.isArray(value)) values.push(...(value as unknown[]).slice(0, 10_000));
      else values.push(value);
    };
    for (const key of Object.keys(ns)) {
      let value: unknown;
      try {
        value = ns[key];
      } catch {
        continue; // an export still in its temporal dead zone (a cycle): not a declaration
      }
      add(value);
    }
    // A CommonJS file's `module.exports = [...]` or `= { a, b }` arrives as the default export.
    const cjs = ns['module.exports'] ?? ns.default;
    if (typeof cjs === 'object' && cjs !== null && !Array.isArray(cjs) && !isMemoryTestDeclaration(cjs) && !isWorkloadDeclaration(cjs)) {
      for (const value of Object.values(cjs) as unknown[]) add(value);
    }
    return [...new Set(values)];
  } catch (error) {
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${displayPath(file)}: its exports could not be read: ${errorMessage(error).split('\n')[0] ?? ''}`, { cause: error });
  }
}

/** A declaration found by its brand, validated again (a brand can be forged; another copy of memscope may be older). */
function revalidated<T>(file: string, value: object, define: (spec: never) => T): T {
  try {
    // Its own keys are the spec's (define() refuses any it does not know); the brand is a symbol and is not among them.
    const spec = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
    return define(spec as never);
  } catch (error) {
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${displayPath(file)}: ${errorMessage(error).split('\n')[0] ?? ''}`, { cause: error });
  }
}

/** The memory tests a loaded file declares (defineMemoryTest), in the order it exports them. */
export function memoryTestsOf(ns: Record<string, unknown>, file: string): MemoryTestDeclaration[] {
  return exported(ns, file).filter(isMemoryTestDeclaration).map((t) => revalidated(file, t, defineMemoryTest));
}

/** The one workload a loaded file declares (defineWorkload); throws MEMSCOPE_E_TEST_FILE for none or several. */
export function workloadOf(ns: Record<string, unknown>, file: string): WorkloadDeclaration {
  const workloads = exported(ns, file).filter(isWorkloadDeclaration);
  const shown = displayPath(file);
  if (workloads.length === 0) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} declares no workload: export one, e.g. export default defineWorkload({ run: ({ size }) => work(size) }) (defineWorkload from memscope/testing)`);
  if (workloads.length > 1) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} declares ${workloads.length} workloads: a benchmark runs one; put the others in files of their own`);
  const [w] = workloads as [WorkloadDeclaration];
  // A workload's spec has no description, sizes or limits: only what defineWorkload takes is passed on.
  return revalidated(file, { name: w.name, run: typeof w.run === 'function' ? (ctx: WorkloadRunContext) => w.run(ctx) : (w as { run: unknown }).run, timeout: w.timeout }, defineWorkload);
}

function errorCode(error: unknown): unknown {
  try {
    return (error as { code?: unknown } | null)?.code;
  } catch {
    return undefined;
  }
}
