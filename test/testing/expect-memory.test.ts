import type { GrowthAnalysis } from '../../src/testing/growth.js';
import { describe, expect, it } from 'vitest';
import { expectMemory, expectNoLeak, MemoryExpectationError, measureMemory } from '../../src/testing/index.js';

const MiB = 2 ** 20;

describe('expectMemory', () => {
  it('passes a function within its limits and returns the measurement', async () => {
    const m = await expectMemory(() => Array.from({ length: 1000 }, (_, i) => ({ i })), { peakBelow: '50 MB', retainedBelow: '2 MB' });
    expect(m.peakBytes).toBeGreaterThan(0);
    expect(m.retainedBytes).toBeLessThan(2_000_000);
  });

  it('fails when the function retains more than retainedBelow, naming the figures', async () => {
    const keep: unknown[] = [];
    const error = await expectMemory(() => keep.push(Buffer.alloc(8 * MiB, 1)), { retainedBelow: '2 MB' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemoryExpectationError);
    // The figure is measured (about 8 MiB, give or take what else the process collected): the message names it.
    const retained = ((error as MemoryExpectationError).details as { retainedBytes: number }).retainedBytes;
    expect(retained).toBeGreaterThan(6 * MiB);
    expect(retained).toBeLessThan(12 * MiB);
    expect((error as Error).message).toMatch(/memory retained after GC \d+(\.\d+)? MiB is not below 1\.91 MiB \(2 MB\)/);
    expect((error as Error).message).toContain(`retained after GC ${(retained / MiB).toFixed(2)} MiB`);
    keep.length = 0;
  });

  it('does not count what fn returns and the caller drops as retained', async () => {
    const m = await expectMemory(() => Buffer.alloc(8 * MiB, 1), { retainedBelow: '2 MB' });
    expect(m.retainedBytes).toBeLessThan(2_000_000);
    // measureMemory hands the result back, so there it is retained.
    const { result, measurement } = await measureMemory(() => Buffer.alloc(8 * MiB, 1));
    expect(result.length).toBe(8 * MiB);
    expect(measurement.retainedBytes).toBeGreaterThan(6 * MiB);
  });

  it('sees a transient peak inside synchronous code', async () => {
    const work = (): number => {
      // ~40 MiB of short-lived objects, dropped before returning: only the peak sees them.
      let total = 0;
      let chunk: number[][] = [];
      for (let i = 0; i < 400; i++) {
        chunk.push(new Array<number>(12_500).fill(i));
        if (chunk.length === 400) chunk = [];
      }
      for (const c of chunk) total += c.length;
      return total;
    };
    const { measurement } = await measureMemory(work);
    expect(measurement.peakBytes).toBeGreaterThan(30 * MiB);
    expect(measurement.retainedBytes).toBeLessThan(2 * MiB);
    await expect(expectMemory(work, { peakBelow: '10 MiB' })).rejects.toThrow(/peak memory .* is not below 10 MiB/);
  });

  it('rejects a bad size naming the option', async () => {
    await expect(expectMemory(() => 1, { peakBelow: 'lots' })).rejects.toThrow(/peakBelow must be a size/);
  });
});

describe('expectNoLeak', () => {
  it('cannot be asked for fewer runs than can show a significant trend', async () => {
    await expect(expectNoLeak(() => 1, { iterations: 5 })).rejects.toThrow(/^iterations must be an integer from 6 to/);
  });

  it('passes a function that only makes garbage', async () => {
    const g = await expectNoLeak(() => JSON.parse(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: `p${i}` })))) as unknown, { iterations: 20 });
    expect(g.runs).toBe(20);
  });

  it('fails a function that keeps heap objects on every run', async () => {
    const cache: unknown[] = [];
    const error = await expectNoLeak(() => cache.push(Array.from({ length: 500 }, (_, i) => ({ i, name: `point-${i}` }))), { iterations: 15 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemoryExpectationError);
    expect((error as Error).message).toMatch(/^expectNoLeak: leak suspected in JS heap: \+\d+\.\d+ KiB per run over 15 runs \(p=.*, R²=.*\); limit 1\.00 KiB per run$/);
    // The message is the verdict's own sentence: the same words memscope test prints for it.
    expect((error as Error).message).toContain((error as MemoryExpectationError & { details: GrowthAnalysis }).details.verdict.summary);
    cache.length = 0;
  });

  it('names external memory for a Buffer leak', async () => {
    const kept: Buffer[] = [];
    await expect(expectNoLeak(() => kept.push(Buffer.alloc(64 * 1024, 1)), { iterations: 12 })).rejects.toThrow(/leak suspected in external memory \(Buffers\): \+64\.\d+ KiB per run over 12 runs/);
    kept.length = 0;
  });
});
