// `memscope/testing/vitest`: the memory matchers on vitest's `expect`, with their types. Load it once, from a setup
// file (`test.setupFiles: ['memscope/testing/vitest']`) or at the top of a test file:
//   await expect(() => handle(request)).not.toLeak({ iterations: 20 });
//   await expect(() => importPoints(file)).toStayBelow({ peak: '50 MiB', retained: '2 MiB' });
// The matchers are async (they run the function with full GCs): always `await` them.
import { expect } from 'vitest';
import type { LeakCheckOptions, StayBelowLimits } from './judge.js';
import { memoryMatchers } from './memory-matchers.js';

expect.extend(memoryMatchers);

declare module 'vitest' {
  // Declaration merging with vitest's own interface: its type parameter must keep vitest's name and default.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Matchers<T = any> {
    /** Runs the function repeatedly with a full GC after each run: passes when what survives keeps growing. */
    toLeak(options?: LeakCheckOptions): Promise<void>;
    /** Runs the function once: passes when its peak and retained memory stay below the limits. */
    toStayBelow(limits: StayBelowLimits): Promise<void>;
  }
}

export { memoryMatchers };
export type { LeakCheckOptions, StayBelowLimits };
