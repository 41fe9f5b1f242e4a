/**
 * The load profiles every load test runs under, as plain data: the k6 scripts (load-tests/*.ts, which bundle this
 * file) and `memscope stress` (which reads it from the published package) take their stages, rates, durations and
 * thresholds from here, so a "stress" run means the same thing in both.
 *
 * Self-contained on purpose: no imports at all, and nothing Node or k6 specific. k6 loads it (bundled by esbuild,
 * or as TypeScript by a k6 that strips types, resolving imports by exact file name), and Node loads it from dist/.
 *
 * Each profile is a closed model (virtual users that each submit a job, follow it to its end, then pause) ramped
 * through stages from zero. Thresholds are the pass/fail bar of a run under that profile.
 */

export type LoadProfileName = 'smoke' | 'average' | 'stress' | 'spike' | 'soak' | 'leak-hunt';

export const LOAD_PROFILE_NAMES: readonly LoadProfileName[] = ['smoke', 'average', 'stress', 'spike', 'soak', 'leak-hunt'];

export interface LoadStage {
  /** How long this stage takes, ramping linearly from the previous stage's VUs (0 at the start). */
  readonly durationSeconds: number;
  readonly targetVUs: number;
}

export interface LoadThresholds {
  /** Highest acceptable share of failed HTTP requests, 0 to 1. */
  readonly httpReqFailedRate: number;
  readonly httpReqDurationP95Ms: number;
  readonly httpReqDurationP99Ms: number;
  /** Lowest acceptable share of passing checks, 0 to 1. */
  readonly checksRate: number;
  /** Submit-to-finished time of an onboarding job, 95th percentile. */
  readonly jobTurnaroundP95Ms: number;
}

/** Jobs far larger than the rest, mixed into the load: what a site's full export does to the heap's high-water mark. */
export interface LargeBatches {
  /** Every n-th job of the whole run (counted over all VUs, the first one included) is a large one. */
  readonly everyNthJob: number;
  readonly points: number;
}

export interface LoadProfile {
  readonly name: LoadProfileName;
  /** What a run under this profile answers. */
  readonly purpose: string;
  readonly stages: readonly LoadStage[];
  /** A VU's pause after each job, seconds (randomized by ±50 % so VUs do not march in step). */
  readonly thinkTimeSeconds: number;
  /** Points per submitted job, drawn uniformly in this range. */
  readonly pointsPerJob: { readonly min: number; readonly max: number };
  /** How long a VU follows one job before counting it as timed out. */
  readonly maxJobWaitSeconds: number;
  /** Only the profiles that hunt memory problems send them. */
  readonly largeBatches?: LargeBatches;
  readonly thresholds: LoadThresholds;
}

/**
 * What one virtual-user iteration sends, the same under every profile: the requests an onboarding client makes.
 * A job is submitted (as CSV with `csvShare`, JSON otherwise), its status read every `pollIntervalSeconds` until it
 * succeeds or fails, and with `listJobsShare` the recent-jobs list is read as well (the onboarding UI's job table).
 */
export const REQUEST_MIX = {
  csvShare: 0.2,
  listJobsShare: 0.1,
  pollIntervalSeconds: 0.25,
} as const;

const NORMAL: LoadThresholds = {
  httpReqFailedRate: 0.01,
  httpReqDurationP95Ms: 800,
  httpReqDurationP99Ms: 1500,
  checksRate: 0.99,
  jobTurnaroundP95Ms: 5000,
};

