import { describe, expect, it } from 'vitest';
import { LOAD_PROFILES } from '../../../src/stress/load-profiles.js';
import type { ClientSummary } from '../../../src/stress/runner/client-stats.js';
import { verdictLine } from '../../../src/stress/runner/run-stress.js';
import { describeScrapedVerdict, judgeClient, judgeMemory, summarizeMemory, type MemorySummary } from '../../../src/stress/runner/thresholds.js';

const healthy: ClientSummary = {
  requests: 1000, failedRequests: 0, failedRate: 0, checks: 2000, checksRate: 1,
  durationP50Ms: 5, durationP95Ms: 40, durationP99Ms: 90, durationMaxMs: 120,
  jobsStarted: 300, largeJobs: 15, droppedArrivals: 0, outcomes: { succeeded: 300, failed: 0, timed_out: 0, rejected: 0 },
  turnaroundP95Ms: 400, turnaroundCount: 300, byRequest: {}, sampleErrors: [],
};

const memory: MemorySummary = { peakRssBytes: 200 * 2 ** 20, peakHeapUsedBytes: 80 * 2 ** 20, heapLimitBytes: 4 * 2 ** 30, containerLimitBytes: null, verdict: null, firstSuspectedAt: null };

describe('judgeClient', () => {
  it("judges the profile's thresholds under k6's names", () => {
    const results = judgeClient(LOAD_PROFILES.smoke, healthy);
    expect(results.map((r) => r.name)).toEqual([
      'http_req_failed rate<0.01', 'http_req_duration p(95)<500', 'http_req_duration p(99)<1000', 'checks rate>0.99', 'onboarding_job_duration p(95)<2000',
    ]);
    expect(results.every((r) => r.passed)).toBe(true);
  });

  it('fails each threshold the figures cross, naming the figure', () => {
    const slow = { ...healthy, durationP95Ms: 700, failedRate: 0.02, failedRequests: 20, sampleErrors: ['POST /api/onboarding/jobs: HTTP 503'] };
    const failed = judgeClient(LOAD_PROFILES.smoke, slow).filter((r) => !r.passed);
    expect(failed.map((r) => r.name)).toEqual(['http_req_failed rate<0.01', 'http_req_duration p(95)<500']);
    expect(failed[0]!.message).toContain('HTTP 503');
    expect(failed[1]!.message).toContain('700 ms');
  });

  it('requires large batches only of the profiles that send them', () => {
    expect(judgeClient(LOAD_PROFILES['leak-hunt'], { ...healthy, largeJobs: 0 }).find((r) => r.name === 'large batches count>0')?.passed).toBe(false);
    expect(judgeClient(LOAD_PROFILES.smoke, healthy).some((r) => r.name.startsWith('large'))).toBe(false);
  });
});

describe('judgeMemory', () => {
  const limits = { maxRssBytes: 2 ** 30, maxHeapShare: 0.8 };

  it('passes a service well inside its limits, with an inconclusive verdict not counted as a failure', () => {
    const results = judgeMemory({ ...memory, verdict: { status: 'inconclusive', kinds: {}, confidence: 0 } }, limits);
    expect(results.map((r) => [r.name, r.passed])).toEqual([['peak_rss<1.00 GiB', true], ['heap_used<80% of heap limit', true], ['leak_verdict!=suspected', true]]);
  });

  it("fails on the service's suspected leak, naming the kind and its slope", () => {
    const verdict = { status: 'suspected' as const, kinds: { heap: { slopeBytesPerSec: 2 * 2 ** 20, suspected: true } }, confidence: 0.9 };
    const leak = judgeMemory({ ...memory, verdict }, limits).find((r) => r.name === 'leak_verdict!=suspected')!;
    expect(leak.passed).toBe(false);
    expect(leak.message).toBe("leak suspected in JS heap: +2.00 MiB/s (the service's verdict, confidence 0.90)");
  });

  it('holds peak RSS under 90 % of a container limit when that is lower, and heap used against its limit', () => {
    const results = judgeMemory({ ...memory, containerLimitBytes: 200 * 2 ** 20, peakHeapUsedBytes: 3.5 * 2 ** 30 }, limits);
    expect(results.find((r) => r.name.startsWith('peak_rss'))).toMatchObject({ passed: false, limit: 0.9 * 200 * 2 ** 20 });
    expect(results.find((r) => r.name.startsWith('heap_used'))?.passed).toBe(false);
  });

  it('judges only what the service exported', () => {
    expect(judgeMemory({ ...memory, heapLimitBytes: null }, limits).map((r) => r.name)).toEqual(['peak_rss<1.00 GiB']);
  });

  it('summarizes peaks, the last verdict and when a leak was first suspected', () => {
    const reading = (time: number, rss: number, status: 'suspected' | 'inconclusive') => ({
      time, rss, heapUsed: rss / 2, heapTotal: rss, heapLimit: 1e9, external: 0, arrayBuffers: 0, containerLimit: null, verdict: { status, kinds: {}, confidence: 0 },
    });
    const s = summarizeMemory([reading(1, 10, 'inconclusive'), reading(2, 30, 'suspected'), reading(3, 20, 'suspected')]);
    expect(s).toMatchObject({ peakRssBytes: 30, peakHeapUsedBytes: 15, heapLimitBytes: 1e9, firstSuspectedAt: 2, verdict: { status: 'suspected' } });
  });
});

describe('verdictLine', () => {
  it('says PASS with the count and the leak phrase, or FAIL naming each failed threshold', () => {
    const pass = judgeClient(LOAD_PROFILES.smoke, healthy);
    expect(verdictLine('smoke', pass, describeScrapedVerdict({ status: 'no-leak', kinds: {}, confidence: 0 }), null, false)).toBe(
      "verdict: PASS — smoke: 5 of 5 thresholds met; no leak: no baseline grows (the service's verdict)",
    );
    const fail = judgeClient(LOAD_PROFILES.smoke, { ...healthy, checksRate: 0.5 });
    expect(verdictLine('smoke', fail, null, 'no series', true)).toMatch(/^verdict: FAIL — smoke \(interrupted: partial run\): 1 of 5 thresholds failed: checks rate>0\.99 .*; memory not judged/);
  });
});
