import { describe, expect, it } from 'vitest';
import '../../../src/testing/matchers/vitest.js';
import { toStayBelow } from '../../../src/testing/index.js';

const MiB = 2 ** 20;

describe('vitest matchers (memscope/testing/vitest)', () => {
  it('passes .not.toLeak() for a function that keeps nothing', async () => {
    await expect(() => Array.from({ length: 2000 }, (_, i) => ({ i }))).not.toLeak({ iterations: 12 });
  });

  it('fails .not.toLeak() for a leaking function with the verdict and the figures', async () => {
    const kept: unknown[] = [];
    const leaky = (): void => { kept.push(Array.from({ length: 4000 }, (_, i) => ({ i, s: `p${i}` }))); };
    const error = await expect(leaky).not.toLeak({ iterations: 12 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^expected the function not to leak, but: leak suspected/);
    expect(message).toMatch(/JS heap after GC: [\d.]+ [KM]iB → [\d.]+ [KM]iB, \+[\d.]+ [KM]iB per run \(Theil–Sen\), Mann–Kendall p=/);
    expect(message).toContain('12 runs after 3 warm-up runs');
    kept.length = 0;
  });

  it('passes toLeak() for a leaking function', async () => {
    const kept: unknown[] = [];
    await expect(() => { kept.push(Buffer.alloc(256 * 1024, 1)); }).toLeak({ iterations: 10 });
    kept.length = 0;
  });

  it('passes toStayBelow() within the limits and fails beyond them naming the limit and the figure', async () => {
    await expect(() => Array.from({ length: 1000 }, (_, i) => ({ i }))).toStayBelow({ peak: '50 MiB', retained: '2 MiB' });
    const kept: unknown[] = [];
    const error = await expect(() => kept.push(Buffer.alloc(8 * MiB, 1))).toStayBelow({ retained: '2 MiB' }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toMatch(/^expected the function to stay below its limits, but: retained [\d.]+ MiB is not below 2 MiB/);
    expect(message).toMatch(/retained after a full GC: [\d.]+ MiB/);
    expect(message).toMatch(/baseline [\d.]+ MiB; the run took/);
    kept.length = 0;
  });

  it('refuses a value that is not a function and limits that name nothing, naming the field', async () => {
    await expect(expect(42).toStayBelow({ peak: '1 MiB' })).rejects.toThrow(/the value under test/);
    await expect(expect(() => 1).toStayBelow({})).rejects.toThrow(/limits/);
    await expect(expect(() => 1).toStayBelow({ peak: 'lots' })).rejects.toThrow(/peak/);
  });

  it('exposes the matchers for any expect.extend runner', async () => {
    const result = await toStayBelow.call({}, () => 1, { peak: '50 MiB' });
    expect(result.pass).toBe(true);
    expect(result.message()).toMatch(/expected the function not to stay below its limits, but it did: peak [\d.]+ ([KM]i)?B is below 50 MiB/);
  });
});
