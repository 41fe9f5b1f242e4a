import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IConfigMap } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundleK6Scenarios } from '../../scripts/k6-bundle.js';
import { K6_SCRIPTS_CONFIG_MAP, K6_TREND_STATS, resolveKubernetesOptions, testRun, type TestRun } from '../../src/kubernetes/index.js';
import { LOAD_PROFILE_NAMES, LOAD_PROFILES, profileDurationSeconds, profilePeakVUs } from '../../src/stress/load-profiles.js';
import { CLI, ROOT, runNode, type ChildRun } from '../helpers/child.js';
import { RUN_K6_TESTS, runK6, type K6Result } from '../helpers/k6.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { committedObjects, describeErrors, testRunValidator } from '../helpers/kubernetes.js';

const objects = committedObjects().map((o) => o.object);
const scripts = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === K6_SCRIPTS_CONFIG_MAP) as unknown as IConfigMap;
const runs = objects.filter((o) => o.kind === 'TestRun') as unknown as TestRun[];
const service = objects.find((o) => o.kind === 'Service')!;
/** Seconds in a Go duration as k6 prints it: `1h4m30s`, `1m30s`. */
const goSeconds = (d: string): number => {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  if (m === null) throw new Error(`not a duration: ${d}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
};
const envOf = (run: TestRun): Record<string, string> => Object.fromEntries(run.spec.runner.env.map((e) => [e.name, e.value]));

describe('the k6 operator TestRuns (deploy/kubernetes/load-tests/)', () => {
  it('are one per scenario, each running its bundled script from the scripts ConfigMap', () => {
    expect(runs.map((r) => r.metadata.name).sort()).toEqual(LOAD_PROFILE_NAMES.map((n) => `memscope-${n}`).sort());
    for (const run of runs) {
      expect(run.spec.script.configMap.name).toBe(K6_SCRIPTS_CONFIG_MAP);
      expect(Object.keys(scripts.data ?? {}), run.metadata.name).toContain(run.spec.script.configMap.file);
    }
  });

  it('hold in the ConfigMap exactly the bundles the tests run under real k6', () => {
    expect(scripts.data).toEqual(Object.fromEntries(bundleK6Scenarios().map((b) => [b.file, b.text])));
  });

  it('spread each profile\'s peak VUs over runners of at most 25 VUs, never more runners than VUs', () => {
    const { vusPerRunner } = resolveKubernetesOptions();
    for (const run of runs) {
      const peak = profilePeakVUs(LOAD_PROFILES[run.spec.script.configMap.file.replace(/\.js$/, '') as keyof typeof LOAD_PROFILES]);
      expect(run.spec.parallelism, run.metadata.name).toBe(Math.ceil(peak / vusPerRunner));
      expect(run.spec.parallelism).toBeLessThanOrEqual(peak); // the operator refuses a TestRun otherwise
    }
    expect(runs.find((r) => r.metadata.name === 'memscope-spike')?.spec.parallelism).toBe(4);
  });

  it('point the runners at the BMS Service and at Prometheus, under one test id per TestRun, as compose does', () => {
    const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: { k6: { environment: Record<string, string> } } };
    const ids = new Set<string>();
    for (const run of runs) {
      const env = envOf(run);
      expect(env.BASE_URL).toBe(`http://${service.metadata.name}.${service.metadata.namespace ?? ''}.svc:3000`);
      expect(env.K6_PROMETHEUS_RW_SERVER_URL).toBe(resolveKubernetesOptions().prometheusRemoteWriteUrl);
      expect(env.K6_PROMETHEUS_RW_TREND_STATS).toBe(compose.services.k6.environment.K6_PROMETHEUS_RW_TREND_STATS);
      expect(env.K6_PROMETHEUS_RW_TREND_STATS).toBe(K6_TREND_STATS);
      // A --tag, not TESTID: the operator's own --tag flags replace the script's test-wide tags.
      expect(run.spec.arguments).toBe(`--out experimental-prometheus-rw --no-usage-report --tag testid=${run.metadata.name}`);
      expect(env.TESTID).toBeUndefined();
      ids.add(/--tag testid=(\S+)/.exec(run.spec.arguments)?.[1] ?? '');
      expect(run.spec.initializer.image).toBe(run.spec.runner.image);
      expect(run.spec.scuttle.enabled).toBe('false');
    }
    expect(ids.size).toBe(runs.length);
  });
});

