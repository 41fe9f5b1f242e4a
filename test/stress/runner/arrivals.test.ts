import { describe, expect, it } from 'vitest';
import { REQUEST_MIX, type LoadProfile } from '../../../src/stress/load-profiles.js';
import { arrivalRateAt, cumulativeArrivals, jobsPerSecondPerVU, profileEnd, stageAt, stageSpans, vusAt } from '../../../src/stress/runner/arrivals.js';

const profile = (stages: LoadProfile['stages'], thinkTimeSeconds = 1): LoadProfile => ({
  name: 'smoke',
  purpose: 'test',
  stages,
  thinkTimeSeconds,
  pointsPerJob: { min: 1, max: 2 },
  maxJobWaitSeconds: 5,
  thresholds: { httpReqFailedRate: 0.01, httpReqDurationP95Ms: 500, httpReqDurationP99Ms: 1000, checksRate: 0.99, jobTurnaroundP95Ms: 2000 },
});

describe('arrivals', () => {
  const p = profile([{ durationSeconds: 10, targetVUs: 4 }, { durationSeconds: 20, targetVUs: 4 }, { durationSeconds: 10, targetVUs: 0 }]);

  it('ramps VUs linearly from the previous stage and holds between equal targets', () => {
    expect(vusAt(p, 0)).toBe(0);
    expect(vusAt(p, 5)).toBe(2);
    expect(vusAt(p, 20)).toBe(4);
    expect(vusAt(p, 35)).toBe(2);
    expect(vusAt(p, 40)).toBe(0);
  });

  it('stands one VU for a job every think time plus one poll interval', () => {
    expect(jobsPerSecondPerVU(p)).toBeCloseTo(1 / (1 + REQUEST_MIX.pollIntervalSeconds));
    expect(arrivalRateAt(p, 20)).toBeCloseTo(4 * jobsPerSecondPerVU(p));
  });

  it('integrates the rate exactly: the triangle ramps count half, the hold in full', () => {
    const perVU = jobsPerSecondPerVU(p);
    expect(cumulativeArrivals(p, 10)).toBeCloseTo(20 * perVU); // ramp 0→4 over 10 s: 20 VU·s
    expect(cumulativeArrivals(p, 30)).toBeCloseTo((20 + 80) * perVU);
    expect(cumulativeArrivals(p, 40)).toBeCloseTo(120 * perVU);
    expect(cumulativeArrivals(p, 1000)).toBeCloseTo(120 * perVU);
  });

  it('offers twice the jobs for twice the VUs, and twice the hold for a hold twice as long', () => {
    const doubled = profile([{ durationSeconds: 10, targetVUs: 8 }, { durationSeconds: 20, targetVUs: 8 }, { durationSeconds: 10, targetVUs: 0 }]);
    expect(cumulativeArrivals(doubled, 40)).toBeCloseTo(2 * cumulativeArrivals(p, 40));
    const longer = profile([{ durationSeconds: 10, targetVUs: 4 }, { durationSeconds: 40, targetVUs: 4 }, { durationSeconds: 10, targetVUs: 0 }]);
    expect(cumulativeArrivals(longer, 50) - cumulativeArrivals(longer, 10)).toBeCloseTo(2 * (cumulativeArrivals(p, 30) - cumulativeArrivals(p, 10)));
  });

  it('names each stage by what it does and finds the stage running at a time', () => {
    const spans = stageSpans(p);
    expect(spans.map((s) => s.label)).toEqual(['stage 1/3 (ramp up to 4 VUs)', 'stage 2/3 (hold 4 VUs)', 'stage 3/3 (ramp down to 0 VUs)']);
    expect(stageAt(spans, 15)?.index).toBe(1);
    expect(stageAt(spans, profileEnd(p))).toBeUndefined();
  });
});
