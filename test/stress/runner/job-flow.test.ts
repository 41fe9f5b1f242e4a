import { describe, expect, it } from 'vitest';
import { LOAD_PROFILES } from '../../../src/stress/load-profiles.js';
import { createOnboardingJob, encodeJob } from '../../../src/stress/onboarding-jobs.js';
import { ClientStats, LIST, STATUS, SUBMIT } from '../../../src/stress/runner/client-stats.js';
import type { HttpAnswer, HttpClient } from '../../../src/stress/runner/http-client.js';
import { runIteration, type FlowDeps } from '../../../src/stress/runner/job-flow.js';

interface Sent {
  method: string;
  path: string;
  body?: string | undefined;
  contentType?: string | undefined;
}

/** A service that accepts a job as queued, answers `statuses` to the status reads that follow, in order. */
function fakeService(statuses: string[], submitStatus = 202): { http: HttpClient; sent: Sent[] } {
  const sent: Sent[] = [];
  let reads = 0;
  const http: HttpClient = {
    request(method, path, options = {}): Promise<HttpAnswer> {
      sent.push({ method, path, body: options.body, contentType: options.contentType });
      if (method === 'POST') {
        return Promise.resolve(submitStatus === 202 ? { status: 202, body: JSON.stringify({ id: 'job 1', status: 'queued' }) } : { status: submitStatus, body: '{"error":"queue_full"}' });
      }
      if (path === '/api/onboarding/jobs') return Promise.resolve({ status: 200, body: '{"jobs":[]}' });
      return Promise.resolve({ status: 200, body: JSON.stringify({ id: 'job 1', status: statuses[Math.min(reads++, statuses.length - 1)] }) });
    },
    close: () => Promise.resolve(),
  };
  return { http, sent };
}

function deps(http: HttpClient, random = 0.5): FlowDeps & { slept: number[]; clock: { t: number } } {
  const clock = { t: 0 };
  const slept: number[] = [];
  return {
    http,
    stats: new ClientStats(),
    now: () => clock.t,
    // The injected clock moves by what the flow waits: no real sleeping.
    sleep: (ms) => {
      slept.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
    stopped: () => false,
    random: () => random,
    slept,
    clock,
  };
}

describe('runIteration', () => {
  it("submits the k6 scripts' job for the same seed, follows it to its end, then thinks", async () => {
    const { http, sent } = fakeService(['running', 'succeeded']);
    const d = deps(http);
    expect(await runIteration(d, LOAD_PROFILES.smoke, 7)).toBe('succeeded');
    const seed = 1_000_003 + 7;
    const { min, max } = LOAD_PROFILES.smoke.pointsPerJob;
    const job = createOnboardingJob(seed, min + (seed % (max - min + 1)));
    const format = (seed % 100) / 100 < 0.2 ? 'csv' : 'json';
    expect(sent[0]).toEqual({ method: 'POST', path: '/api/onboarding/jobs', ...encodeJob(job, format) });
    expect(sent.slice(1).map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/onboarding/jobs/job%201', 'GET /api/onboarding/jobs/job%201']);
    // Two polls 250 ms apart, then the think time (random 0.5: the profile's 1 s exactly).
    expect(d.slept).toEqual([250, 250, 1000]);
    const s = d.stats.summary();
    expect(s.outcomes.succeeded).toBe(1);
    expect(s.turnaroundCount).toBe(1);
    expect(s.byRequest).toEqual({ [SUBMIT]: { requests: 1, failed: 0 }, [STATUS]: { requests: 2, failed: 0 } });
    expect(s.checks).toBe(6);
    expect(s.checksRate).toBe(1);
  });

  it('counts a refused submission as a failed request, failed checks and a rejected job', async () => {
    const { http, sent } = fakeService([], 503);
    const d = deps(http);
    expect(await runIteration(d, LOAD_PROFILES.smoke, 0)).toBe('rejected');
    expect(sent).toHaveLength(1);
    const s = d.stats.summary();
    expect(s).toMatchObject({ requests: 1, failedRequests: 1, checks: 2, outcomes: { rejected: 1 }, sampleErrors: [`${SUBMIT}: HTTP 503`] });
  });

  it("gives up on a job after the profile's maxJobWaitSeconds and counts it timed out", async () => {
    const { http } = fakeService(['running']);
    const d = deps(http);
    const profile = { ...LOAD_PROFILES.smoke, maxJobWaitSeconds: 1 };
    expect(await runIteration(d, profile, 1)).toBe('timed_out');
    expect(d.stats.summary().byRequest[STATUS]?.requests).toBe(4);
    expect(d.stats.summary().outcomes.timed_out).toBe(1);
  });

  it('sends the large batches of the leak hunt on every n-th job, the first included, and reads the job list now and then', async () => {
    const { http, sent } = fakeService(['succeeded']);
    // random() 0.05 is under REQUEST_MIX.listJobsShare: this iteration reads the list too.
    const d = deps(http, 0.05);
    await runIteration(d, LOAD_PROFILES['leak-hunt'], 0);
    expect(d.stats.largeJobs).toBe(1);
    const body = sent[0]!.body!;
    const points = sent[0]!.contentType === 'text/csv' ? body.trim().split('\n').length - 1 : (JSON.parse(body) as { points: unknown[] }).points.length;
    expect(points).toBe(LOAD_PROFILES['leak-hunt'].largeBatches!.points);
    expect(sent.at(-1)?.path).toBe('/api/onboarding/jobs');
    expect(d.stats.summary().byRequest[LIST]).toEqual({ requests: 1, failed: 0 });
  });
});
