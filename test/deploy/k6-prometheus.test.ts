import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDashboards, listPanelQueries, type PanelQuery } from '../../src/dashboards/index.js';
import { durationScaleFor, LOAD_PROFILES } from '../../src/stress/load-profiles.js';
import { CLI, ROOT, runNode, type ChildRun } from '../helpers/child.js';
import { runK6, RUN_K6_TESTS, requireK6, writeBundles, type K6Result } from '../helpers/k6.js';
import { rewritePrometheusConfig } from '../helpers/prometheus-config.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

// The smoke scenario as compose.yaml runs it — `k6 run --tag testid=... --out experimental-prometheus-rw` with the
// compose file's K6_PROMETHEUS_RW_* settings — under a real k6, remote-writing into a real Prometheus that also
// scrapes the real service (deploy/prometheus/prometheus.yml, the bms job pointed at it). Then every query of the
// Stress test dashboard runs against that Prometheus: the k6 panels must find k6's own series of this run.

const STRESS_TEST_UID = 'memscope-stress-test';
const TEST_ID = `k6-prometheus-${Date.now()}`;
/** Seconds between k6's pushes: 1 s instead of compose's 5 s, so a 15 s run leaves enough samples for rate(). */
const PUSH_INTERVAL = '1s';
/** Grafana's $__rate_interval at a 1 s scrape and a 1 s step: max(4 × scrape, step + scrape), rounded up. */
const RATE_INTERVAL = '5s';
const STEP_SECONDS = 1;

interface ComposeK6 {
  command: string[];
  environment: Record<string, string>;
}

/** compose.yaml's k6 service: its `--out` and its K6_PROMETHEUS_RW_* environment, the deployed configuration. */
function composeK6(): ComposeK6 {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, ComposeK6> };
  const k6 = compose.services.k6;
  if (k6 === undefined) throw new Error('compose.yaml has no k6 service');
  return k6;
}

interface PromSeries { metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }

