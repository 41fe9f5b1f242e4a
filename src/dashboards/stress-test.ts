import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Dashboard } from '@grafana/schema';
import { memscopeDashboard } from './base.js';
import { finalizeDashboard } from './finalize.js';
import { eventLoopDelayPanel, gcTimePanel, heapPanel, postGcPanel, rssPanel } from './memory-panels.js';
import { query, timeseries } from './panels.js';
import { K6_CHECKS, K6_HTTP_REQ_FAILED, K6_HTTP_REQS, K6_ITERATIONS, K6_VUS, K6_VUS_MAX, k6TrendStat, PHASE_DURATION } from './series.js';
import { instanceVariable, jobVariable, promAnnotation, restartsAnnotation, SERVICE, TEST_RUN, testIdVariable } from './variables.js';

export const STRESS_TEST_UID = 'memscope-stress-test';

// k6 writes one series per tag set (request name, method, status, scenario...); the latency panels take the worst
// request per name, because percentiles of different series cannot be averaged.
const OK_REQUESTS = `${TEST_RUN}, expected_response="true"`;

export function stressTestDashboard(): Dashboard {
  const builder = memscopeDashboard('Stress test', STRESS_TEST_UID)
    .withVariable(testIdVariable())
    .withVariable(jobVariable())
    .withVariable(instanceVariable())
    .annotation(promAnnotation('Test run', `max by (testid) (${K6_VUS}{${TEST_RUN}}) > 0`, 'blue').titleFormat('k6 test {{testid}}'))
    .annotation(restartsAnnotation())

    .withRow(new RowBuilder('Load (k6)'))
    .withPanel(
      timeseries(
        {
          title: 'Virtual users',
          description: 'Active and allocated k6 virtual users of the selected test run.',
          unit: units.Short,
          width: 8,
          targets: [query(`sum(${K6_VUS}{${TEST_RUN}})`, 'VUs'), query(`sum(${K6_VUS_MAX}{${TEST_RUN}})`, 'allocated VUs')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Request rate by status',
          description: 'HTTP requests k6 sent per second, by response status (0: no response).',
          unit: units.RequestsPerSecond,
          width: 8,
          targets: [query(`sum by (status) (rate(${K6_HTTP_REQS}{${TEST_RUN}}[$__rate_interval]))`, '{{status}}')],
        },
        { stacked: true, min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Iterations per second',
          description: 'Completed script iterations per second: one onboarding job submitted and followed to its end.',
          unit: units.OpsPerSecond,
          width: 8,
          targets: [query(`sum(rate(${K6_ITERATIONS}{${TEST_RUN}}[$__rate_interval]))`, 'iterations')],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('Latency'))
    .withPanel(
      timeseries(
        {
          title: 'HTTP request duration',
          description: 'Percentiles k6 computed over the test so far (K6_PROMETHEUS_RW_TREND_STATS), worst series per request name, successful responses only.',
          unit: units.Seconds,
          targets: (['p50', 'p95', 'p99'] as const).map((stat) =>
            query(`max by (name) (${k6TrendStat('http_req_duration', stat)}{${OK_REQUESTS}})`, `${stat} {{name}}`),
          ),
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Onboarding job turnaround',
          description: 'From submitting a job to reading it succeeded or failed (the scripts\' onboarding_job_duration trend): queueing and processing together.',
          unit: units.Seconds,
          targets: (['p50', 'p95', 'max'] as const).map((stat) => query(`max(${k6TrendStat('onboarding_job_duration', stat)}{${TEST_RUN}})`, stat)),
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('Errors'))
    .withPanel(
      timeseries(
        {
          title: 'Failed requests per second',
          description: 'Requests whose response k6 did not expect (status >= 400 or none), per second.',
          unit: units.RequestsPerSecond,
          width: 8,
          targets: [query(`sum by (name) (rate(${K6_HTTP_REQS}{${TEST_RUN}, expected_response="false"}[$__rate_interval]))`, '{{name}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Share of failed requests',
          description: "k6's http_req_failed rate since the start of the test, worst series per request name.",
          unit: units.PercentUnit,
          width: 8,
          targets: [query(`max by (name) (${K6_HTTP_REQ_FAILED}{${TEST_RUN}})`, '{{name}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Checks passing',
          description: 'Share of each check that passed since the start of the test.',
          unit: units.PercentUnit,
          width: 8,
          targets: [query(`min by (check) (${K6_CHECKS}{${TEST_RUN}})`, '{{check}}')],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('Service memory under load'))
    .withPanel(rssPanel(8))
    .withPanel(heapPanel(8))
    .withPanel(gcTimePanel(8))
    .withPanel(postGcPanel(8, 'heap'))
    .withPanel(eventLoopDelayPanel(8))
    .withPanel(
      timeseries(
        {
          title: 'Phase duration p95',
          description: 'How long the service phases (parse, classify, ...) take under this load, 95th percentile.',
          unit: units.Seconds,
          width: 8,
          targets: [
            query(
              `histogram_quantile(0.95, sum by (le, memscope_phase_name) (rate(${PHASE_DURATION}_bucket{${SERVICE}}[$__rate_interval])))`,
              '{{memscope_phase_name}}',
            ),
          ],
        },
        { min: 0 },
      ),
    );

  return finalizeDashboard(
    builder.build(),
    "A k6 test run (filtered by its testid tag) beside the service's memory: VUs, request rate, latency percentiles and errors as k6's Prometheus remote-write output writes them.",
  );
}
