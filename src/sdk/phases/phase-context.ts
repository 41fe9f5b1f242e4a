import { AsyncLocalStorage } from 'node:async_hooks';
import type { PhaseInstance } from './phase-instance.js';

/**
 * How phase() finds the phase it runs in:
 * - `'async-local-storage'`: an AsyncLocalStorage, so phases nest across `await` and concurrent flows stay apart;
 * - `'sync'`: only phases started synchronously inside fn nest under it; after an `await`, a phase starts at the top
 *   level (or under the innermost open mark). No async context exists, so nothing taxes the process's awaits.
 */
export type PhaseContextMode = 'async-local-storage' | 'sync';

/**
 * The context that lets `phase(name, fn)` nest: see PhaseContextMode, and docs/benchmarks.md for what each costs.
 *
 * The AsyncLocalStorage is created on the first `phase()` call, not on import: on Node 20 one
 * `AsyncLocalStorage.run()` anywhere in the process makes every later `await` cost about 3x more (promise hooks), so a
 * service that loads memscope but only uses samples and marks must not pay for it. On Node 24 (AsyncContextFrame)
 * awaits cost the same with or without it, and each run() instead allocates two context frames.
 */
export class PhaseContext {
  private storage: AsyncLocalStorage<PhaseInstance> | undefined;
  /** The phase whose fn is on the stack (mode 'sync'). */
  private syncCurrent: PhaseInstance | undefined;

  constructor(readonly mode: PhaseContextMode) {}

  current(): PhaseInstance | undefined {
    return this.storage === undefined ? this.syncCurrent : this.storage.getStore();
  }

  run<T>(instance: PhaseInstance, fn: () => T): T {
    if (this.mode === 'sync') return this.runSync(instance, fn);
    this.storage ??= new AsyncLocalStorage<PhaseInstance>();
    return this.storage.run(instance, fn);
  }

  /** Whether phase() has been used with an async context (which therefore exists). */
  get active(): boolean {
    return this.storage !== undefined;
  }

  dispose(): void {
    this.storage?.disable();
    this.storage = undefined;
    this.syncCurrent = undefined;
  }

  private runSync<T>(instance: PhaseInstance, fn: () => T): T {
    const prior = this.syncCurrent;
    this.syncCurrent = instance;
    try {
      return fn();
    } finally {
      this.syncCurrent = prior;
    }
  }
}
