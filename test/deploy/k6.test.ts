import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionsFor, thresholdsFor } from '../../load-tests/lib/k6-options.js';
import { listRecentJobs, submitAndFollow, type FlowDeps, type FlowRequestParams } from '../../load-tests/lib/onboarding-flow.js';
import { LOAD_PROFILE_NAMES, LOAD_PROFILES } from '../../src/stress/load-profiles.js';
import { createOnboardingJob, encodeJob, toCsv } from '../../src/stress/onboarding-jobs.js';
import { ROOT } from '../helpers/child.js';

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

  it('are one per load profile, each named after it', () => {
    const scripts = readdirSync(join(ROOT, 'load-tests')).filter((f) => f.endsWith('.ts'));
    expect(scripts.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...LOAD_PROFILE_NAMES].sort());
  });

  it('are thin: the profile, and the options, fail-fast setup, shared iteration and JSON summary made from it', () => {
    for (const name of LOAD_PROFILE_NAMES) {
      const text = readFileSync(join(ROOT, 'load-tests', `${name}.ts`), 'utf8');
      const key = /^\w+$/.test(name) ? `\\.${name}` : `\\['${name}'\\]`;
      expect(text, name).toMatch(new RegExp(`^import \\{ LOAD_PROFILES \\} from '\\.\\./src/stress/load-profiles\\.ts';$`, 'm'));
      expect(text, name).toMatch(new RegExp(`const run = scenario\\(LOAD_PROFILES${key}\\);`));
      for (const line of ['export const options = run.options;', 'export const setup = run.setup;', 'export default run.iteration;', 'export const handleSummary = run.handleSummary;']) {
        expect(text, name).toContain(line);
      }
    }
    // The summary file is named after the profile: handleSummary writes `${SUMMARY_DIR}/<profile>-summary.json`.
    expect(readFileSync(join(ROOT, 'load-tests/lib/scenario.ts'), 'utf8')).toContain('handleSummary: summaryHandler(profile.name)');
  });

  it('take BASE_URL from the environment with a default, and check /readyz before any load', () => {
    const service = readFileSync(join(ROOT, 'load-tests/lib/service.ts'), 'utf8');
    expect(service).toMatch(/__ENV\.BASE_URL \?\? DEFAULT_BASE_URL/);
    expect(service).toMatch(/\/readyz/);
    expect(service).toMatch(/exec\.test\.abort\(/);
  });
});

describe('k6 options (load-tests/lib/k6-options.ts)', () => {
  it('turn a profile into a ramping-VUs scenario tagged with the profile, and its thresholds into k6 thresholds', () => {
    const options = optionsFor(LOAD_PROFILES.average, { testId: 'run-1' });
    expect(options.scenarios?.average).toMatchObject({
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '60s', target: 20 },
        { duration: '300s', target: 20 },
        { duration: '60s', target: 0 },
      ],
      tags: { profile: 'average' },
    });
    expect(options.thresholds).toEqual({
      http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: false, delayAbortEval: '10s' }],
      http_req_duration: ['p(95)<800', 'p(99)<1500'],
      checks: ['rate>0.99'],
      onboarding_job_duration: ['p(95)<5000'],
    });
    expect(options.tags).toEqual({ profile: 'average', testid: 'run-1' });
    expect(options.systemTags).not.toContain('url');
  });

  it('abort a smoke run on its error budget, and require large batches of the profiles that send them', () => {
    expect(thresholdsFor(LOAD_PROFILES.smoke).http_req_failed).toEqual([{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }]);
    expect(thresholdsFor(LOAD_PROFILES['leak-hunt'])['http_reqs{batch:large}']).toEqual(['count>0']);
    for (const name of LOAD_PROFILE_NAMES.filter((n) => n !== 'leak-hunt')) expect(Object.keys(thresholdsFor(LOAD_PROFILES[name])), name).not.toContain('http_reqs{batch:large}');
  });

  it('follow every threshold of the profile: a changed number is a changed expression', () => {
    const base = LOAD_PROFILES.stress;
    const changed = { ...base, thresholds: { ...base.thresholds, httpReqDurationP99Ms: 4321, checksRate: 0.97 } };
    expect(thresholdsFor(changed).http_req_duration).toEqual([`p(95)<${base.thresholds.httpReqDurationP95Ms}`, 'p(99)<4321']);
    expect(thresholdsFor(changed).checks).toEqual(['rate>0.97']);
  });
});

describe('onboarding jobs in the scripts (src/stress/onboarding-jobs.ts)', () => {
  it('encode as the JSON body { site, points } or as CSV with the header name,value,units,description', () => {
    const job = { site: 'SITE1', points: [{ name: 'SITE1.MTR-01.PF', value: 0.93, units: '', description: 'Power "factor", total' }] };
    expect(JSON.parse(encodeJob(job, 'json').body)).toEqual(job);
    expect(encodeJob(job, 'json').contentType).toBe('application/json');
    expect(encodeJob(job, 'csv')).toEqual({ contentType: 'text/csv', body: toCsv(job.points) });
    expect(toCsv(job.points)).toBe('name,value,units,description\nSITE1.MTR-01.PF,0.93,,"Power ""factor"", total"\n');
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
    expect(service.requests[0]?.params.tags).toEqual({ name: 'POST /api/onboarding/jobs', format: 'json', batch: 'regular' });
    expect(service.turnarounds).toEqual([{ ms: 750, tags: { outcome: 'succeeded', format: 'json', batch: 'regular' } }]);
  });

  it('tags a large batch as such, on the request and on its turnaround', () => {
    const service = fakeService({ states: ['succeeded'] });
    submitAndFollow(service.deps, 'http://x', { format: 'csv', batch: 'large', ...encodeJob(job, 'csv') }, { maxWaitSeconds: 10 });
    expect(service.requests[0]?.params.tags?.batch).toBe('large');
    expect(service.turnarounds[0]?.tags.batch).toBe('large');
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

describe('listRecentJobs (load-tests/lib/onboarding-flow.ts)', () => {
  it('reads the job list under its own request name and checks that it is a list', () => {
    const service = fakeService({ states: [] });
    service.deps.http.get = (url, params) => {
      service.requests.push({ method: 'GET', url, params });
      return { status: 200, json: () => ({ jobs: [] }) };
    };
    expect(listRecentJobs(service.deps, 'http://bms:3000')).toBe(true);
    expect(service.requests.map((r) => `${r.method} ${r.url} ${r.params.tags?.name ?? ''}`)).toEqual(['GET http://bms:3000/api/onboarding/jobs GET /api/onboarding/jobs']);

    service.deps.http.get = () => ({ status: 200, json: () => ({ error: 'not a list' }) });
    expect(listRecentJobs(service.deps, 'http://bms:3000')).toBe(false);
    expect(service.checks['job list readable (200)']).toEqual([true, false]);
  });
});
