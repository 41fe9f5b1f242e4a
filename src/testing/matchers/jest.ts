// `memscope/testing/jest`: the memory matchers on jest's global `expect`, with their types (for `@types/jest` and for
// `@jest/globals`). Load it from `setupFilesAfterEnv: ['memscope/testing/jest']`. memscope is an ES module: run jest
// with ESM support (`node --experimental-vm-modules node_modules/jest/bin/jest.js`, docs/memory-tests.md).
//   await expect(() => handle(request)).not.toLeak({ iterations: 20 });
// Brings jest's `expect` module into the program, which augmenting it below requires (types only, nothing at run time).
import type {} from 'expect';
import { MemscopeError } from '../../internal/errors.js';
import type { LeakCheckOptions, StayBelowLimits } from './judge.js';
import { memoryMatchers } from './memory-matchers.js';

const expect = (globalThis as { expect?: { extend?: unknown } }).expect;
if (typeof expect?.extend !== 'function') {
  throw new MemscopeError('MEMSCOPE_E_USAGE', "memscope/testing/jest needs jest's global expect: load it from setupFilesAfterEnv");
}
(expect.extend as (matchers: object) => void)(memoryMatchers);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // Merged with @types/jest's interface, whose type parameters it must repeat exactly.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> {
      /** Runs the function repeatedly with a full GC after each run: passes when what survives keeps growing. */
      toLeak(options?: LeakCheckOptions): Promise<R>;
      /** Runs the function once: passes when its peak and retained memory stay below the limits. */
      toStayBelow(limits: StayBelowLimits): Promise<R>;
    }
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    toLeak(options?: LeakCheckOptions): Promise<R>;
    toStayBelow(limits: StayBelowLimits): Promise<R>;
  }
}

export { memoryMatchers };
export type { LeakCheckOptions, StayBelowLimits };
