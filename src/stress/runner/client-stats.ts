import { LatencyHistogram } from './latency-histogram.js';

export type JobOutcome = 'succeeded' | 'failed' | 'timed_out' | 'rejected';

/** Request names, as the k6 scripts tag them (load-tests/lib/onboarding-flow.ts): one series per endpoint. */
export const SUBMIT = 'POST /api/onboarding/jobs';
export const STATUS = 'GET /api/onboarding/jobs/:id';
export const LIST = 'GET /api/onboarding/jobs';

/** What the client saw: k6's http_req_failed, http_req_duration, checks and onboarding_job_duration. */
export class ClientStats {
  readonly durations = new LatencyHistogram();
  readonly turnaround = new LatencyHistogram();
  requests = 0;
  /** Status ≥ 400 or no answer at all (k6's http_req_failed). */
  failedRequests = 0;
  checks = 0;
  passedChecks = 0;
  jobsStarted = 0;
  largeJobs = 0;
  /** Arrivals not started because `maxInFlight` jobs were still being followed (k6's dropped_iterations). */
  droppedArrivals = 0;
  readonly outcomes: Record<JobOutcome, number> = { succeeded: 0, failed: 0, timed_out: 0, rejected: 0 };
  readonly byRequest = new Map<string, { requests: number; failed: number }>();
  /** The first few distinct failures, for the report: a failing run should say what failed. */
  readonly sampleErrors: string[] = [];

  request(name: string, status: number, ms: number, error?: string): void {
    this.requests++;
    this.durations.record(ms);
    const failed = status >= 400 || status === 0;
    if (failed) this.failedRequests++;
    const entry = this.byRequest.get(name) ?? { requests: 0, failed: 0 };
    entry.requests++;
    if (failed) entry.failed++;
    this.byRequest.set(name, entry);
    if (failed && this.sampleErrors.length < 5) {
      const what = `${name}: ${status === 0 ? (error ?? 'no answer') : `HTTP ${status}`}`;
      if (!this.sampleErrors.includes(what)) this.sampleErrors.push(what);
    }
  }

  check(passed: boolean): boolean {
    this.checks++;
    if (passed) this.passedChecks++;
    return passed;
  }

  job(outcome: JobOutcome, turnaroundMs?: number): void {
    this.outcomes[outcome]++;
    if (turnaroundMs !== undefined) this.turnaround.record(turnaroundMs);
  }

  summary(): ClientSummary {
    return {
      requests: this.requests,
      failedRequests: this.failedRequests,
      failedRate: this.requests === 0 ? 0 : this.failedRequests / this.requests,
      checks: this.checks,
      checksRate: this.checks === 0 ? 1 : this.passedChecks / this.checks,
      durationP50Ms: this.durations.percentile(0.5),
      durationP95Ms: this.durations.percentile(0.95),
      durationP99Ms: this.durations.percentile(0.99),
      durationMaxMs: this.durations.maxMs,
      jobsStarted: this.jobsStarted,
      largeJobs: this.largeJobs,
      droppedArrivals: this.droppedArrivals,
      outcomes: { ...this.outcomes },
      turnaroundP95Ms: this.turnaround.percentile(0.95),
      turnaroundCount: this.turnaround.count,
      byRequest: Object.fromEntries(this.byRequest),
      sampleErrors: [...this.sampleErrors],
    };
  }
}

export interface ClientSummary {
  requests: number;
  failedRequests: number;
  /** 0 to 1. */
  failedRate: number;
  checks: number;
  /** 0 to 1; 1 with no check at all. */
  checksRate: number;
  durationP50Ms: number;
  durationP95Ms: number;
  durationP99Ms: number;
  durationMaxMs: number;
  jobsStarted: number;
  largeJobs: number;
  droppedArrivals: number;
  outcomes: Record<JobOutcome, number>;
  turnaroundP95Ms: number;
  turnaroundCount: number;
  byRequest: Record<string, { requests: number; failed: number }>;
  sampleErrors: string[];
}
