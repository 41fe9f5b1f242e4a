import { describe, expect, it } from 'vitest';
import { measureGrowth } from '../../src/testing/growth.js';
import { measureMemory } from '../../src/testing/measure-memory.js';
import { retainedMemory } from '../../src/testing/retained-heap.js';

describe('measureGrowth on the harness itself', () => {
  // The harness's own first runs (its code being compiled and tiered up, its feedback allocated) once added ~10 KiB
  // per run on Node 24 and ~1 KiB on Node 20: a false leak for functions that keep nothing. CI runs this on both.
  it('finds no leak, ten times in a row, in functions that keep nothing or make only garbage, without warm-up', async () => {
    const fns = [() => undefined, () => Array.from({ length: 1000 }, (_, i) => ({ i })), () => Promise.resolve(JSON.parse(JSON.stringify({ a: [1, 2, 3] })) as unknown)];
    const verdicts: string[] = [];
    const perRun: number[] = [];
    for (let i = 0; i < 10; i++) {
      const g = await measureGrowth(fns[i % fns.length]!, { iterations: 10, warmup: 0 });
      verdicts.push(g.verdict.status);
      perRun.push(g.heapPerRun);
    }
    expect(verdicts, `heap slopes per run: ${perRun.map((b) => b.toFixed(0)).join(', ')}`).toEqual(Array(10).fill('no-leak'));
    // What stays per run is the harness's own record of it (~100 B) — far below the default threshold of 1 KiB —
    // plus, on Node 20, old-space figures that jump by a few KiB now and then (the median is what holds).
    expect(perRun.toSorted((a, b) => a - b)[5], perRun.join(', ')).toBeLessThan(512);
  });

  it('still finds a leak of 1 KiB of objects per run, with the heap figure counting data', async () => {
    const kept: unknown[] = [];
    const g = await measureGrowth(() => kept.push(Array.from({ length: 64 }, (_, i) => ({ i }))), { iterations: 12, warmup: 2, minSlope: 1024 });
    expect(g.verdict.status).toBe('suspected');
    expect(g.verdict.basis).toBe('heap');
    expect(g.heapPerRun).toBeGreaterThan(1024);
    kept.length = 0;
  });
});

describe('retainedMemory', () => {
  it('counts data kept in the old generation and large objects, and external memory', async () => {
    const { measurement } = await measureMemory(() => {
      globalThis.__memscopeKept = { objects: Array.from({ length: 20_000 }, (_, i) => ({ i })), buffer: Buffer.alloc(2 * 2 ** 20, 1) };
    });
    const before = retainedMemory();
    expect(measurement.retainedHeapBytes).toBeGreaterThan(20_000 * 16);
    expect(measurement.retainedBytes - measurement.retainedHeapBytes).toBeGreaterThanOrEqual(2 * 2 ** 20);
    delete globalThis.__memscopeKept;
    const { measurement: none } = await measureMemory(() => undefined);
    expect(none.retainedBytes).toBeLessThan(before.heap + before.external);
  });
});

declare global {
  var __memscopeKept: unknown;
}
