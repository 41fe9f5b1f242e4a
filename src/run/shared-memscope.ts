import type { Memscope, MemscopeOptions } from '../exporter/start-memscope.js';

/**
 * Where `memscope/register` leaves the instance it started, so that the program shares it: a well-known symbol on
 * globalThis rather than a module variable, because the preload and the program may load different copies of
 * memscope (the CLI's own install and the app's node_modules; ESM and CJS) and each copy has its own module state.
 * globalThis is per thread: each worker thread has a slot of its own.
 */
const SLOT = Symbol.for('memscope.preloaded');

/** The contract between copies of memscope: keep it small and additive, another version may read it. */
export interface PreloadedSlot {
  /** The memscope version that preloaded. */
  readonly version: string;
  /** Settles with the running instance, or undefined when the preload left memscope off. Never rejects. */
  readonly ready: Promise<Memscope | undefined>;
  /** The running instance, once started. */
  readonly memscope: Memscope | undefined;
  /** The options object the preload passes to startMemscope() itself: that one call is not adopted. */
  readonly ownOptions: object;
  /** What startMemscope() returns under the preload; undefined when the preload left memscope off. */
  adopt(options: MemscopeOptions): Promise<Memscope | undefined>;
}

export function preloadedSlot(): PreloadedSlot | undefined {
  const slot = (globalThis as Record<symbol, unknown>)[SLOT];
  return typeof slot === 'object' && slot !== null && typeof (slot as PreloadedSlot).adopt === 'function' ? (slot as PreloadedSlot) : undefined;
}

/** Claims the slot for this thread; false when a preload (of any copy) already did. */
export function claimPreloadedSlot(slot: PreloadedSlot): boolean {
  if (preloadedSlot() !== undefined) return false;
  Object.defineProperty(globalThis, SLOT, { value: slot, enumerable: false, configurable: true, writable: false });
  return true;
}

/**
 * The instance `memscope/register` started in this thread, or undefined when the program runs without it (or the
 * preload left memscope off, or has not finished starting: `await startMemscope()` waits for it).
 * `getMemscope()?.profiler.phase('import', () => importFile(path))` marks a phase when memscope is there and costs
 * nothing when it is not.
 */
export function getMemscope(): Memscope | undefined {
  return preloadedSlot()?.memscope;
}
