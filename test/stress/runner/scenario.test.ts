import { afterEach, describe, expect, it } from 'vitest';
import { LOAD_PROFILES, profileDurationSeconds, type LoadProfile } from '../../../src/stress/load-profiles.js';
import { cumulativeArrivals } from '../../../src/stress/runner/arrivals.js';
import { ClientStats } from '../../../src/stress/runner/client-stats.js';
import { resolveProfile } from '../../../src/stress/runner/scenario.js';
import { judgeClient } from '../../../src/stress/runner/thresholds.js';

const original = LOAD_PROFILES.smoke;
const profiles = LOAD_PROFILES as Record<string, LoadProfile>;

describe('resolveProfile', () => {
  afterEach(() => {
    profiles.smoke = original;
  });

  it('runs what src/stress/load-profiles.ts says: changing the shared profile changes the load and the thresholds', () => {
    const before = resolveProfile('smoke');
    const planBefore = cumulativeArrivals(before, profileDurationSeconds(before));
    // The same edit a maintainer would make in load-profiles.ts (the k6 scripts bundle the same object).
    profiles.smoke = { ...original, stages: original.stages.map((s) => ({ ...s, targetVUs: s.targetVUs * 3 })), thresholds: { ...original.thresholds, httpReqDurationP95Ms: 123 } };
    const after = resolveProfile('smoke');
    expect(cumulativeArrivals(after, profileDurationSeconds(after))).toBeCloseTo(3 * planBefore);
    expect(judgeClient(after, new ClientStats().summary()).map((t) => t.name)).toContain('http_req_duration p(95)<123');
  });

  it('shortens a scenario to about the asked length, keeping its shape and thresholds', () => {
    const short = resolveProfile('leak-hunt', 170);
    expect(profileDurationSeconds(short)).toBeGreaterThanOrEqual(165);
    expect(profileDurationSeconds(short)).toBeLessThanOrEqual(175);
    expect(short.thresholds).toEqual(LOAD_PROFILES['leak-hunt'].thresholds);
    expect(short.stages.map((s) => s.targetVUs)).toEqual(LOAD_PROFILES['leak-hunt'].stages.map((s) => s.targetVUs));
  });

  it('refuses a duration that is not a positive number, naming --duration', () => {
    expect(() => resolveProfile('smoke', 0)).toThrow(/--duration must be a number of seconds > 0/);
  });
});
