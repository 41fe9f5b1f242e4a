import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFor } from '../../load-tests/lib/k6-options.js';
import { submitAndFollow, type FlowDeps, type FlowRequestParams, type FlowResponse } from '../../load-tests/lib/onboarding-flow.js';
import { createOnboardingJob, encodeJob, toCsv } from '../../load-tests/lib/onboarding-jobs.js';
import { LOAD_PROFILES, profileDurationSeconds, profilePeakVUs, type LoadProfileName } from '../../load-tests/lib/profiles.js';
import { CLI, ROOT, runNode, type ChildRun } from '../helpers/child.js';
import type { K6FixtureSeries } from '../helpers/remote-write.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

describe('k6 scripts (load-tests/)', () => {
  it('type-check against @types/k6 with their own tsconfig', { timeout: 60_000 }, () => {
    const run = spawnSync(process.execPath, [TSC, '-p', 'load-tests/tsconfig.json', '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('would fail the type check on a misused k6 API', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-k6-'));
    try {
      writeFileSync(join(dir, 'bad.ts'), "import http from 'k6/http';\nexport default function (): void {\n  http.get(42);\n}\n");
      const config = { extends: join(ROOT, 'load-tests/tsconfig.json'), compilerOptions: { typeRoots: [join(ROOT, 'node_modules/@types')] }, include: ['bad.ts'] };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
      const run = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
      expect(run.stdout).toMatch(/bad\.ts.*error TS2345/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are thin: each takes a profile, thresholds, a fail-fast setup, the shared iteration and a JSON summary', () => {
    const scripts = readdirSync(join(ROOT, 'load-tests')).filter((f) => f.endsWith('.ts'));
    expect(scripts).toContain('smoke.ts');
    for (const script of scripts) {
      const text = readFileSync(join(ROOT, 'load-tests', script), 'utf8');
      const name = script.replace(/\.ts$/, '');
      expect(text).toMatch(new RegExp(`const profile = LOAD_PROFILES\\.${name};`));
      expect(text).toMatch(/export const options = optionsFor\(profile\);/);
      expect(text).toMatch(/export const setup = setupService;/);
      expect(text).toMatch(/export default onboardingIteration\(profile\);/);
      expect(text).toMatch(new RegExp(`export const handleSummary = summaryHandler\\('${name}'\\);`));
    }
  });

  it('take BASE_URL from the environment with a default, and check /readyz before any load', () => {
    const service = readFileSync(join(ROOT, 'load-tests/lib/service.ts'), 'utf8');
    expect(service).toMatch(/__ENV\.BASE_URL \?\? DEFAULT_BASE_URL/);
    expect(service).toMatch(/\/readyz/);
    expect(service).toMatch(/exec\.test\.abort\(/);
  });
});

describe('load profiles (load-tests/lib/profiles.ts)', () => {
  const names: LoadProfileName[] = ['smoke', 'average', 'stress', 'spike', 'soak'];

  it('define smoke, average, stress, spike and soak, each under its own name', () => {
    expect(Object.keys(LOAD_PROFILES).sort()).toEqual([...names].sort());
    for (const name of names) expect(LOAD_PROFILES[name].name).toBe(name);
  });

  it('ramp up from and back down to zero in stages of positive length', () => {
    for (const p of Object.values(LOAD_PROFILES)) {
      expect(p.stages.at(-1)?.targetVUs, p.name).toBe(0);
      for (const s of p.stages) {
        expect(s.durationSeconds, p.name).toBeGreaterThan(0);
        expect(Number.isInteger(s.targetVUs) && s.targetVUs >= 0, p.name).toBe(true);
      }
      expect(p.pointsPerJob.min).toBeGreaterThan(0);
      expect(p.pointsPerJob.max).toBeGreaterThanOrEqual(p.pointsPerJob.min);
    }
  });

  it('mean what their names say: a short smoke, rising peaks, a sudden spike, an hour-long soak', () => {
    const { smoke, average, stress, spike, soak } = LOAD_PROFILES;
    expect(profileDurationSeconds(smoke)).toBeLessThanOrEqual(60);
    expect(profilePeakVUs(smoke)).toBeLessThan(profilePeakVUs(average));
    expect(profilePeakVUs(average)).toBeLessThan(profilePeakVUs(stress));
    expect(profilePeakVUs(stress)).toBeLessThan(profilePeakVUs(spike));
    expect(spike.stages[0]?.durationSeconds).toBeLessThanOrEqual(10);
    expect(profileDurationSeconds(soak)).toBeGreaterThanOrEqual(3600);
    expect(profilePeakVUs(soak)).toBe(profilePeakVUs(average));
  });

  it('have thresholds that are rates in (0, 1) and latencies with p95 below p99, loosening with load', () => {
    for (const { name, thresholds: t } of Object.values(LOAD_PROFILES)) {
      expect(t.httpReqFailedRate > 0 && t.httpReqFailedRate < 1, name).toBe(true);
      expect(t.checksRate > 0 && t.checksRate < 1, name).toBe(true);
      expect(t.httpReqDurationP95Ms, name).toBeLessThan(t.httpReqDurationP99Ms);
    }
    expect(LOAD_PROFILES.smoke.thresholds.httpReqDurationP95Ms).toBeLessThan(LOAD_PROFILES.stress.thresholds.httpReqDurationP95Ms);
  });

  it('become k6 options: a ramping-VUs scenario and thresholds on every metric they name', () => {
    const options = optionsFor(LOAD_PROFILES.average);
    expect(options.scenarios?.average).toMatchObject({
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '60s', target: 20 },
        { duration: '300s', target: 20 },
        { duration: '60s', target: 0 },
      ],
    });
    expect(options.thresholds).toEqual({
      http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: false, delayAbortEval: '10s' }],
      http_req_duration: ['p(95)<800', 'p(99)<1500'],
      checks: ['rate>0.99'],
      onboarding_job_duration: ['p(95)<5000'],
    });
    expect(options.systemTags).not.toContain('url');
  });
});