describe.runIf(RUN_K6_TESTS)('the smoke scenario remote-writing into a real Prometheus (as compose runs it)', () => {
  let service: ChildRun;
  let prometheus: RunningPrometheus;
  let bundles = '';
  let summaries = '';
  let run: K6Result;
  let startedAt = 0;
  let endedAt = 0;

  beforeAll(async () => {
    requireK6();
    bundles = writeBundles({ profiles: ['smoke'] });
    summaries = mkdtempSync(join(tmpdir(), 'memscope-k6-summaries-'));
    service = runNode([CLI, 'serve', '--port', '0']);
    const url = (await service.waitForLine(/listening on (http:\/\/\S+)/))[1] ?? '';
    prometheus = await startPrometheus({
      config: rewritePrometheusConfig(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'), {
        targets: [new URL(url).host],
        ruleFiles: [],
        alertmanager: null,
        scrapeInterval: '1s',
      }),
    });
    await prometheus.waitFor('memscope_build_info', (r) => r.length > 0, 30_000);

    const compose = composeK6();
    const out = compose.command[compose.command.indexOf('--out') + 1];
    const remoteWrite = Object.fromEntries(Object.entries(compose.environment).filter(([key]) => key.startsWith('K6_PROMETHEUS_RW_')));
    startedAt = Date.now() / 1000;
    run = await runK6(
      ['run', '--quiet', '--tag', `testid=${TEST_ID}`, '--out', out ?? '', '-e', `DURATION_SCALE=${durationScaleFor(LOAD_PROFILES.smoke, 15)}`, join(bundles, 'smoke.js')],
      {
        env: {
          ...remoteWrite,
          K6_PROMETHEUS_RW_SERVER_URL: `${prometheus.url}/api/v1/write`,
          K6_PROMETHEUS_RW_PUSH_INTERVAL: PUSH_INTERVAL,
          BASE_URL: url,
          SUMMARY_DIR: summaries,
        },
      },
    );
    endedAt = Date.now() / 1000;
  }, 180_000);

  afterAll(async () => {
    service.child.kill('SIGTERM');
    await Promise.allSettled([service.done, prometheus.stop()]);
    rmSync(bundles, { recursive: true, force: true });
    rmSync(summaries, { recursive: true, force: true });
  });

  it('passes every threshold of the smoke profile, against the real service', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).not.toMatch(/FAIL/);
  });

  /** A query as Grafana runs it over the test run, or what is wrong with its answer. */
  async function ask(query: PanelQuery): Promise<{ series: PromSeries[]; problem?: string }> {
    const expr = encodeURIComponent(query.expr);
    const start = Math.floor(startedAt) - 5;
    const end = Math.ceil(endedAt) + 5;
    const data = query.instant
      ? await prometheus.api<{ result: PromSeries[] }>(`/api/v1/query?query=${expr}&time=${end}`)
      : await prometheus.api<{ result: PromSeries[] }>(`/api/v1/query_range?query=${expr}&start=${start}&end=${end}&step=${STEP_SECONDS}`);
    const finite = data.result.some((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => Number.isFinite(Number(v))));
    return { series: data.result, problem: finite ? undefined : data.result.length === 0 ? 'no series' : 'no finite value' };
  }

  const stressTest = (): Dashboard => {
    const found = buildDashboards().find((d) => d.uid === STRESS_TEST_UID);
    if (found === undefined) throw new Error(`no dashboard ${STRESS_TEST_UID}`);
    return found;
  };

  it('answers every query of the Stress test dashboard with data, the k6 ones from this run\'s own series', { timeout: 60_000 }, async () => {
    const queries = listPanelQueries({ dashboards: [stressTest()], variables: { job: 'bms', instance: '.+', testid: TEST_ID }, rateInterval: RATE_INTERVAL });
    const k6Queries = queries.filter((q) => /\bk6_/.test(q.expr));
    expect(k6Queries.length).toBeGreaterThanOrEqual(8);
    expect(queries.length - k6Queries.length).toBeGreaterThanOrEqual(5); // the service's memory under the load
    const failures: string[] = [];
    let emptyAsExpected = 0;
    for (const query of queries) {
      const { problem } = await ask(query);
      if (problem === undefined) continue;
      // Two panels are rightly empty here, each checked for why: no request failed (the smoke run passed its
      // thresholds), and this machine sets no cgroup memory limit (stack-e2e injects one).
      if (query.expr.includes('expected_response="false"') && problem === 'no series') {
        expect(run.stdout).toMatch(/failed 0\.00 %/);
        expect((await ask({ ...query, expr: query.expr.replace('expected_response="false"', 'expected_response="true"') })).problem, query.expr).toBeUndefined();
        emptyAsExpected++;
      } else if (query.expr.startsWith('memscope_container_memory_limit_bytes') && problem === 'no series') {
        expect(await prometheus.query('memscope_container_memory_limit_bytes')).toEqual([]);
        expect(await prometheus.query('memscope_build_info')).not.toEqual([]);
        emptyAsExpected++;
      } else failures.push(`${query.kind} "${query.title}" (${query.refId}): ${query.expr} -> ${problem}`);
    }
    expect(failures, `queries without data:\n${failures.join('\n')}`).toEqual([]);
    expect(emptyAsExpected).toBeLessThanOrEqual(2);

    // Only this run's k6 series answer them: another test id finds nothing (and no fixture was written here).
    const others = listPanelQueries({ dashboards: [stressTest()], variables: { job: 'bms', instance: '.+', testid: 'another-run' }, rateInterval: RATE_INTERVAL });
    for (const query of others.filter((q) => /\bk6_/.test(q.expr))) expect((await ask(query)).problem, query.expr).toBe('no series');
  });

  it('offers this run in the dashboard\'s test-run picker (label_values(k6_vus, testid))', async () => {
    expect(await prometheus.api<string[]>(`/api/v1/label/testid/values?match[]=k6_vus&start=${Math.floor(startedAt)}&end=${Math.ceil(endedAt) + 5}`)).toEqual([TEST_ID]);
  });

  it('writes what test/fixtures/k6-remote-write-series.json says k6 writes: each series, label, request and check', { timeout: 30_000 }, async () => {
    // The fixture stands in for k6 where k6 does not run (test/dashboards, test/integration/stack-e2e): this keeps
    // it true to what a real k6 writes, name by name and label by label.
    const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/k6-remote-write-series.json'), 'utf8')) as { series: Array<{ name: string; labels: Record<string, string> }> };
    const real = await prometheus.api<Array<Record<string, string>>>(`/api/v1/series?match[]=${encodeURIComponent(`{testid="${TEST_ID}"}`)}&start=${Math.floor(startedAt) - 5}&end=${Math.ceil(endedAt) + 5}`);
    const shape = (name: string, labels: Iterable<string>): string => `${name}{${[...labels].filter((l) => l !== '__name__').sort().join(',')}}`;
    const written = new Set(real.map((s) => shape(s.__name__ ?? '', Object.keys(s))));
    const missing = [...new Set(fixture.series.map((s) => shape(s.name, Object.keys(s.labels))))].filter((s) => !written.has(s));
    expect(missing, `series k6 wrote:\n${[...written].sort().join('\n')}`).toEqual([]);

    const values = (series: ReadonlyArray<Record<string, string>>, name: string, label: string): string[] =>
      [...new Set(series.filter((s) => s.__name__ === name).map((s) => s[label] ?? ''))].sort();
    const fixtureSeries = fixture.series.map((s) => ({ ...s.labels, __name__: s.name }));
    // Request and check names; statuses depend on the run (the fixture shows a 503 queue_full a smoke run rarely meets).
    for (const [name, label] of [['k6_http_reqs_total', 'name'], ['k6_checks_rate', 'check']] as const) {
      const inFixture = values(fixtureSeries, name, label);
      expect(inFixture.filter((v) => !values(real, name, label).includes(v)), `${name} ${label}`).toEqual([]);
    }
  });
});
