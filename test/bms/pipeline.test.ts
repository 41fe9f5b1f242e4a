import { describe, expect, it } from 'vitest';
import { generatePointBatches, generatePoints, type RawPoint } from '../../src/bms/data/generator.js';
import { parsePoint } from '../../src/bms/pipeline/parse.js';
import { normalizePoint } from '../../src/bms/pipeline/normalize.js';
import { classifyPoint } from '../../src/bms/pipeline/classify.js';
import { onboard, type PhaseRunner } from '../../src/bms/pipeline/onboard.js';
import { MemscopeError } from '../../src/internal/errors.js';

const raw = (name: string, value: RawPoint['value'] = 1, units = ''): RawPoint => ({ name, value, units, description: '' });
const canonical = (name: string): string => normalizePoint(parsePoint(raw(name))!).id;

describe('test-data generation', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generatePoints({ points: 200, seed: 5 })).toEqual(generatePoints({ points: 200, seed: 5 }));
    expect(generatePoints({ points: 200, seed: 5 })).not.toEqual(generatePoints({ points: 200, seed: 6 }));
  });

  it('yields batches of the configured size with the same points as unbatched generation', async () => {
    const batches: RawPoint[][] = [];
    for await (const b of generatePointBatches({ points: 250, batchSize: 100, seed: 3 })) batches.push(b);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(generatePoints({ points: 250, seed: 3 }));
  });

  it('follows the equipment mix and names points the way BMS exports do', () => {
    const points = generatePoints({ points: 3000, seed: 1, mix: { ahu: 0, vav: 1, fcu: 0, chiller: 0, boiler: 0, meter: 0 }, duplicateRate: 0, invalidRate: 0 });
    expect(points.every((p) => /VAV|VB/i.test(p.name))).toBe(true);
    const all = generatePoints({ points: 2000, seed: 2, sites: 4 }).map((p) => p.name);
    expect(all.some((n) => /^SITE\d\.[A-Z]+-\d{2}\.[A-Z-]+$/.test(n))).toBe(true); // SITE1.AHU-01.SA-T
    expect(all.some((n) => /^SITE\d\/B\d\//.test(n))).toBe(true); // SITE2/B1/AHU_01/SAT
    expect(all.some((n) => /^SITE\d:L\d+:/.test(n))).toBe(true); // SITE3:L4:VAV-4-01:ZN-T
    expect(all.some((n) => /^site\d_[a-z]+\d{2}_/.test(n))).toBe(true); // site4_ahu01_sa_t
  });

  it('rejects bad options naming the field', () => {
    expect(() => generatePoints({ points: 0 })).toThrow(MemscopeError);
    expect(() => generatePoints({ mix: { ahu: -1 } })).toThrow(/mix\.ahu/);
    expect(() => generatePoints({ mix: { rooftop: 1 } as never })).toThrow(/mix\.rooftop/);
  });
});

describe('parse and normalize', () => {
  it('maps every export convention of the same point to one canonical name', () => {
    expect(canonical('SITE1.AHU-01.SA-T')).toBe('SITE1.AHU-01.SA-T');
    expect(canonical('SITE1/B2/AHU_01/SAT')).toBe('SITE1.AHU-01.SA-T');
    expect(canonical('SITE1/B2/AH_1/SUP-AIR-TEMP')).toBe('SITE1.AHU-01.SA-T');
    expect(canonical('site1_ahu01_sa_t')).toBe('SITE1.AHU-01.SA-T');
    expect(canonical('SITE3:L4:VAV-4-01:ZN-T')).toBe('SITE3.VAV-04-01.ZN-T');
  });

  it('does not parse names that follow no convention', () => {
    expect(parsePoint(raw('temperature'))).toBeNull();
    expect(parsePoint(raw('SITE1..SA-T'))).toBeNull();
  });

  it('coerces values and canonicalizes units', () => {
    const p = normalizePoint(parsePoint(raw('SITE1.AHU-01.SA-T', '12,5', 'DEG C'))!);
    expect(p).toMatchObject({ value: 12.5, unit: '°C', unitKnown: true });
    expect(normalizePoint(parsePoint(raw('SITE1.AHU-01.SF-S', 'on'))!).value).toBe(1);
    expect(normalizePoint(parsePoint(raw('SITE1.AHU-01.SA-T', 'n/a'))!).value).toBeNull();
  });
});

describe('classify', () => {
  it('tags points Haystack-style and names the equipment class', () => {
    const p = classifyPoint(normalizePoint(parsePoint(raw('SITE1.AHU-01.SA-T', 13, '°C'))!));
    expect(p.equipClass).toBe('ahu');
    expect(p.kind).toBe('sensor');
    expect(p.tags).toEqual(expect.arrayContaining(['point', 'sensor', 'discharge', 'air', 'temp', 'siteRef:SITE1', 'equipRef:SITE1.AHU-01']));
    expect(classifyPoint(normalizePoint(parsePoint(raw('SITE1.VAV-03.ZN-TSP', 21))!)).kind).toBe('sp');
    expect(classifyPoint(normalizePoint(parsePoint(raw('SITE1.MTR-01.KWH', 5))!)).tags).toEqual(expect.arrayContaining(['elec', 'energy']));
  });

  it('falls back to name heuristics for points no template knows', () => {
    const p = classifyPoint(normalizePoint(parsePoint(raw('SITE1.AHU-01.ZONE-CO2', 600))!));
    expect(p.kind).toBe('sensor');
    expect(p.tags).toContain('co2');
  });
});

describe('onboard', () => {
  it('validates, deduplicates and assembles the equipment model', async () => {
    const points = [
      raw('SITE1.AHU-01.SA-T', 13, '°C'),
      raw('SITE1/B1/AHU_01/SAT', 14, '°C'), // the same point again
      raw('SITE1.AHU-01.RA-T', 'n/a', '°C'), // no value
      raw('SITE1.AHU-01.OAD-C', 500, '%'), // out of range
      raw('SITE1.XYZ-01.SA-T', 1, '°C'), // unknown equipment
      raw('SITE1.VAV-01.ZN-T', 21, 'furlongs'), // unknown unit, kept
      raw('nonsense', 1), // unparseable
    ];
    const r = await onboard([points]);
    expect(r).toMatchObject({ pointsReceived: 7, pointsAccepted: 2, duplicatesRemoved: 1, equipmentCount: 2, sites: ['SITE1'] });
    expect(r.issueCounts).toMatchObject({ missing_value: 1, out_of_range: 1, unknown_equipment: 1, unknown_unit: 1, unparseable_name: 1 });
    expect(r.equipment.find((e) => e.id === 'SITE1.AHU-01')!.points[0]!.value).toBe(14);
  });

  it('runs every stage as a phase, the per-batch stages once per batch', async () => {
    const calls: string[] = [];
    const phases: PhaseRunner = { phase: (name, fn) => (calls.push(name), fn()) };
    await onboard(generatePointBatches({ points: 250, batchSize: 100 }), { phases });
    const count = (n: string): number => calls.filter((c) => c === n).length;
    expect(count('onboarding')).toBe(1);
    for (const stage of ['parse', 'normalize', 'classify', 'validate']) expect(count(stage)).toBe(3);
    for (const stage of ['deduplicate', 'assemble', 'store']) expect(count(stage)).toBe(1);
  });
});
