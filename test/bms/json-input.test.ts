import { describe, expect, it } from 'vitest';
import { RequestError } from '../../src/bms/service/input-errors.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/bms/service/input-limits.js';
import { readJsonJob } from '../../src/bms/service/json-input.js';
import { Pacer } from '../../src/bms/service/pacer.js';

const read = (text: string, limits = DEFAULT_INPUT_LIMITS) => readJsonJob(text, limits, new Pacer());

async function refusal(text: string, limits = DEFAULT_INPUT_LIMITS): Promise<RequestError> {
  try {
    await read(text, limits);
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('accepted');
}

/** Heap growth at its highest while `fn` runs, sampled at every yield of its pacer (gc before: --expose-gc). */
async function peakHeapGrowth(fn: (pacer: Pacer) => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const pacer = new Pacer(0);
  const breathe = pacer.breathe.bind(pacer);
  pacer.breathe = async () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    await breathe();
  };
  await fn(pacer).catch(() => undefined);
  return Math.max(peak, process.memoryUsage().heapUsed - base);
}

describe('readJsonJob', () => {
  it('reads points and the site, defaulting what is left out', async () => {
    const text = JSON.stringify({ site: 'SITE1', points: [{ name: 'SITE1.AHU-01.SA-T', value: 12.5, units: '°C', description: 'Supply' }, { name: 'SITE1.AHU-01.RA-T' }] });
    const input = await read(text);
    expect(input).toEqual({
      site: 'SITE1',
      bytes: Buffer.byteLength(text),
      points: [
        { name: 'SITE1.AHU-01.SA-T', value: 12.5, units: '°C', description: 'Supply' },
        { name: 'SITE1.AHU-01.RA-T', value: null, units: '', description: '' },
      ],
    });
  });

  it('reads the same points however many groups they are parsed in', async () => {
    const points = Array.from({ length: 3000 }, (_, i) => ({ name: `SITE${i % 7}.VAV-${i}.ZN-T`, value: i % 3 === 0 ? String(i) : i, units: 'degC', description: `d"${i}\\` }));
    expect((await read(JSON.stringify({ points }, null, 2))).points).toEqual(points);
  });

  it('refuses control characters in a name, escaped or not, naming the point', async () => {
    const e = await refusal(JSON.stringify({ points: [{ name: 'SITE1.AHU-01.SA-T' }, { name: `${'\u0001'.repeat(200)}1.AHU-01.SA-T`, value: 12 }] }));
    expect(e.code).toBe('validation_failed');
    expect(e.fields).toEqual([{ path: 'points[1].name', message: 'must not contain a control character (U+0001 at character 1)' }]);
    expect((await refusal('{"points":[{"name":"S.AHU-1.T"}],"site":"S\\u007f"}')).fields[0]?.path).toBe('site');
  });

  it('refuses a value of Infinity (1e999), and wrong types, per field', async () => {
    const e = await refusal('{"points":[{"name":"S.AHU-1.T","value":1e999,"units":5,"description":[]}]}');
    expect(e.fields.map((f) => f.path)).toEqual(['points[0].value', 'points[0].units', 'points[0].description']);
  });

  it('answers invalid_json with where, invalid_body for JSON that is not a job object', async () => {
    expect(await refusal('{"points": [')).toMatchObject({ status: 400, code: 'invalid_json' });
    expect((await refusal('{"points": [1,]}')).message).toMatch(/at character 15/);
    expect(await refusal('[1,2]')).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await refusal('"points"')).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await refusal(`${'['.repeat(100)}${']'.repeat(100)}`)).toMatchObject({ status: 400, code: 'invalid_body' });
  });

  it('refuses points given twice, points that are not an array, elements that are not objects or are huge', async () => {
    expect((await refusal('{"points":[{"name":"S.AHU-1.T"}],"points":[]}')).fields).toEqual([{ path: 'points', message: 'must be given once' }]);
    expect((await refusal('{"points":{"name":"S.AHU-1.T"}}')).fields).toEqual([{ path: 'points', message: 'must be an array of points' }]);
    expect((await refusal('{"site":"S"}')).fields).toEqual([{ path: 'points', message: 'must be an array of points' }]);
    const e = await refusal(`{"points":[{"name":"S.AHU-1.T"},[1],{"name":"S.AHU-1.T","x":"${'y'.repeat(20_000)}"}]}`);
    expect(e.fields.map((f) => f.path)).toEqual(['points[1]', 'points[2]']);
  });

  it('ignores members it does not know, and reads a body with a byte-order mark', async () => {
    expect((await read('\ufeff{"injectLeak":"1GiB/s","points":[{"name":"S.AHU-1.T"}],"faults":{"x":[1,2]}}')).points).toHaveLength(1);
  });

  it('counts the points before parsing any: more than the limit is 413 without building them', async () => {
    const text = `{"points":[${'{},'.repeat(3_000_000)}{}]}`; // 9 MB; JSON.parse builds 190 MB of objects from it
    const growth = await peakHeapGrowth((pacer) => readJsonJob(text, DEFAULT_INPUT_LIMITS, pacer));
    await expect(read(text)).rejects.toMatchObject({ status: 413, code: 'too_many_points' });
    expect(growth).toBeLessThan(32 * 2 ** 20);
  });

  it('validates members it ignores without building them', async () => {
    const text = `{"points":[{"name":"S.AHU-1.T"}],"junk":[${'{},'.repeat(3_000_000)}{}]}`;
    const growth = await peakHeapGrowth((pacer) => readJsonJob(text, DEFAULT_INPUT_LIMITS, pacer));
    expect((await read(text)).points).toHaveLength(1);
    expect(growth).toBeLessThan(32 * 2 ** 20);
  });

  it('does the same work per point however the body is shaped: four times the points, about four times the time', async () => {
    // Shapes that would be quadratic in a naive reader: escapes everywhere, long strings, deep (allowed) nesting.
    const shapes = [
      (n: number) => JSON.stringify({ points: Array.from({ length: n }, (_, i) => ({ name: `S.AHU-${i}.T`, value: i })) }),
      (n: number) => JSON.stringify({ points: Array.from({ length: n }, () => ({ name: 'S.AHU-1.T', description: '\\"\u00e9\ud83d\ude00'.repeat(40) })) }),
      (n: number) => `{"points":[${Array.from({ length: n }, () => '{"name":"S.AHU-1.T"}').join(',')}],"x":${'['.repeat(60)}${']'.repeat(60)}}`,
    ];
    for (const shape of shapes) {
      const time = async (n: number): Promise<number> => {
        const text = shape(n);
        let best = Number.POSITIVE_INFINITY;
        for (let r = 0; r < 5; r++) {
          const t0 = process.cpuUsage();
          await readJsonJob(text, DEFAULT_INPUT_LIMITS, new Pacer(1e9));
          const t = process.cpuUsage(t0);
          best = Math.min(best, t.user + t.system);
        }
        return best;
      };
      await time(2_000); // warm-up
      // Linear is 4×; quadratic would be 16×. The margin is for garbage collection and a machine shared with others.
      const ratio = (await time(20_000)) / (await time(5_000));
      expect(ratio).toBeGreaterThan(2);
      expect(ratio).toBeLessThan(8);
    }
  });

  it('yields to the event loop while it reads a large body', async () => {
    const pacer = new Pacer(0);
    await readJsonJob(JSON.stringify({ points: Array.from({ length: 20_000 }, () => ({ name: 'SITE1.AHU-01.SA-T', value: 1 })) }), DEFAULT_INPUT_LIMITS, pacer);
    expect(pacer.yields).toBeGreaterThan(20);
  });
});
