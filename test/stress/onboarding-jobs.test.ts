import { describe, expect, it } from 'vitest';
import { normalizePoint } from '../../src/bms/pipeline/normalize.js';
import { parsePoint } from '../../src/bms/pipeline/parse.js';
import { createOnboardingJob, encodeJob, namingConventionOf, seededRandom, toCsv, type NamingConvention, type OnboardingPoint } from '../../src/stress/onboarding-jobs.js';

/** The job's points as the service reads them: parsed and normalized by the service's own pipeline stages. */
const asService = (p: OnboardingPoint) => {
  const parsed = parsePoint({ name: p.name, value: p.value, units: p.units, description: p.description });
  return parsed === null ? null : normalizePoint(parsed);
};

/** The first seed (from 1) whose site follows `convention`. */
const seedOf = (convention: NamingConvention): number => {
  for (let seed = 1; ; seed++) if (namingConventionOf(seed) === convention) return seed;
};

describe('createOnboardingJob', () => {
  it('is the same for the same seed and differs between seeds', () => {
    expect(createOnboardingJob(42, 50)).toEqual(createOnboardingJob(42, 50));
    expect(createOnboardingJob(42, 50)).not.toEqual(createOnboardingJob(43, 50));
  });

  it('holds exactly the requested number of points, any number of them, at least one', () => {
    for (const count of [1, 7, 300, 600, 20_000]) expect(createOnboardingJob(count, count).points, String(count)).toHaveLength(count);
    expect(createOnboardingJob(1, 0).points).toHaveLength(1);
    expect(createOnboardingJob(1, 2.9).points).toHaveLength(2);
  });

  it('writes every site in one of the four export conventions, each met, most of them dotted', () => {
    const seen = new Map<NamingConvention, number>();
    for (let seed = 1; seed <= 2000; seed++) seen.set(namingConventionOf(seed), (seen.get(namingConventionOf(seed)) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual(['colon-floor', 'dotted', 'slashed', 'underscored']);
    expect(seen.get('dotted')! / 2000).toBeGreaterThan(0.45);
    const patterns: Record<NamingConvention, RegExp> = {
      dotted: /^SITE\d\.[A-Z]+-\d+(-\d+)?\.[A-Z0-9-]+$/,
      slashed: /^SITE\d\/B\d+\/[A-Z]+_\d+(-\d+)?\/[A-Z0-9]+$/,
      'colon-floor': /^SITE\d:L\d+:[A-Z]+-\d+(-\d+)?:[A-Z0-9-]+$/,
      underscored: /^site\d_[a-z]+\d+(-\d+)?_[a-z0-9_]+$/,
    };
    for (const [convention, pattern] of Object.entries(patterns) as Array<[NamingConvention, RegExp]>) {
      for (const p of createOnboardingJob(seedOf(convention), 300).points) expect(p.name, convention).toMatch(pattern);
    }
  });

  it('sends names the service parses, every one, into points of the site the job names', () => {
    for (const convention of ['dotted', 'slashed', 'colon-floor', 'underscored'] as const) {
      const job = createOnboardingJob(seedOf(convention), 2000);
      for (const p of job.points) {
        const normalized = asService(p);
        expect(normalized, `${convention}: ${p.name}`).not.toBeNull();
        expect(normalized?.site).toBe(job.site);
      }
    }
  });

  it('mixes in what real exports hold: other spellings of points and units, repeated points, unreadable values', () => {
    const points = createOnboardingJob(5, 20_000).points;
    const share = (test: (p: OnboardingPoint) => boolean): number => points.filter(test).length / points.length;
    const canonical = new Set(['SA-T', 'RA-T', 'MA-T', 'OA-T', 'SA-P', 'SF-S', 'SF-C', 'CHW-V', 'OAD-C', 'SA-F', 'ZN-T', 'ZN-TSP', 'DMP-C', 'AF', 'RH-V', 'FAN-S', 'CHWS-T', 'CHWR-T', 'KW', 'LOAD', 'STS', 'HWS-T', 'HWR-T', 'KWH', 'V', 'PF']);
    const dotted = createOnboardingJob(seedOf('dotted'), 20_000).points;
    const aliased = dotted.filter((p) => !canonical.has(p.name.split('.').at(-1) ?? '')).length / dotted.length;
    expect(aliased).toBeGreaterThan(0.1);
    expect(aliased).toBeLessThan(0.3);
    expect(share((p) => p.units === 'degC' || p.units === 'DEG C')).toBeGreaterThan(0.02);
    expect(share((p) => typeof p.value === 'string')).toBeGreaterThan(0.002);
    expect(share((p) => typeof p.value === 'string')).toBeLessThan(0.03);
    expect(1 - new Set(points.map((p) => p.name)).size / points.length).toBeGreaterThan(0.005);
    expect(1 - new Set(points.map((p) => p.name)).size / points.length).toBeLessThan(0.05);
  });

  it('continues a large export into further buildings with new equipment, not the same names again', () => {
    const job = createOnboardingJob(seedOf('slashed'), 5000);
    const buildings = new Set(job.points.map((p) => p.name.split('/')[1]));
    expect(buildings.size).toBeGreaterThan(5);
    // Only the deliberate repeats (~2 %) share a name.
    expect(new Set(job.points.map((p) => p.name)).size / job.points.length).toBeGreaterThan(0.95);
  });
});

describe('seededRandom', () => {
  it('is uniform in [0, 1) and reproducible', () => {
    const a = seededRandom(9);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
    const b = seededRandom(9);
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
  });
});

describe('encodeJob', () => {
  it('sends the same points as JSON or as CSV, which the service reads back alike', () => {
    const job = createOnboardingJob(77, 40);
    expect(JSON.parse(encodeJob(job, 'json').body)).toEqual({ site: job.site, points: job.points });
    const rows = toCsv(job.points).trimEnd().split('\n');
    expect(rows[0]).toBe('name,value,units,description');
    expect(rows).toHaveLength(job.points.length + 1);
    expect(encodeJob(job, 'csv').contentType).toBe('text/csv');
  });
});
