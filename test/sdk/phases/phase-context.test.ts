import { afterEach, describe, expect, it } from 'vitest';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import type { PhaseContextMode } from '../../../src/sdk/phases/phase-context.js';

const profilers: MemoryProfiler[] = [];
afterEach(() => {
  for (const p of profilers.splice(0)) p.stop();
});

function profiler(phaseContext: PhaseContextMode): MemoryProfiler {
  const p = new MemoryProfiler({ gc: false, eventLoop: false, phaseSnapshots: false, phaseContext });
  profilers.push(p);
  return p;
}

const parentOf = (p: MemoryProfiler, name: string): string | null | undefined => p.getPhaseStats().find((s) => s.name === name)?.parent;

describe('PhaseContext', () => {
  it("nests across await and keeps concurrent flows apart with 'async-local-storage'", async () => {
    const p = profiler('async-local-storage');
    const flow = (outer: string): Promise<void> => p.phase(outer, async () => {
      await new Promise((r) => setTimeout(r, 1));
      p.phase(`${outer}_inner`, () => undefined);
    });
    await Promise.all([flow('a'), flow('b')]);
    expect(parentOf(p, 'a_inner')).toBe('a');
    expect(parentOf(p, 'b_inner')).toBe('b');
  });

  it("nests synchronous children with 'sync', and starts a phase after an await at the top level", async () => {
    const p = profiler('sync');
    await p.phase('outer', async () => {
      p.phase('before_await', () => undefined);
      await Promise.resolve();
      p.phase('after_await', () => undefined);
    });
    p.phase('later', () => undefined);
    expect(parentOf(p, 'before_await')).toBe('outer');
    expect(parentOf(p, 'after_await')).toBeNull();
    expect(parentOf(p, 'later')).toBeNull();
  });

  it("restores the enclosing phase with 'sync' when fn throws", () => {
    const p = profiler('sync');
    p.phase('outer', () => {
      expect(() => p.phase('thrower', () => { throw new Error('boom'); })).toThrow('boom');
      p.phase('sibling', () => undefined);
    });
    expect(parentOf(p, 'sibling')).toBe('outer');
  });
});
