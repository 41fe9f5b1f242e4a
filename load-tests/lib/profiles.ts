/**
 * The load profiles every scenario script runs under, as plain data: the k6 scripts (load-tests/*.ts) and memscope's
 * own load driver read the same definitions, so a "stress" run means the same thing in both. No k6 imports here:
 * this module must load in Node as well.
 *
 * Each profile is a closed model (virtual users that each submit a job, follow it to its end, then pause) ramped
 * through stages from zero. Thresholds are the pass/fail bar of a run under that profile.
 */

export type LoadProfileName = 'smoke' | 'average' | 'stress' | 'spike' | 'soak';

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
  readonly thresholds: LoadThresholds;
}

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
};

/** Total planned duration of a profile, seconds. */
export function profileDurationSeconds(profile: LoadProfile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}

/** The highest VU count a profile reaches. */
export function profilePeakVUs(profile: LoadProfile): number {
  return Math.max(0, ...profile.stages.map((stage) => stage.targetVUs));
}
