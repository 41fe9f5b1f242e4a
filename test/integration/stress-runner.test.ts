import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonReport } from '../../src/report/read-report.js';
import { CLI, ROOT, runNode } from '../helpers/child.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-stress-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The four paths and the verdict, as the last lines of stdout print them. */
function outputs(stdout: string): { html: string; png: string; json: string; verdict: string } {
  const path = (label: string): string => new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
  return { html: path('HTML report'), png: path('PNG chart'), json: path('JSON report'), verdict: stdout.trim().split('\n').at(-1) ?? '' };
}

interface StressJson {
  passed: boolean;
  tests: Array<{ phaseIntervals: Array<{ name: string }>; timeline: unknown[]; assertions: Array<{ name: string; passed: boolean }> }>;
  stress: { interrupted: boolean; memory: unknown; memoryNote: string | null; client: { requests: number; byRequest: Record<string, { requests: number }> } };
}

describe('memscope stress on the example service (real service, real HTTP)', () => {
  it('passes the smoke scenario on the healthy service and writes the HTML, PNG, JSON and text reports', { timeout: 120_000 }, async () => {
    const out = join(dir, 'smoke');
    const { code, stdout, stderr } = await runNode([CLI, 'stress', '--duration', '20', '--out', out]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    for (const stage of ['stage 1/3 (ramp up to 2 VUs)', 'stage 2/3 (hold 2 VUs)', 'stage 3/3 (ramp down to 0 VUs)']) expect(stdout).toContain(stage);
    const files = outputs(stdout);
    expect(files.verdict).toMatch(/^verdict: PASS — smoke: 8 of 8 thresholds met; /);
    expect(readFileSync(files.png).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(files.html, 'utf8')).toContain('<html');
    const report = parseJsonReport(readFileSync(files.json, 'utf8'), files.json) as unknown as StressJson;
    expect(report.passed).toBe(true);
    expect(report.tests[0]!.phaseIntervals.map((p) => p.name)).toEqual(['stage 1/3 (ramp up to 2 VUs)', 'stage 2/3 (hold 2 VUs)', 'stage 3/3 (ramp down to 0 VUs)']);
    expect(report.tests[0]!.timeline.length).toBeGreaterThanOrEqual(5);
    // The scripts' flow, not one URL hammered: jobs submitted and followed by their status.
    expect(report.stress.client.byRequest['POST /api/onboarding/jobs']!.requests).toBeGreaterThan(10);
    expect(report.stress.client.byRequest['GET /api/onboarding/jobs/:id']!.requests).toBeGreaterThanOrEqual(report.stress.client.byRequest['POST /api/onboarding/jobs']!.requests);
    expect(report.tests[0]!.assertions.map((a) => a.name)).toContain('leak_verdict!=suspected');
    expect(readFileSync(files.json.replace(/\.json$/, '.txt'), 'utf8')).toContain(files.verdict);
    // The other commands read it as a memory-test report.
    const html = join(dir, 'again.html');
    const again = await runNode([CLI, 'report', files.json, '--html', html]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(html)).toBe(true);
  });

  it('says when the target has no memscope series and judges the client thresholds only', { timeout: 90_000 }, async () => {
    const service = runNode([CLI, 'serve', '--port', '0']);
    const [url] = await service.waitForLine(/http:\/\/127\.0\.0\.1:\d+/);
    const plain: Server = createServer((_req, res) => res.end('# TYPE up gauge\nup 1\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await runNode([CLI, 'stress', '--target', url, '--metrics', `http://127.0.0.1:${port}/metrics`, '--duration', '8', '--out', join(dir, 'plain')]).done;
      expect(stdout).toContain('has no memscope series; only the client thresholds were judged');
      const files = outputs(stdout);
      // What this test checks is the memory side. The client thresholds are judged as always; of them only latency
      // can fail here, when a shared CI machine starves the service (p99 1.2 s against the smoke profile's 1 s was
      // seen) — and then the run must say so and exit 13.
      const verdict = /^verdict: (PASS — smoke: 5 of 5 thresholds met|FAIL — smoke: 1 of 5 thresholds failed: http_req_duration p\(9[05]\)<\d+ \([^)]*\)); memory not judged \(no memscope series\)$/.exec(files.verdict);
      expect(verdict, `${stdout}\n${stderr}`).not.toBeNull();
      expect(code, `${stdout}\n${stderr}`).toBe(verdict?.[1]?.startsWith('PASS') === true ? 0 : 13);
      const report = JSON.parse(readFileSync(files.json, 'utf8')) as StressJson;
      expect(report.stress.memory).toBeNull();
    } finally {
      plain.close();
      service.child.kill('SIGTERM');
      await service.done;
    }
  });

  it('on Ctrl-C stops the load and the service, writes what was measured and exits 130', { timeout: 90_000 }, async () => {
    const run = runNode([CLI, 'stress', '--duration', '60', '--out', join(dir, 'interrupted')]);
    const [, url] = await run.waitForLine(/target: .* at (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    await run.waitForLine(/stage 2\/3/, 30_000);
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    expect(stderr).toContain('MEMSCOPE_E_INTERRUPTED');
    const files = outputs(stdout);
    expect(files.verdict).toMatch(/^verdict: .* \(interrupted: partial run\)/);
    const report = JSON.parse(readFileSync(files.json, 'utf8')) as StressJson;
    expect(report.stress.interrupted).toBe(true);
    expect(report.stress.client.requests).toBeGreaterThan(0);
    expect(existsSync(files.png)).toBe(true);
    // The example service it started is gone.
    await expect(fetch(`${url!}/healthz`)).rejects.toThrow();
  });

  // `-- <command>` needs memscope/register (dist/register.js), built on the wt/run branch: until it is merged, the
  // command form is refused with a usage error; once it is, the same test runs the example as a command.
  it('drives a command started with memscope preloaded, or refuses it clearly without the preload', { timeout: 90_000 }, async () => {
    const command = ['--', process.execPath, CLI, 'serve', '--port', '0'];
    const { code, stdout, stderr } = await runNode([CLI, 'stress', '--duration', '10', '--out', join(dir, 'command'), ...command]).done;
    if (!existsSync(join(ROOT, 'dist', 'register.js'))) {
      expect(code).toBe(2);
      expect(stderr).toContain('MEMSCOPE_E_USAGE: memscope stress -- <command> needs memscope/register');
      return;
    }
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/memory from http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(outputs(stdout).verdict).toMatch(/^verdict: PASS — smoke: 8 of 8 thresholds met/);
  });
});
