/** k6 options for a load profile: the stages as a ramping-VUs scenario, the profile's thresholds as k6's. */
import type { Options } from 'k6/options';
import type { LoadProfile } from '../../src/stress/load-profiles.ts';

/** The trend statistics k6 shows in its summary and writes into handleSummary's data. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'];

export interface RunTags {
  /** The `testid` tag of every metric (see run-env.ts). */
  testId: string;
}

/** k6 threshold expressions, keyed by metric (or sub-metric), from a profile's LoadThresholds. */
export function thresholdsFor(profile: LoadProfile): NonNullable<Options['thresholds']> {
  const t = profile.thresholds;
  return {
    // abortOnFail: a smoke run that fails its error budget has nothing more to say.
    http_req_failed: [{ threshold: `rate<${t.httpReqFailedRate}`, abortOnFail: profile.name === 'smoke', delayAbortEval: '10s' }],
    http_req_duration: [`p(95)<${t.httpReqDurationP95Ms}`, `p(99)<${t.httpReqDurationP99Ms}`],
    checks: [`rate>${t.checksRate}`],
    onboarding_job_duration: [`p(95)<${t.jobTurnaroundP95Ms}`],
    // A leak hunt that sent no large batch did not do what it is for.
    ...(profile.largeBatches === undefined ? {} : { 'http_reqs{batch:large}': ['count>0'] }),
  };
}

export function optionsFor(profile: LoadProfile, run: RunTags): Options {
  return {
    scenarios: {
      // @types/k6 declares scenarios as classes; k6 reads plain objects (its own examples are object literals).
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      [profile.name]: {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: profile.stages.map((stage) => ({ duration: `${stage.durationSeconds}s`, target: stage.targetVUs })),
        gracefulRampDown: '10s',
        // Here as well as in the test-wide tags: `k6 run --tag ...` replaces those (compose.yaml passes --tag
        // testid=...), scenario tags stay on every request, check and iteration.
        tags: { profile: profile.name },
      },
    },
    thresholds: thresholdsFor(profile),
    summaryTrendStats: SUMMARY_TREND_STATS,
    // k6's default system tags without `url`: a job-status URL holds the job id, and every id would become a
    // series in Prometheus. The `name` tag (one per endpoint) says which request it was.
    systemTags: ['proto', 'subproto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'tls_version', 'scenario', 'service', 'expected_response'],
    // Docker's and Kubernetes' DNS answer a service name with every replica (compose) or the service's one virtual
    // IP; re-resolving each minute spreads VUs over replicas that come and go.
    dns: { ttl: '1m', select: 'roundRobin', policy: 'preferIPv4' },
    setupTimeout: '30s',
    tags: { profile: profile.name, testid: run.testId },
  };
}
