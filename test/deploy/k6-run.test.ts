import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thresholdsFor } from '../../load-tests/lib/k6-options.js';
import { durationScaleFor, LOAD_PROFILES, profileDurationSeconds, profilePeakVUs, scaleProfile, type LoadProfileName } from '../../src/stress/load-profiles.js';
import { CLI, runNode, type ChildRun } from '../helpers/child.js';
import { runK6, RUN_K6_TESTS, requireK6, writeBundles, type K6Result } from '../helpers/k6.js';
import { freePort } from '../helpers/ports.js';

// Every k6 scenario, bundled as k6 runs it, under a real k6 against the real service (`memscope serve`), in a
// shortened form: DURATION_SCALE squeezes each profile's stages into ~15 s; the VUs, think time, job sizes, large
// batches and thresholds stay the profile's. The smoke scenario with Prometheus remote write: k6-prometheus.test.ts.

/** Each shortened run lasts about this long, plus k6's graceful ramp-down of iterations still running. */
const SHORT_SECONDS = 15;
const GRACEFUL_RAMP_DOWN_SECONDS = 10;

/**
 * Thresholds on correctness (errors, checks, large batches sent) must hold in every run. Latency thresholds are
 * reported, not required, here: k6 and the service share this machine's two cores (with other work), so their
 * percentiles say more about the machine than about the service. The smoke run must pass all of them.
 */
const LATENCY_METRICS = new Set(['http_req_duration', 'onboarding_job_duration']);

interface Summary {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  state: { testRunDurationMs: number };
}

/** The service's own counters (docs/bms-service.md): how many jobs and points it took. */
async function serviceCounters(url: string): Promise<{ accepted: number; points: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
  return { accepted: value(/^bms_onboarding_jobs_total\{bms_job_status="accepted"\} (\S+)$/m), points: value(/^bms_onboarding_points_total (\S+)$/m) };
}

const failedThresholds = (summary: Summary): string[] =>
  Object.entries(summary.metrics).flatMap(([metric, m]) => Object.entries(m.thresholds ?? {}).filter(([, r]) => !r.ok).map(([expr]) => `${metric}: ${expr}`));

describe.runIf(RUN_K6_TESTS)('the k6 scenarios, shortened, under a real k6 against the real service', () => {
  let service: ChildRun;
  let url = '';
  let bundles = '';
  let summaries = '';

  beforeAll(async () => {
    requireK6();
    bundles = writeBundles();
    summaries = mkdtempSync(join(tmpdir(), 'memscope-k6-summaries-'));
    service = runNode([CLI, 'serve', '--port', '0']);
    url = (await service.waitForLine(/listening on (http:\/\/\S+)/))[1] ?? '';
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.done;
    rmSync(bundles, { recursive: true, force: true });
    rmSync(summaries, { recursive: true, force: true });
  });

  async function runShortened(name: LoadProfileName): Promise<{ run: K6Result; summary: Summary; scale: number }> {
    const scale = durationScaleFor(LOAD_PROFILES[name], SHORT_SECONDS);
    const run = await runK6(
      ['run', '--quiet', '-e', `BASE_URL=${url}`, '-e', `DURATION_SCALE=${scale}`, '-e', `SUMMARY_DIR=${summaries}`, '-e', `TESTID=test-${name}`, join(bundles, `${name}.js`)],
      { timeoutMs: 150_000 },
    );
    let summary: Summary;
    try {
      summary = JSON.parse(readFileSync(join(summaries, `${name}-summary.json`), 'utf8')) as Summary;
    } catch (error) {
      throw new Error(`no summary from k6 (exit ${String(run.code)}): ${(error as Error).message}\n${run.stdout}\n${run.stderr}`);
    }
    return { run, summary, scale };
  }

  for (const name of ['average', 'stress', 'spike', 'soak', 'leak-hunt'] as const) {
    it(`${name}: runs its stages shortened, at the profile's VUs, every job accepted and followed to its end`, { timeout: 180_000 }, async () => {
      const profile = LOAD_PROFILES[name];
      const before = await serviceCounters(url);
      const { run, summary, scale } = await runShortened(name);
      const after = await serviceCounters(url);
      const failed = failedThresholds(summary);
      console.log(`k6 ${name} (DURATION_SCALE=${scale.toFixed(4)}): exit ${String(run.code)}${run.stdout.trimEnd()}`);

      // 0: every threshold held; 99: some did not (see below). Anything else (setup abort 108, script error 107,
      // bad options 104) is a broken scenario.
      expect([0, 99], run.stderr).toContain(run.code);
      expect(failed.filter((f) => !LATENCY_METRICS.has(f.split(':')[0]!.replace(/\{.*$/, '')))).toEqual([]);
      expect(run.code === 0).toBe(failed.length === 0);
      // Every threshold of the profile was evaluated.
      const evaluated = Object.entries(summary.metrics).flatMap(([metric, m]) => Object.keys(m.thresholds ?? {}).map((expr) => `${metric}: ${expr}`));
      const expected = Object.entries(thresholdsFor(profile)).flatMap(([metric, list]) => list.map((t) => `${metric}: ${typeof t === 'string' ? t : t.threshold}`));
      expect(evaluated.sort()).toEqual(expected.sort());

      // The shortened shape: the scaled stages, then at most the graceful ramp-down; the profile's peak VUs.
      const planned = profileDurationSeconds(scaleProfile(profile, scale));
      expect(summary.state.testRunDurationMs / 1000).toBeGreaterThanOrEqual(planned);
      expect(summary.state.testRunDurationMs / 1000).toBeLessThanOrEqual(planned + GRACEFUL_RAMP_DOWN_SECONDS + 5);
      expect(summary.metrics.vus_max?.values.max).toBe(profilePeakVUs(profile));

      // Each iteration submitted one job, which the service accepted; an iteration cut short at the end may have
      // submitted one more.
      const iterations = summary.metrics.iterations?.values.count ?? 0;
      expect(iterations).toBeGreaterThan(0);
      expect(after.accepted - before.accepted).toBeGreaterThanOrEqual(iterations);
      expect(after.accepted - before.accepted).toBeLessThanOrEqual(iterations + profilePeakVUs(profile));
      expect(summary.metrics.checks?.values.rate).toBeGreaterThanOrEqual(profile.thresholds.checksRate);

      if (profile.largeBatches !== undefined) {
        // Shortened or not, the leak hunt sends its large batches, and the service takes every point of them.
        const large = summary.metrics['http_reqs{batch:large}']?.values.count ?? 0;
        expect(large).toBeGreaterThanOrEqual(1);
        expect(large).toBeLessThanOrEqual(Math.ceil((iterations + profilePeakVUs(profile)) / profile.largeBatches.everyNthJob));
        expect(after.points - before.points).toBeGreaterThanOrEqual(large * profile.largeBatches.points);
      } else {
        expect(summary.metrics['http_reqs{batch:large}']).toBeUndefined();
      }
    });
  }

  it('stop at once when the service is down: setup() aborts before any load', { timeout: 60_000 }, async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runK6(['run', '--quiet', '-e', `BASE_URL=${closed}`, '-e', `SUMMARY_DIR=${summaries}`, join(bundles, 'smoke.js')]);
    expect(run.code, run.stderr).toBe(108); // k6's "script aborted" exit code
    expect(run.stderr).toContain(`the service is not ready at ${closed}/readyz`);
    const summary = JSON.parse(readFileSync(join(summaries, 'smoke-summary.json'), 'utf8')) as Summary;
    expect(summary.metrics.iterations).toBeUndefined();
  });
});
