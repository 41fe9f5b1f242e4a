import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemscopeError, errorMessage } from '../../internal/errors.js';
import { isMemoryTestDeclaration, isWorkloadDeclaration, type MemoryTestDeclaration, type WorkloadDeclaration } from '../../testing/define.js';

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
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const shown = displayPath(file);
    if (TYPESCRIPT.test(file) && code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown}: Node ${process.version} does not run TypeScript files: use Node 22.18 or later (it strips the types itself), run memscope with a loader (NODE_OPTIONS='--import tsx' memscope …), or compile the file to JavaScript`, { cause: error });
    }
    if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX') {
      throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown}: Node strips types but cannot run this TypeScript (${errorMessage(error).split('\n')[0] ?? ''}): keep to erasable syntax (no enum, namespace or parameter properties), or run memscope with a loader (NODE_OPTIONS='--import tsx' memscope …)`, { cause: error });
    }
    throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} could not be loaded: ${errorMessage(error).split('\n')[0] ?? ''}`, { cause: error });
  }
}

/** Every exported value and, for arrays, their elements: where a file can put what it declares. */
function exported(ns: Record<string, unknown>): unknown[] {
  const values: unknown[] = [];
  for (const key of Object.keys(ns)) {
    let value: unknown;
    try {
      value = ns[key];
    } catch {
      continue; // an export still in its temporal dead zone (a cycle): not a declaration
    }
    if (Array.isArray(value)) values.push(...(value as unknown[]));
    else values.push(value);
  }
  // A CommonJS file's `module.exports = [...]` or `= { a, b }` arrives as the default export.
  const cjs = ns['module.exports'] ?? ns.default;
  if (typeof cjs === 'object' && cjs !== null && !Array.isArray(cjs) && !isMemoryTestDeclaration(cjs) && !isWorkloadDeclaration(cjs)) values.push(...(Object.values(cjs) as unknown[]));
  return [...new Set(values)];
}

/** The memory tests a loaded file declares (defineMemoryTest), in the order it exports them. */
export function memoryTestsOf(ns: Record<string, unknown>): MemoryTestDeclaration[] {
  return exported(ns).filter(isMemoryTestDeclaration);
}

/** The one workload a loaded file declares (defineWorkload); throws MEMSCOPE_E_TEST_FILE for none or several. */
export function workloadOf(ns: Record<string, unknown>, file: string): WorkloadDeclaration {
  const workloads = exported(ns).filter(isWorkloadDeclaration);
  const shown = displayPath(file);
  if (workloads.length === 0) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} declares no workload: export one, e.g. export default defineWorkload({ run: ({ size }) => work(size) }) (defineWorkload from memscope/testing)`);
  if (workloads.length > 1) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${shown} declares ${workloads.length} workloads: a benchmark runs one; put the others in files of their own`);
  return workloads[0] as WorkloadDeclaration;
}
