import { REQUEST_MIX, isLargeBatch, type LoadProfile } from '../load-profiles.js';
import { createOnboardingJob, encodeJob, type JobFormat } from '../onboarding-jobs.js';
import { LIST, STATUS, SUBMIT, type ClientStats, type JobOutcome } from './client-stats.js';
import type { HttpClient } from './http-client.js';

export interface FlowDeps {
  http: HttpClient;
  stats: ClientStats;
  /** Milliseconds, any origin. */
  now(): number;
  /** Resolves after `ms`, or at once when the run is stopped. */
  sleep(ms: number): Promise<void>;
  /** True once the run is stopped (Ctrl-C, or the end of the last stage's grace). */
  stopped(): boolean;
  random(): number;
}

const STATES = new Set(['queued', 'running', 'succeeded', 'failed']);
const TERMINAL = new Set(['succeeded', 'failed']);

/**
 * One iteration of the k6 scripts' flow (load-tests/lib/scenario.ts and onboarding-flow.ts), the same requests with
 * the same jobs for the same seeds: submit a job, read its status every REQUEST_MIX.pollIntervalSeconds until it
 * succeeds or fails, now and then read the recent-jobs list, then think. `jobIndex` counts jobs over the run
 * (0-based): it seeds the job and picks the large batches, as k6's iterationInTest does.
 */
export async function runIteration(deps: FlowDeps, profile: LoadProfile, jobIndex: number): Promise<JobOutcome> {
  const { min, max } = profile.pointsPerJob;
  const seed = 1_000_003 + jobIndex;
  const large = isLargeBatch(profile, jobIndex);
  if (large) deps.stats.largeJobs++;
  const points = large && profile.largeBatches !== undefined ? profile.largeBatches.points : min + (seed % (max - min + 1));
  const format: JobFormat = (seed % 100) / 100 < REQUEST_MIX.csvShare ? 'csv' : 'json';
  const { body, contentType } = encodeJob(createOnboardingJob(seed, points), format);
  const outcome = await submitAndFollow(deps, profile, body, contentType);
  if (!deps.stopped() && deps.random() < REQUEST_MIX.listJobsShare) await listRecentJobs(deps);
  // Think time holds the iteration's slot, as a VU would; arrivals do not wait for it (the plan is open-loop).
  if (!deps.stopped()) await deps.sleep(profile.thinkTimeSeconds * 1000 * (0.5 + deps.random()));
  return outcome;
}

async function submitAndFollow(deps: FlowDeps, profile: LoadProfile, body: string, contentType: string): Promise<JobOutcome> {
  const { http, stats } = deps;
  const started = deps.now();
  const submitted = await timed(deps, SUBMIT, () => http.request('POST', '/api/onboarding/jobs', { body, contentType, timeoutMs: 30_000 }));
  const accepted = readJson(submitted.body);
  // Both checks counted every time, as k6's check() does.
  const acceptedOk = stats.check(submitted.status === 202);
  const bodyOk = stats.check(typeof accepted?.id === 'string' && typeof accepted.status === 'string' && STATES.has(accepted.status));
  if (!acceptedOk || !bodyOk || typeof accepted?.id !== 'string' || typeof accepted.status !== 'string') {
    stats.job('rejected');
    return 'rejected';
  }
  const path = `/api/onboarding/jobs/${encodeURIComponent(accepted.id)}`;
  const interval = REQUEST_MIX.pollIntervalSeconds * 1000;
  const polls = Math.max(1, Math.ceil((profile.maxJobWaitSeconds * 1000) / interval));
  let status = accepted.status;
  for (let i = 0; i < polls && !TERMINAL.has(status) && !deps.stopped(); i++) {
    await deps.sleep(interval);
    if (deps.stopped()) break;
    const res = await timed(deps, STATUS, () => http.request('GET', path, { timeoutMs: 10_000 }));
    const current = readJson(res.body);
    stats.check(res.status === 200);
    if (res.status === 200 && typeof current?.status === 'string') status = current.status;
  }
  // A job cut short by Ctrl-C was neither judged nor timed: it is left out of the outcome counts.
  if (!TERMINAL.has(status) && deps.stopped()) return 'timed_out';
  const outcome: JobOutcome = status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : 'timed_out';
  stats.check(outcome !== 'timed_out');
  stats.check(outcome === 'succeeded');
  stats.job(outcome, outcome === 'timed_out' ? undefined : deps.now() - started);
  return outcome;
}

async function listRecentJobs(deps: FlowDeps): Promise<void> {
  const res = await timed(deps, LIST, () => deps.http.request('GET', '/api/onboarding/jobs', { timeoutMs: 10_000 }));
  deps.stats.check(res.status === 200 && Array.isArray(readJson(res.body)?.jobs));
}

async function timed(deps: FlowDeps, name: string, send: () => ReturnType<HttpClient['request']>): ReturnType<HttpClient['request']> {
  const start = deps.now();
  const answer = await send();
  deps.stats.request(name, answer.status, deps.now() - start, answer.error);
  return answer;
}

interface JobBody {
  id?: unknown;
  status?: unknown;
  jobs?: unknown;
}

function readJson(text: string): JobBody | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined; // not JSON (an error page, an empty body): the checks count it
  }
}
