import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePoints } from '../../src/bms/data/generator.js';
import { onboard } from '../../src/bms/pipeline/onboard.js';
import type { OnboardingResult } from '../../src/bms/pipeline/types.js';
import { Pacer } from '../../src/bms/service/pacer.js';
import { gzipJobBody, ResultTooLargeError, type ResultBudget } from '../../src/bms/service/result-body.js';

const UNLIMITED: ResultBudget = { maxJsonBytes: 2 ** 40, jsonLimitReason: '', maxStoredBytes: 2 ** 40, storedLimitReason: '' };
const meta = { id: 'j1', status: 'succeeded', createdAt: '2026-01-01T00:00:00.000Z', pointsReceived: 3 };

async function resultOf(points: number, seed: number): Promise<OnboardingResult> {
  return onboard([generatePoints({ points, seed })]);
}

describe('gzipJobBody', () => {
  it('writes exactly what JSON.stringify writes, for results of any size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1500 }), fc.nat(1000), async (points, seed) => {
        const result = await resultOf(points, seed);
        const body = await gzipJobBody(meta, result, UNLIMITED, new Pacer());
        expect(gunzipSync(body).toString()).toBe(JSON.stringify({ ...meta, result }));
      }),
      { numRuns: 25 },
    );
  });

  it('writes one equipment holding thousands of points, and an empty model', async () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ name: `SITE1.AHU-01.P${i}-T`, value: 12, units: '°C', description: '' }));
    const big = await onboard([points]);
    expect(big.equipment).toHaveLength(1);
    expect(gunzipSync(await gzipJobBody(meta, big, UNLIMITED, new Pacer())).toString()).toBe(JSON.stringify({ ...meta, result: big }));
    const empty = await onboard([[{ name: 'nonsense', value: null, units: '', description: '' }]]);
    expect(gunzipSync(await gzipJobBody(meta, empty, UNLIMITED, new Pacer())).toString()).toBe(JSON.stringify({ ...meta, result: empty }));
  });

  it('fails with the reason once the result is larger than its JSON budget', async () => {
    const result = await resultOf(2000, 1);
    const budget = { ...UNLIMITED, maxJsonBytes: 100_000, jsonLimitReason: '16 × the 6.0 KiB request, plus 64 KiB' };
    await expect(gzipJobBody(meta, result, budget, new Pacer())).rejects.toThrow(
      new ResultTooLargeError('the result would be larger than 97.7 KiB (16 × the 6.0 KiB request, plus 64 KiB): the job produces far more than its input'),
    );
  });

  it('fails with the reason once the compressed result is over its share of the store', async () => {
    const result = await resultOf(20_000, 1);
    const budget = { ...UNLIMITED, maxStoredBytes: 50_000, storedLimitReason: '10 % of its 488.3 KiB bound' };
    await expect(gzipJobBody(meta, result, budget, new Pacer())).rejects.toThrow(/would take more than 48\.8 KiB of the job store \(10 % of its 488\.3 KiB bound\); split the job/);
  });

  it('compresses: a 20,000-point result is stored in a fraction of its JSON', async () => {
    const result = await resultOf(20_000, 2);
    const body = await gzipJobBody(meta, result, UNLIMITED, new Pacer());
    expect(body.length * 8).toBeLessThan(JSON.stringify(result).length);
  });

  it('yields to the event loop between pieces', async () => {
    const pacer = new Pacer(0);
    await gzipJobBody(meta, await resultOf(5000, 3), UNLIMITED, pacer);
    expect(pacer.yields).toBeGreaterThan(10);
  });
});
