/**
 * Everything a scenario script exports, from its profile: so a script is its profile and nothing else. The options
 * (stages and thresholds, shortened by DURATION_SCALE), setup() that fails fast, the iteration (a realistic job,
 * submitted and followed to its end, now and then the job list, then think time) and the JSON summary.
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { isLargeBatch, REQUEST_MIX, type LoadProfile } from '../../src/stress/load-profiles.ts';
import { createOnboardingJob, encodeJob } from '../../src/stress/onboarding-jobs.ts';
import { optionsFor } from './k6-options.ts';
import { listRecentJobs, submitAndFollow, type FlowDeps } from './onboarding-flow.ts';
import { scaledProfile, testId } from './run-env.ts';
import { baseUrl, requireReady } from './service.ts';
import { summaryHandler, type SummaryData } from './summary.ts';

export interface ScenarioData {
  baseUrl: string;
}

export interface Scenario {
  options: Options;
  setup: () => ScenarioData;
  iteration: (data: ScenarioData) => void;
  handleSummary: (data: SummaryData) => Record<string, string>;
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

/** `const run = scenario(LOAD_PROFILES.smoke)`, then export its parts under k6's names. */
export function scenario(definition: LoadProfile): Scenario {
  const profile = scaledProfile(definition);
  return {
    options: optionsFor(profile, { testId: testId(profile) }),
    setup: setupService,
    iteration: onboardingIteration(profile),
    handleSummary: summaryHandler(profile.name),
  };
}

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
    // Counted over the whole run (all VUs, every k6 instance of a distributed run): the first job is a large one,
    // so even a shortened run sends one.
    const largeBatches = profile.largeBatches;
    const large = largeBatches !== undefined && isLargeBatch(profile, exec.scenario.iterationInTest);
    const points = large ? largeBatches.points : min + (seed % (max - min + 1));
    const job = createOnboardingJob(seed, points);
    const format = (seed % 100) / 100 < REQUEST_MIX.csvShare ? 'csv' : 'json';
    submitAndFollow(deps, data.baseUrl, { format, batch: large ? 'large' : 'regular', ...encodeJob(job, format) }, {
      maxWaitSeconds: profile.maxJobWaitSeconds,
      pollIntervalSeconds: REQUEST_MIX.pollIntervalSeconds,
    });
    if (Math.random() < REQUEST_MIX.listJobsShare) listRecentJobs(deps, data.baseUrl);
    sleep(profile.thinkTimeSeconds * (0.5 + Math.random()));
  };
}
