/**
 * The parts every scenario script shares, so a script is its profile and little else: setup() that fails fast, the
 * iteration (a realistic job, submitted and followed to its end), and the summary.
 */
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import { submitAndFollow, type FlowDeps } from './onboarding-flow.ts';
import { createOnboardingJob, encodeJob } from './onboarding-jobs.ts';
import type { LoadProfile } from './profiles.ts';
import { baseUrl, requireReady } from './service.ts';

export interface ScenarioData {
  baseUrl: string;
}

/** Submit-to-finished time of a job; Prometheus gets it as k6_onboarding_job_duration_<stat>, in seconds. */
const turnaround = new Trend('onboarding_job_duration', true);

const deps: FlowDeps = {
  http,
  check,
  sleep,
  now: () => Date.now(),
  recordTurnaround: (ms, tags) => {
    turnaround.add(ms, tags);
  },
};

/** setup(): the service must answer GET /readyz before any load starts. */
export function setupService(): ScenarioData {
  const url = baseUrl();
  requireReady(url);
  return { baseUrl: url };
}

/** The default function of a scenario script under `profile`. */
export function onboardingIteration(profile: LoadProfile): (data: ScenarioData) => void {
  const { min, max } = profile.pointsPerJob;
  return (data) => {
    // Deterministic per VU and iteration, so a failing job can be regenerated from its seed.
    const seed = __VU * 1_000_003 + __ITER;
    const job = createOnboardingJob(seed, min + (seed % (max - min + 1)));
    // One job in five as CSV: the service accepts both, and parses them differently.
    const format = seed % 5 === 0 ? 'csv' : 'json';
    submitAndFollow(deps, data.baseUrl, { format, ...encodeJob(job, format) }, { maxWaitSeconds: profile.maxJobWaitSeconds });
    sleep(profile.thinkTimeSeconds * (0.5 + Math.random()));
  };
}
