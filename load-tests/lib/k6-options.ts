/** k6 options for a load profile: the stages as a ramping-VUs scenario, the profile's thresholds as k6's. */
import type { Options } from 'k6/options';
import type { LoadProfile } from './profiles.ts';

/** The trend statistics k6 shows in its summary and writes into handleSummary's data. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'];

export function optionsFor(profile: LoadProfile): Options {
  const t = profile.thresholds;
  return {
    scenarios: {
      // @types/k6 declares scenarios as classes; k6 reads plain objects (its own examples are object literals).
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      [profile.name]: {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: profile.stages.map((stage) => ({ duration: `${stage.durationSeconds}s`, target: stage.targetVUs })),
        gracefulRampDown: '10s',
      },
    },
    thresholds: {
      // abortOnFail: a smoke run that fails its error budget has nothing more to say.
      http_req_failed: [{ threshold: `rate<${t.httpReqFailedRate}`, abortOnFail: profile.name === 'smoke', delayAbortEval: '10s' }],
      http_req_duration: [`p(95)<${t.httpReqDurationP95Ms}`, `p(99)<${t.httpReqDurationP99Ms}`],
      checks: [`rate>${t.checksRate}`],
      onboarding_job_duration: [`p(95)<${t.jobTurnaroundP95Ms}`],
    },
    summaryTrendStats: SUMMARY_TREND_STATS,
    // k6's default system tags without `url`: a job-status URL holds the job id, and every id would become a
    // series in Prometheus. The `name` tag (one per endpoint) says which request it was.
    systemTags: ['proto', 'subproto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'tls_version', 'scenario', 'service', 'expected_response'],
    // Docker's DNS answers `bms` with every replica; re-resolving each minute spreads VUs over all of them.
    dns: { ttl: '1m', select: 'roundRobin', policy: 'preferIPv4' },
    setupTimeout: '30s',
    tags: { profile: profile.name },
  };
}
