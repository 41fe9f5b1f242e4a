/**
 * The requests of one iteration of a virtual user: submit an onboarding job, follow it until it succeeds or fails,
 * record how long that took; now and then read the recent-jobs list. k6 itself is passed in (its `http`, `check`,
 * `sleep` and a trend), so the flow is the same for every scenario script, and a unit test can drive it with a fake
 * service. No k6 imports here, and no runtime imports at all (k6 needs `.ts` in import paths, Node's type-checker
 * refuses them outside type imports).
 */
import type { JobFormat } from '../../src/stress/onboarding-jobs.ts';

export interface FlowResponse {
  readonly status: number;
  json(): unknown;
}

export interface FlowRequestParams {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string;
}

export interface FlowDeps {
  http: {
    post(url: string, body: string, params: FlowRequestParams): FlowResponse;
    get(url: string, params: FlowRequestParams): FlowResponse;
  };
  check<T>(value: T, checks: Record<string, (value: T) => boolean>): boolean;
  sleep(seconds: number): void;
  /** Milliseconds, any origin. */
  now(): number;
  /** Records one job's submit-to-finished time, milliseconds. */
  recordTurnaround(ms: number, tags: Record<string, string>): void;
}

export type JobOutcome = 'succeeded' | 'failed' | 'timed_out' | 'rejected';

/** Regular jobs, and the large batches of the profiles that send them (src/stress/load-profiles.ts). */
export type BatchKind = 'regular' | 'large';

/** A job ready to send: see encodeJob() in src/stress/onboarding-jobs.ts. */
export interface EncodedJob {
  format: JobFormat;
  body: string;
  contentType: string;
  /** @default 'regular' */
  batch?: BatchKind;
}

export interface FollowOptions {
  maxWaitSeconds: number;
  /** @default 0.25 */
  pollIntervalSeconds?: number;
}

/** Request names: one series per endpoint in k6's metrics, not one per job id. */
export const SUBMIT = 'POST /api/onboarding/jobs';
export const STATUS = 'GET /api/onboarding/jobs/:id';
export const LIST = 'GET /api/onboarding/jobs';

/** The fields read from the service's answers: a job's id and status, the list's jobs. */
interface JobBody {
  id?: unknown;
  status?: unknown;
  jobs?: unknown;
}

/** REQUEST_MIX.pollIntervalSeconds in src/stress/load-profiles.ts; the scripts pass it in. */
const DEFAULT_POLL_INTERVAL_SECONDS = 0.25;

const STATES = new Set(['queued', 'running', 'succeeded', 'failed']);
const TERMINAL = new Set(['succeeded', 'failed']);

export function submitAndFollow(deps: FlowDeps, baseUrl: string, job: EncodedJob, options: FollowOptions): JobOutcome {
  const started = deps.now();
  const batch = job.batch ?? 'regular';
  const submitted = deps.http.post(`${baseUrl}/api/onboarding/jobs`, job.body, {
    headers: { 'Content-Type': job.contentType },
    tags: { name: SUBMIT, format: job.format, batch },
    timeout: '30s',
  });
  const accepted = readJson(submitted);
  const ok = deps.check(submitted, {
    'job accepted (202)': (r) => r.status === 202,
    // `queued` as a rule; a service with a free worker may have started it before it answered.
    'job has an id and a status': () => typeof accepted?.id === 'string' && typeof accepted.status === 'string' && STATES.has(accepted.status),
  });
  if (!ok || typeof accepted?.id !== 'string' || typeof accepted.status !== 'string') return 'rejected';

  const id = encodeURIComponent(accepted.id);
  const interval = options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
  const polls = Math.max(1, Math.ceil(options.maxWaitSeconds / interval));
  let status = accepted.status;
  for (let i = 0; i < polls && !TERMINAL.has(status); i++) {
    deps.sleep(interval);
    const res = deps.http.get(`${baseUrl}/api/onboarding/jobs/${id}`, { tags: { name: STATUS }, timeout: '10s' });
    const current = readJson(res);
    deps.check(res, { 'job status readable (200)': (r) => r.status === 200 });
    if (res.status === 200 && typeof current?.status === 'string') status = current.status;
  }

  const outcome: JobOutcome = status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : 'timed_out';
  deps.check(outcome, {
    'job finished in time': (o) => o !== 'timed_out',
    'job succeeded': (o) => o === 'succeeded',
  });
  if (outcome !== 'timed_out') deps.recordTurnaround(deps.now() - started, { outcome, format: job.format, batch });
  return outcome;
}

/** What the onboarding UI's job table reads: the most recent jobs. */
export function listRecentJobs(deps: FlowDeps, baseUrl: string): boolean {
  const res = deps.http.get(`${baseUrl}/api/onboarding/jobs`, { tags: { name: LIST }, timeout: '10s' });
  const body = readJson(res);
  return deps.check(res, {
    'job list readable (200)': (r) => r.status === 200 && Array.isArray(body?.jobs),
  });
}

function readJson(res: FlowResponse): JobBody | undefined {
  try {
    const body = res.json();
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined; // not JSON (an error page, an empty body): the checks report it
  }
}