describe('onboarding jobs (load-tests/lib/onboarding-jobs.ts)', () => {
  it('are the same for the same seed and differ between seeds', () => {
    expect(createOnboardingJob(42, 50)).toEqual(createOnboardingJob(42, 50));
    expect(createOnboardingJob(42, 50)).not.toEqual(createOnboardingJob(43, 50));
  });

  it('hold the requested number of BMS points with units, descriptions and numeric values', () => {
    const job = createOnboardingJob(7, 300);
    expect(job.site).toMatch(/^SITE\d$/);
    expect(job.points).toHaveLength(300);
    expect(new Set(job.points.map((p) => p.name)).size).toBe(300);
    for (const p of job.points) {
      expect(p.name).toMatch(new RegExp(`^${job.site}([._])[A-Z]+-?[0-9-]*\\1[A-Z0-9-]+$`));
      expect(p.units).not.toBe('');
      expect(p.description).not.toBe('');
      expect(Number.isFinite(p.value)).toBe(true);
    }
    expect(createOnboardingJob(1, 10_000).points.length).toBeGreaterThanOrEqual(500); // clamped to the site's size
  });

  it('mix canonical names (SITE1.AHU-01.SA-T) with the site-specific spellings onboarding must classify', () => {
    const names = createOnboardingJob(3, 500).points.map((p) => p.name);
    const canonical = names.filter((n) => /^SITE\d\.[A-Z]+-[0-9-]+\.[A-Z0-9-]+$/.test(n)).length;
    expect(canonical / names.length).toBeGreaterThan(0.6);
    expect(canonical / names.length).toBeLessThan(0.95);
    expect(names.some((n) => /\.AHU-\d\d\.SA-T$/.test(n))).toBe(true);
  });

  it('encode as the JSON body { site, points } or as CSV with the header name,value,units,description', () => {
    const job = { site: 'SITE1', points: [{ name: 'SITE1.MTR-01.PF', value: 0.93, units: 'PF', description: 'Power "factor", total' }] };
    expect(JSON.parse(encodeJob(job, 'json').body)).toEqual(job);
    expect(encodeJob(job, 'json').contentType).toBe('application/json');
    expect(encodeJob(job, 'csv')).toEqual({ contentType: 'text/csv', body: toCsv(job.points) });
    expect(toCsv(job.points)).toBe('name,value,units,description\nSITE1.MTR-01.PF,0.93,PF,"Power ""factor"", total"\n');
  });
});

