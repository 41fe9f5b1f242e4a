import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { expectMemory, expectNoLeak, measureGrowth, measureMemory } from '../../src/testing/index.js';
import { expectContract, intAround, optionsArbitrary, type KeySpec } from '../helpers/option-cases.js';

// memscope/testing's options over generated cases: a memory test whose options are wrong must fail loudly before it
// runs — never pass while asserting nothing. fn throws a sentinel, so a case whose options are accepted stops as soon
// as the measurement calls it. The full GC before it is stubbed out here (it costs ~50 ms in a test worker, and this
// file is about the options, not the figures).
vi.mock('../../src/sdk/gc/force-gc.js', () => ({ forceGc: () => true }));

class Ran extends Error {}
const sentinel = (): never => {
  throw new Ran('fn ran');
};

/** Runs `make`; a Ran error means the options were accepted and fn was called. */
async function accepted(make: () => Promise<unknown>): Promise<unknown> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof Ran) return 'ran';
    throw error;
  }
}

const size = { valid: fc.oneof(fc.constantFrom('50 MB', '2MiB', '1 KiB', '0'), fc.nat({ max: 2 ** 40 })), invalid: fc.constantFrom('lots', '-1 MB', -5, Number.NaN, '5 parsecs', {}, null) };

const EXPECT_MEMORY: Record<string, KeySpec> = { peakBelow: size, retainedBelow: size };
const EXPECT_NO_LEAK: Record<string, KeySpec> = {
  iterations: intAround(5, 100_000),
  warmup: intAround(0, 100_000),
  maxGrowthPerIteration: size,
  significance: { valid: fc.double({ min: 1e-12, max: 0.5, noNaN: true }), invalid: fc.constantFrom(0, 0.6, -1, Number.NaN, '0.01') },
};

describe('memscope/testing options (property)', () => {
  it('expectMemory refuses unknown keys, bad sizes and an options object without a limit, before running fn', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArbitrary(EXPECT_MEMORY), async (o) => {
        const outcome = await expectContract(o, ['peakBelow', 'retainedBelow'], () => accepted(() => expectMemory(sentinel, o)));
        if (outcome === 'ran') expect(o.peakBelow !== undefined || o.retainedBelow !== undefined).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('expectNoLeak refuses unknown keys and out-of-range values before running fn', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArbitrary(EXPECT_NO_LEAK), async (o) => {
        await expectContract(o, Object.keys(EXPECT_NO_LEAK), () => accepted(() => expectNoLeak(sentinel, o)));
      }),
      { numRuns: 1000 },
    );
  });

  it('measureMemory and measureGrowth validate their options too', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArbitrary({ sampleIntervalMs: intAround(1, 60_000) }), async (o) => {
        await expectContract(o, ['sampleIntervalMs'], () => accepted(() => measureMemory(sentinel, o)));
      }),
      { numRuns: 400 },
    );
    await fc.assert(
      fc.asyncProperty(optionsArbitrary({ iterations: intAround(2, 100_000), warmup: intAround(0, 100_000) }), async (o) => {
        await expectContract(o, ['iterations', 'warmup'], () => accepted(() => measureGrowth(sentinel, o as { iterations: number; warmup: number })));
      }),
      { numRuns: 600 },
    );
  });

  it('refuses something that is not a function to measure', async () => {
    for (const fn of [undefined, null, 42, 'fn', {}]) {
      await expect(expectMemory(fn as never, { peakBelow: '1 MB' })).rejects.toThrow(/^fn must be a function/);
      await expect(expectNoLeak(fn as never)).rejects.toMatchObject({ code: 'MEMSCOPE_E_INVALID_OPTION' });
    }
  });
});