describe('the TestRun CRD schema (test/fixtures/k6-operator/testrun-crd.yaml)', () => {
  const validate = testRunValidator();
  const good = testRun(resolveKubernetesOptions(), 'smoke');

  it('accepts the generated TestRuns', () => {
    for (const run of runs) expect(validate(run), describeErrors(validate.errors)).toBe(true);
    expect(validate(good)).toBe(true);
  });

  it('would reject a misspelt field, a wrong type or a missing script, as the API server would', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, spec: { ...good.spec, paralellism: 2 } }, /must NOT have additional properties \(paralellism\)/],
      [{ ...good, spec: { ...good.spec, parallelism: '2' } }, /\/spec\/parallelism must be integer/],
      [{ ...good, spec: { ...good.spec, runner: { ...good.spec.runner, env: [{ value: 'x' }] } } }, /\/spec\/runner\/env\/0 must have required property 'name'/],
      [{ ...good, spec: { parallelism: 1 } }, /must have required property 'script'/],
    ];
    for (const [object, message] of cases) {
      expect(validate(object)).toBe(false);
      expect(describeErrors(validate.errors)).toMatch(message);
    }
  });
});

describe.runIf(RUN_K6_TESTS)('the scripts ConfigMap under a real k6, as the operator\'s initializer reads it', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'memscope-k6-configmap-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('archives and inspects every TestRun\'s script: its VUs cover the parallelism, its duration is the profile\'s', { timeout: 120_000 }, async () => {
    for (const run of runs) {
      const file = run.spec.script.configMap.file;
      writeFileSync(join(dir, file), scripts.data?.[file] ?? '');
      const archive = join(dir, `${file}.tar`);
      // The initializer's command: `k6 archive <script> -O <tar> <arguments less --out and --no-usage-report>`.
      const archiveArgs = run.spec.arguments.replace('--out experimental-prometheus-rw', '').replace('--no-usage-report', '').trim().split(/\s+/);
      const archived = await runK6(['archive', join(dir, file), '-O', archive, ...archiveArgs]);
      expect(archived.code, archived.stderr).toBe(0);
      const inspected = await runK6(['inspect', '--execution-requirements', archive]);
      expect(inspected.code, inspected.stderr).toBe(0);
      const requirements = JSON.parse(inspected.stdout) as { maxVUs: number; totalDuration: string; scenarios: Record<string, unknown> };
      const profile = LOAD_PROFILES[file.replace(/\.js$/, '') as keyof typeof LOAD_PROFILES];
      expect(requirements.maxVUs, file).toBe(profilePeakVUs(profile));
      expect(requirements.maxVUs).toBeGreaterThanOrEqual(run.spec.parallelism);
      expect(Object.keys(requirements.scenarios)).toEqual([profile.name]);
      // The stages, plus the graceful ramp-down k6 allows iterations still running at the end.
      expect(goSeconds(requirements.totalDuration), file).toBe(profileDurationSeconds(profile) + 10);
    }
  });
});

describe.runIf(RUN_K6_TESTS)('a TestRun\'s runner, as the k6 operator starts it, against the service and a real Prometheus', () => {
  const run = runs.find((r) => r.metadata.name === 'memscope-smoke')!;
  let dir = '';
  let service: ChildRun;
  let prometheus: RunningPrometheus;
  let result: K6Result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'memscope-k6-runner-'));
    const file = join(dir, run.spec.script.configMap.file);
    writeFileSync(file, scripts.data?.[run.spec.script.configMap.file] ?? '');
    service = runNode([CLI, 'serve', '--port', '0']);
    const url = (await service.waitForLine(/listening on (http:\/\/\S+)/))[1] ?? '';
    prometheus = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n' });
    // The operator's runner command (pkg/resources/jobs/runner.go): `k6 run --quiet <arguments> <script> --tag
    // instance_id=<n> --tag testrun_name=<name>`, less --paused (its starter resumes the runners) and the cluster
    // addresses, which point here instead. Shortened to ~10 s.
    result = await runK6(
      ['run', '--quiet', ...run.spec.arguments.split(' '), file, '--tag', 'instance_id=0', '--tag', `testrun_name=${run.metadata.name}`],
      {
        env: {
          ...envOf(run),
          BASE_URL: url,
          SUMMARY_DIR: dir,
          K6_PROMETHEUS_RW_SERVER_URL: `${prometheus.url}/api/v1/write`,
          K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
          DURATION_SCALE: '0.2',
        },
      },
    );
  }, 120_000);
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await Promise.allSettled([service.done, prometheus.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes its thresholds and labels its series with the test id the Stress test dashboard picks runs by', async () => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const from = Math.floor(Date.now() / 1000) - 120;
    expect(await prometheus.api<string[]>(`/api/v1/label/testid/values?match[]=k6_vus&start=${from}`)).toEqual([run.metadata.name]);
    const requests = await prometheus.api<Array<Record<string, string>>>(`/api/v1/series?match[]=k6_http_reqs_total&start=${from}`);
    expect(requests.length).toBeGreaterThan(0);
    for (const series of requests) expect(series, JSON.stringify(series)).toMatchObject({ testid: run.metadata.name, instance_id: '0', testrun_name: run.metadata.name });
  });
});
