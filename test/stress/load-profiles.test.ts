import { describe, expect, it } from 'vitest';
import { PRODUCTION, durationSeconds } from '../../src/monitoring/thresholds.js';
import { resolveLeakOptions } from '../../src/sdk/leak/leak-options.js';
import {
  durationScaleFor,
  isLargeBatch,
  isLoadProfileName,
  LOAD_PROFILE_NAMES,
  LOAD_PROFILES,
  profileDurationSeconds,
  profilePeakVUs,
  REQUEST_MIX,
  scaleProfile,
  type LoadProfileName,
} from '../../src/stress/load-profiles.js';

const names: LoadProfileName[] = ['smoke', 'average', 'stress', 'spike', 'soak', 'leak-hunt'];

describe('LOAD_PROFILES', () => {
  it('define smoke, average, stress, spike, soak and leak-hunt, each under its own name', () => {
    expect(Object.keys(LOAD_PROFILES).sort()).toEqual([...names].sort());
    expect([...LOAD_PROFILE_NAMES].sort()).toEqual([...names].sort());
    for (const name of names) expect(LOAD_PROFILES[name].name).toBe(name);
    expect(isLoadProfileName('leak-hunt')).toBe(true);
    expect(isLoadProfileName('leak')).toBe(false);
  });

  it('ramp up from and back down to zero in stages of positive length, with sensible job sizes', () => {
    for (const p of Object.values(LOAD_PROFILES)) {
      expect(p.stages.at(-1)?.targetVUs, p.name).toBe(0);
      for (const s of p.stages) {
        expect(s.durationSeconds, p.name).toBeGreaterThan(0);
        expect(Number.isInteger(s.targetVUs) && s.targetVUs >= 0, p.name).toBe(true);
      }
      expect(p.pointsPerJob.min).toBeGreaterThan(0);
      expect(p.pointsPerJob.max).toBeGreaterThanOrEqual(p.pointsPerJob.min);
      expect(p.thinkTimeSeconds).toBeGreaterThan(0);
      expect(p.maxJobWaitSeconds).toBeGreaterThan(REQUEST_MIX.pollIntervalSeconds);
    }
  });

  it('mean what their names say: a short smoke, rising peaks, a sudden spike, an hour-long soak', () => {
    const { smoke, average, stress, spike, soak } = LOAD_PROFILES;
    expect(profileDurationSeconds(smoke)).toBeLessThanOrEqual(60);
    expect(profilePeakVUs(smoke)).toBeLessThan(profilePeakVUs(average));
    expect(profilePeakVUs(average)).toBeLessThan(profilePeakVUs(stress));
    expect(profilePeakVUs(stress)).toBeLessThan(profilePeakVUs(spike));
    expect(spike.stages[0]?.durationSeconds).toBeLessThanOrEqual(10);
    expect(profileDurationSeconds(soak)).toBeGreaterThanOrEqual(3600);
    expect(profilePeakVUs(soak)).toBe(profilePeakVUs(average));
  });

  it('have thresholds that are rates in (0, 1) and latencies with p95 below p99, loosening with load', () => {
    for (const { name, thresholds: t } of Object.values(LOAD_PROFILES)) {
      expect(t.httpReqFailedRate > 0 && t.httpReqFailedRate < 1, name).toBe(true);
      expect(t.checksRate > 0 && t.checksRate < 1, name).toBe(true);
      expect(t.httpReqDurationP95Ms, name).toBeLessThan(t.httpReqDurationP99Ms);
    }
    expect(LOAD_PROFILES.smoke.thresholds.httpReqDurationP95Ms).toBeLessThan(LOAD_PROFILES.stress.thresholds.httpReqDurationP95Ms);
  });
});

describe('the leak-hunt profile', () => {
  const hunt = LOAD_PROFILES['leak-hunt'];
  const steady = hunt.stages.reduce((longest, s) => (s.durationSeconds > longest.durationSeconds ? s : longest));

  it('holds a steady load as long as the production leak alert needs to fire: its warm-up, then its `for`', () => {
    const alertSeconds = durationSeconds(PRODUCTION.leak.warmUp) + durationSeconds(PRODUCTION.leak.for);
    expect(steady.targetVUs).toBe(profilePeakVUs(hunt));
    expect(steady.durationSeconds).toBeGreaterThanOrEqual(alertSeconds);
    // ... which is several of the SDK's own leak windows (its verdict needs one, after its warm-up).
    const sdk = resolveLeakOptions();
    expect(steady.durationSeconds * 1000).toBeGreaterThanOrEqual(2 * sdk.scales[0]!.windowMs + sdk.warmUpMs);
  });

  it('sends large batches, the first job among them, within what the service accepts', () => {
    const large = hunt.largeBatches!;
    expect(large.points).toBeGreaterThan(20 * hunt.pointsPerJob.max);
    expect(large.points).toBeLessThanOrEqual(100_000); // the service's per-job limit (docs/bms-service.md)
    expect(isLargeBatch(hunt, 0)).toBe(true);
    const jobs = Array.from({ length: 200 }, (_, i) => i).filter((i) => isLargeBatch(hunt, i));
    expect(jobs).toHaveLength(200 / large.everyNthJob);
    for (const name of names.filter((n) => n !== 'leak-hunt')) expect(isLargeBatch(LOAD_PROFILES[name], 0), name).toBe(false);
  });
});

describe('scaleProfile', () => {
  it('stretches or shortens every stage by the factor, in whole seconds, and keeps everything else', () => {
    const hunt = LOAD_PROFILES['leak-hunt'];
    const short = scaleProfile(hunt, 0.01);
    expect(short.stages).toEqual([
      { durationSeconds: 1, targetVUs: 10 },
      { durationSeconds: 27, targetVUs: 10 },
      { durationSeconds: 1, targetVUs: 0 },
    ]);
    expect({ ...short, stages: hunt.stages }).toEqual(hunt);
    expect(scaleProfile(LOAD_PROFILES.smoke, 2).stages.map((s) => s.durationSeconds)).toEqual([10, 80, 10]);
    expect(scaleProfile(LOAD_PROFILES.smoke, 1)).toBe(LOAD_PROFILES.smoke);
  });

  it('makes a run of about the length asked for, with durationScaleFor', () => {
    for (const profile of Object.values(LOAD_PROFILES)) {
      const seconds = profileDurationSeconds(scaleProfile(profile, durationScaleFor(profile, 20)));
      expect(seconds, profile.name).toBeGreaterThanOrEqual(18);
      expect(seconds, profile.name).toBeLessThanOrEqual(22);
    }
  });

  it('refuses a factor that is not a finite number above zero, naming it', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => scaleProfile(LOAD_PROFILES.smoke, bad)).toThrow(/durationScale must be a finite number > 0/);
    }
  });
});

describe('REQUEST_MIX', () => {
  it('submits some jobs as CSV and reads the job list now and then, shares between 0 and 1', () => {
    expect(REQUEST_MIX.csvShare).toBeGreaterThan(0);
    expect(REQUEST_MIX.csvShare).toBeLessThan(0.5);
    expect(REQUEST_MIX.listJobsShare).toBeGreaterThan(0);
    expect(REQUEST_MIX.listJobsShare).toBeLessThan(1);
  });
});
