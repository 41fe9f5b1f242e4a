import { describe, expect, it } from 'vitest';
import type { LoadProfile } from '../../../src/stress/load-profiles.js';
import { cumulativeArrivals } from '../../../src/stress/runner/arrivals.js';
import type { HttpClient } from '../../../src/stress/runner/http-client.js';
import { startLoad } from '../../../src/stress/runner/load-generator.js';

/** Every job is done at its first status read. */
const instant: HttpClient = {
  request: (method) => Promise.resolve(method === 'POST' ? { status: 202, body: '{"id":"a","status":"queued"}' } : { status: 200, body: '{"id":"a","status":"succeeded","jobs":[]}' }),
  close: () => Promise.resolve(),
};

const profile = (vus: number, seconds: number, stages: LoadProfile['stages'] = [{ durationSeconds: seconds, targetVUs: vus }]): LoadProfile => ({
  name: 'smoke',
  purpose: 'test',
  stages,
  thinkTimeSeconds: 0.05,
  pointsPerJob: { min: 1, max: 2 },
  maxJobWaitSeconds: 5,
  thresholds: { httpReqFailedRate: 0.01, httpReqDurationP95Ms: 500, httpReqDurationP99Ms: 1000, checksRate: 0.99, jobTurnaroundP95Ms: 2000 },
});

describe('startLoad', () => {
  it("starts the profile's planned arrivals, and twice as many for twice the VUs", async () => {
    const runs = await Promise.all([profile(2, 1.5), profile(4, 1.5)].map(async (p) => {
      const run = startLoad({ profile: p, http: instant, maxInFlight: 1000 });
      await run.done;
      return { planned: Math.floor(cumulativeArrivals(p, 1.5)), started: run.stats.jobsStarted, succeeded: run.stats.outcomes.succeeded };
    }));
    for (const r of runs) {
      expect(r.started).toBe(r.planned);
      expect(r.succeeded).toBe(r.started);
    }
    expect(runs[1]!.started / runs[0]!.started).toBeCloseTo(2, 0);
  });

  it('drops and counts arrivals beyond maxInFlight instead of queueing them (a stuck service is not buried)', async () => {
    const stuck: HttpClient = { request: () => new Promise(() => undefined), close: () => Promise.resolve() };
    const p = profile(4, 1);
    const run = startLoad({ profile: p, http: stuck, maxInFlight: 2, gracefulStopMs: 50 });
    await run.done;
    expect(run.stats.jobsStarted).toBe(2);
    expect(run.stats.droppedArrivals).toBe(Math.floor(cumulativeArrivals(p, 1)) - 2);
  });

  it('stops starting jobs when stopped and ends with the iterations in flight', async () => {
    const p = profile(0, 0, [{ durationSeconds: 1, targetVUs: 4 }, { durationSeconds: 60, targetVUs: 4 }]);
    const run = startLoad({ profile: p, http: instant, maxInFlight: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    run.stop();
    await run.done;
    const started = run.stats.jobsStarted;
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThan(cumulativeArrivals(p, 5));
    expect(run.inFlight()).toBe(0);
  });
});
