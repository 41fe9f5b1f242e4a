import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let cached: GcFunction | undefined;

/**
 * Returns V8's `gc` function whether or not the process was started with `--expose-gc`. Without the flag it turns
 * the flag on, takes `gc` from a fresh context and turns the flag off again — the technique Jest's leak detector uses.
 * V8 documents flag changes after start-up as unsupported in general; `--expose-gc` is the one in wide use.
 */
export function getGc(): GcFunction | undefined {
  if (cached !== undefined) return cached;
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (typeof exposed === 'function') {
    cached = exposed;
    return cached;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    setFlagsFromString('--no-expose-gc');
    if (typeof gc === 'function') cached = gc as GcFunction;
  } catch {
    cached = undefined;
  }
  return cached;
}

/**
 * Runs a full, synchronous garbage collection — twice by default, because objects whose finalizers or weak callbacks
 * run in the first pass are only reclaimed by the second. Returns false when no GC function could be obtained.
 * Meant for tests, benchmarks and leak checks, not for production request paths: a full GC stops the world.
 */
export function forceGc(options: { passes?: number } = {}): boolean {
  const gc = getGc();
  if (gc === undefined) return false;
  const passes = options.passes ?? 2;
  for (let i = 0; i < passes; i++) gc();
  return true;
}