/** A fake BMS service: accepts a job, reports it `queued`, then each later status read walks `states`. */
function fakeService(options: { submitStatus?: number; submitState?: string; states: string[] }) {
  const requests: Array<{ method: string; url: string; body?: string; params: FlowRequestParams }> = [];
  const checks: Record<string, boolean[]> = {};
  const turnarounds: Array<{ ms: number; tags: Record<string, string> }> = [];
  let clock = 0;
  let reads = 0;
  const deps: FlowDeps = {
    http: {
      post: (url, body, params) => {
        requests.push({ method: 'POST', url, body, params });
        const status = options.submitStatus ?? 202;
        return { status, json: () => (status === 202 ? { id: 'job 1', status: options.submitState ?? 'queued' } : { error: 'no' }) };
      },
      get: (url, params) => {
        requests.push({ method: 'GET', url, params });
        const state = options.states[Math.min(reads++, options.states.length - 1)] ?? 'queued';
        return { status: 200, json: () => ({ id: 'job 1', status: state }) };
      },
    },
    check: (value, sets) => {
      let all = true;
      for (const [name, fn] of Object.entries(sets)) {
        const ok = fn(value);
        (checks[name] ??= []).push(ok);
        all &&= ok;
      }
      return all;
    },
    sleep: (s) => {
      clock += s * 1000;
    },
    now: () => clock,
    recordTurnaround: (ms, tags) => turnarounds.push({ ms, tags }),
  };
  return { deps, requests, checks, turnarounds };
}

describe('submitAndFollow (load-tests/lib/onboarding-flow.ts)', () => {
  const job = createOnboardingJob(11, 40);

  it('submits the job, follows it until it succeeds and records the turnaround', () => {
    const service = fakeService({ states: ['queued', 'running', 'succeeded'] });
    expect(submitAndFollow(service.deps, 'http://bms:3000', { format: 'json', ...encodeJob(job, 'json') }, { maxWaitSeconds: 10 })).toBe('succeeded');
    expect(service.requests.map((r) => `${r.method} ${r.url} ${r.params.tags?.name ?? ''}`)).toEqual([
      'POST http://bms:3000/api/onboarding/jobs POST /api/onboarding/jobs',
      'GET http://bms:3000/api/onboarding/jobs/job%201 GET /api/onboarding/jobs/:id',
      'GET http://bms:3000/api/onboarding/jobs/job%201 GET /api/onboarding/jobs/:id',
      'GET http://bms:3000/api/onboarding/jobs/job%201 GET /api/onboarding/jobs/:id',
    ]);
    expect(service.requests[0]?.params.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(service.requests[0]?.body ?? '')).toEqual({ site: job.site, points: job.points });
    expect(Object.values(service.checks).flat().every(Boolean)).toBe(true);
    expect(service.turnarounds).toEqual([{ ms: 750, tags: { outcome: 'succeeded', format: 'json' } }]);
  });

  it('follows a job the service started before it answered', () => {
    const service = fakeService({ submitState: 'running', states: ['succeeded'] });
    expect(submitAndFollow(service.deps, 'http://x', { format: 'json', ...encodeJob(job, 'json') }, { maxWaitSeconds: 10 })).toBe('succeeded');
    expect(Object.values(service.checks).flat().every(Boolean)).toBe(true);
  });

  it('reports a job the service rejects, without following it', () => {
    const service = fakeService({ submitStatus: 503, states: [] });
    expect(submitAndFollow(service.deps, 'http://bms:3000', { format: 'csv', ...encodeJob(job, 'csv') }, { maxWaitSeconds: 10 })).toBe('rejected');
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0]?.params.headers).toEqual({ 'Content-Type': 'text/csv' });
    expect(service.checks['job accepted (202)']).toEqual([false]);
  });

  it('gives up on a job that never finishes after maxWaitSeconds, and counts a failed job as failed', () => {
    const stuck = fakeService({ states: ['running'] });
    expect(submitAndFollow(stuck.deps, 'http://x', { format: 'json', ...encodeJob(job, 'json') }, { maxWaitSeconds: 2, pollIntervalSeconds: 0.5 })).toBe('timed_out');
    expect(stuck.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
    expect(stuck.checks['job finished in time']).toEqual([false]);
    expect(stuck.turnarounds).toEqual([]);

    const failing = fakeService({ states: ['failed'] });
    expect(submitAndFollow(failing.deps, 'http://x', { format: 'json', ...encodeJob(job, 'json') }, { maxWaitSeconds: 2 })).toBe('failed');
    expect(failing.checks['job succeeded']).toEqual([false]);
    expect(failing.turnarounds[0]?.tags.outcome).toBe('failed');
  });
});