export const LOAD_PROFILES: Readonly<Record<LoadProfileName, LoadProfile>> = {
  smoke: {
    name: 'smoke',
    purpose: 'Does it work at all? Two users for under a minute: every request succeeds, fast.',
    stages: [
      { durationSeconds: 5, targetVUs: 2 },
      { durationSeconds: 40, targetVUs: 2 },
      { durationSeconds: 5, targetVUs: 0 },
    ],
    thinkTimeSeconds: 1,
    pointsPerJob: { min: 20, max: 60 },
    maxJobWaitSeconds: 30,
    thresholds: { ...NORMAL, httpReqDurationP95Ms: 500, httpReqDurationP99Ms: 1000, jobTurnaroundP95Ms: 2000 },
  },
  average: {
    name: 'average',
    purpose: 'A normal working day: twenty users for five minutes, within the service level.',
    stages: [
      { durationSeconds: 60, targetVUs: 20 },
      { durationSeconds: 300, targetVUs: 20 },
      { durationSeconds: 60, targetVUs: 0 },
    ],
    thinkTimeSeconds: 1,
    pointsPerJob: { min: 50, max: 300 },
    maxJobWaitSeconds: 60,
    thresholds: NORMAL,
  },
  stress: {
    name: 'stress',
    purpose: 'Well above average: how latency, GC and memory behave at three times the usual load.',
    stages: [
      { durationSeconds: 120, targetVUs: 60 },
      { durationSeconds: 300, targetVUs: 60 },
      { durationSeconds: 120, targetVUs: 0 },
    ],
    thinkTimeSeconds: 0.5,
    pointsPerJob: { min: 100, max: 500 },
    maxJobWaitSeconds: 120,
    thresholds: { httpReqFailedRate: 0.05, httpReqDurationP95Ms: 2000, httpReqDurationP99Ms: 4000, checksRate: 0.95, jobTurnaroundP95Ms: 15000 },
  },
  spike: {
    name: 'spike',
    purpose: 'A sudden burst: a hundred users within seconds, then gone. Does memory come back down?',
    stages: [
      { durationSeconds: 10, targetVUs: 100 },
      { durationSeconds: 60, targetVUs: 100 },
      { durationSeconds: 10, targetVUs: 0 },
    ],
    thinkTimeSeconds: 0.5,
    pointsPerJob: { min: 50, max: 300 },
    maxJobWaitSeconds: 120,
    thresholds: { httpReqFailedRate: 0.1, httpReqDurationP95Ms: 3000, httpReqDurationP99Ms: 6000, checksRate: 0.9, jobTurnaroundP95Ms: 20000 },
  },
  soak: {
    name: 'soak',
    purpose: 'Average load for an hour: slow leaks show as a post-GC baseline that keeps rising.',
    stages: [
      { durationSeconds: 120, targetVUs: 20 },
      { durationSeconds: 3600, targetVUs: 20 },
      { durationSeconds: 120, targetVUs: 0 },
    ],
    thinkTimeSeconds: 1,
    pointsPerJob: { min: 50, max: 300 },
    maxJobWaitSeconds: 60,
    thresholds: NORMAL,
  },
  'leak-hunt': {
    name: 'leak-hunt',
    purpose:
      'Is memory retained? A steady load for 45 minutes, long enough for the leak verdict and the leak alert, with a ' +
      "site's full export (20,000 points) every twentieth job: leaks that grow with batch size show within the run.",
    // 45 minutes steady: the production leak alert waits 30 min of uptime (warm-up, as long as its deriv() window)
    // and then 15 min of agreement (`for`) — src/monitoring/thresholds.ts — and the SDK's own verdict looks at the
    // last 10 minutes. A steady load keeps the post-GC baseline comparable from one minute to the next.
    stages: [
      { durationSeconds: 60, targetVUs: 10 },
      { durationSeconds: 2700, targetVUs: 10 },
      { durationSeconds: 30, targetVUs: 0 },
    ],
    thinkTimeSeconds: 1,
    pointsPerJob: { min: 50, max: 300 },
    maxJobWaitSeconds: 120,
    // 20,000 points is a 2.5 MB JSON body: well inside the service's limits (10 MB, 100,000 points) and about a
    // tenth of a second of work, so large jobs lift the high-water mark without starving the regular ones.
    largeBatches: { everyNthJob: 20, points: 20_000 },
    // Looser latency than `average`: one request in twenty carries megabytes, and its job takes longer.
    thresholds: { ...NORMAL, httpReqDurationP95Ms: 1500, httpReqDurationP99Ms: 5000, jobTurnaroundP95Ms: 10000 },
  },
};

/** Total planned duration of a profile, seconds. */
export function profileDurationSeconds(profile: LoadProfile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}

/** The highest VU count a profile reaches. */
export function profilePeakVUs(profile: LoadProfile): number {
  return Math.max(0, ...profile.stages.map((stage) => stage.targetVUs));
}

export function isLoadProfileName(name: string): name is LoadProfileName {
  return (LOAD_PROFILE_NAMES as readonly string[]).includes(name);
}

/** Whether job number `jobIndex` of a run (0-based, over all VUs) is one of the profile's large batches. */
export function isLargeBatch(profile: LoadProfile, jobIndex: number): boolean {
  return profile.largeBatches !== undefined && jobIndex % profile.largeBatches.everyNthJob === 0;
}

/**
 * The profile with every stage `factor` times as long (whole seconds, at least 1 each): a shortened run of the same
 * shape, VUs, think time, job sizes, large batches and thresholds. `DURATION_SCALE=0.05` in the k6 scripts.
 *
 * Throws a RangeError rather than memscope's MemscopeError: this module must stand alone (see above); callers that
 * validate user options wrap it.
 */
export function scaleProfile(profile: LoadProfile, factor: number): LoadProfile {
  if (!(Number.isFinite(factor) && factor > 0)) throw new RangeError(`durationScale must be a finite number > 0; got ${String(factor)}`);
  if (factor === 1) return profile;
  return {
    ...profile,
    stages: profile.stages.map((stage) => ({ ...stage, durationSeconds: Math.max(1, Math.round(stage.durationSeconds * factor)) })),
  };
}

/** The factor that makes `profile` last about `seconds` in total (for a shortened run of a given length). */
export function durationScaleFor(profile: LoadProfile, seconds: number): number {
  return seconds / profileDurationSeconds(profile);
}
