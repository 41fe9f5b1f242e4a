import { AsyncLocalStorage } from 'node:async_hooks';
import type { PhaseInstance } from './phase-instance.js';

/**
 * The async context that lets `phase(name, fn)` nest across `await` and keep concurrent flows apart.
 *
 * Created on the first `phase()` call, not on import: on Node 20 one `AsyncLocalStorage.run()` anywhere in the
 * process makes every later `await` cost more (~46 -> ~123 ns measured), so a service that loads memscope but only
 * uses samples and marks must not pay for it.
 */
export class PhaseContext {
  private storage: AsyncLocalStorage<PhaseInstance> | undefined;

  current(): PhaseInstance | undefined {
    return this.storage?.getStore();
  }

  run<T>(instance: PhaseInstance, fn: () => T): T {
    this.storage ??= new AsyncLocalStorage<PhaseInstance>();
    return this.storage.run(instance, fn);
  }

  /** Whether phase() has been used (and the async context therefore exists). */
  get active(): boolean {
    return this.storage !== undefined;
  }

  dispose(): void {
    this.storage?.disable();
    this.storage = undefined;
  }
}
