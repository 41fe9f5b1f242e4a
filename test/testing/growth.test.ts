import { describe, expect, it } from 'vitest';
import { measureGrowth } from '../../src/testing/growth.js';
import { measureMemory } from '../../src/testing/measure-memory.js';
import { retainedMemory } from '../../src/testing/retained-heap.js';
import { ROOT, runNode } from '../helpers/child.js';

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

  it('finds no leak in a slow function that only waits on a timer, in a fresh process (Node\'s own timer code tiers up meanwhile)', { timeout: 60_000 }, async () => {
    // A fresh process, as `memscope test` and a first test file are: under this runner Node's timers are warm already.
    // Before the harness warmed the event loop, Node 20 judged this "suspected" in 4 runs of 4: +1.4–1.5 KiB per run of
    // compiled-code metadata of Node's timers, compiled to their next tier during the recorded runs.
    const program = `import { measureGrowth } from ${JSON.stringify(`${ROOT}dist/testing/index.js`)};
const wait = () => new Promise((resolve) => setTimeout(resolve, 400));
const kept = [];
const idle = await measureGrowth(wait, { iterations: 10, warmup: 1, minSlope: 1024, per: 'run' });
const leak = await measureGrowth(async () => { await wait(); kept.push(Array.from({ length: 64 }, (_, i) => String(i).repeat(40))); }, { iterations: 10, warmup: 1, minSlope: 1024, per: 'run' });
console.log(JSON.stringify({ idle: idle.verdict.summary, idleStatus: idle.verdict.status, leak: leak.verdict.status }));`;
    const { code, stdout, stderr } = await runNode(['--input-type=module', '-e', program]).done;
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout) as { idle: string; idleStatus: string; leak: string };
    expect(r.idleStatus, r.idle).toBe('no-leak');
    // And a leak that slow is still seen: ~4 KiB kept per 400 ms run.
    expect(r.leak).toBe('suspected');
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