describe('k6 remote-write fixture (test/fixtures/k6-remote-write-series.json)', () => {
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/k6-remote-write-series.json'), 'utf8')) as {
    env: Record<string, string>;
    series: K6FixtureSeries[];
  };
  /** The output's own renaming of a trend stat (setTrendStatsResolver): p(95) → p95, p(99.9) → p999. */
  const statSuffix = (stat: string): string => (stat.startsWith('p(') ? `p${stat.slice(2, -1).replace(/\./g, '')}` : stat);

  it('names every series the way the output does: k6_ + metric + _total, _rate, nothing, or _<stat>', () => {
    const stats = fixture.env.K6_PROMETHEUS_RW_TREND_STATS!.split(',').map(statSuffix);
    expect(stats).toEqual(['p50', 'p95', 'p99', 'min', 'max']);
    for (const s of fixture.series) {
      const suffix = { counter: '_total', gauge: '', rate: '_rate', trend: `_${s.stat ?? '?'}` }[s.k6Type];
      expect(s.name).toBe(`k6_${s.k6Metric}${suffix}`);
      if (s.k6Type === 'trend') expect(stats).toContain(s.stat);
    }
    const trends = new Map<string, Set<string>>();
    for (const s of fixture.series.filter((x) => x.k6Type === 'trend')) trends.set(s.k6Metric, (trends.get(s.k6Metric) ?? new Set()).add(s.stat ?? ''));
    for (const [metric, seen] of trends) expect([...seen].sort(), metric).toEqual([...stats].sort());
  });

  it('labels every series with the test id and never with the job-specific url', () => {
    for (const s of fixture.series) {
      expect(s.labels.testid, s.name).toMatch(/\S/);
      expect(s.labels).not.toHaveProperty('url');
      expect(Number.isFinite(s.value)).toBe(true);
    }
  });

  it('uses the request names and check names the scripts use', () => {
    const success = fakeService({ states: ['succeeded'] });
    submitAndFollow(success.deps, 'http://x', { format: 'json', ...encodeJob(createOnboardingJob(1, 20), 'json') }, { maxWaitSeconds: 1 });
    const requestNames = new Set(success.requests.map((r) => r.params.tags?.name));
    const checkNames = Object.keys(success.checks).sort();
    const fixtureChecks = [...new Set(fixture.series.filter((s) => s.name === 'k6_checks_rate').map((s) => s.labels.check))].sort();
    expect(fixtureChecks).toEqual(checkNames);
    const fixtureRequests = new Set(fixture.series.filter((s) => s.name === 'k6_http_reqs_total').map((s) => s.labels.name));
    expect(fixtureRequests).toEqual(new Set([...requestNames, 'GET /readyz']));
  });
});

/**
 * k6's HTTP calls are synchronous; so is this stand-in: each request is one `fetch` in a child Node process. Slow
 * (tens of milliseconds a request), which is fine for the handful a job takes.
 */
const FETCH = `const [url, method, type] = process.argv.slice(1);
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const body = method === 'POST' ? Buffer.concat(chunks).toString('utf8') : undefined;
  const res = await fetch(url, { method, headers: type ? { 'content-type': type } : {}, body });
  process.stdout.write(JSON.stringify({ status: res.status, body: await res.text() }));
});`;
function syncRequest(method: 'GET' | 'POST', url: string, params: FlowRequestParams, body = ''): FlowResponse {
  const type = params.headers?.['Content-Type'] ?? '';
  const out = JSON.parse(execFileSync(process.execPath, ['-e', FETCH, url, method, type], { input: body, encoding: 'utf8' })) as { status: number; body: string };
  return { status: out.status, json: () => JSON.parse(out.body) as unknown };
}

describe('the smoke iteration against the real service (memscope serve)', () => {
  let service: ChildRun;
  let url = '';
  beforeAll(async () => {
    service = runNode([CLI, 'serve', '--port', '0']);
    url = (await service.waitForLine(/listening on (http:\/\/\S+)/))[1] ?? '';
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.done;
  });

  it('submits JSON and CSV jobs the service accepts, and follows each until it succeeds', { timeout: 60_000 }, () => {
    const checks: Record<string, boolean[]> = {};
    const deps: FlowDeps = {
      http: { post: (u, body, params) => syncRequest('POST', u, params, body), get: (u, params) => syncRequest('GET', u, params) },
      check: (value, sets) => Object.entries(sets).every(([name, fn]) => {
        const ok = fn(value);
        (checks[name] ??= []).push(ok);
        return ok;
      }),
      sleep: (seconds) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
      },
      now: () => Date.now(),
      recordTurnaround: () => undefined,
    };
    for (const format of ['json', 'csv'] as const) {
      const job = createOnboardingJob(format === 'json' ? 101 : 202, LOAD_PROFILES.smoke.pointsPerJob.max);
      expect(submitAndFollow(deps, url, { format, ...encodeJob(job, format) }, { maxWaitSeconds: 20, pollIntervalSeconds: 0.1 }), format).toBe('succeeded');
    }
    for (const [name, results] of Object.entries(checks)) expect(results.every(Boolean), name).toBe(true);
  });
});
