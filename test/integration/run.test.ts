import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunProcessReport, RunReport } from '../../src/report/report-model.js';
import { CLI, ROOT, runNode, type ChildRun } from '../helpers/child.js';

const program = (name: string): string => `${ROOT}test/fixtures/programs/${name}`;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/**
 * Leak options that let a run of a few seconds reach a verdict (the defaults need a minute of warm-up): the
 * fixtures force a full GC every 250 ms, which gives the detector the post-GC points a service gives it over minutes.
 */
const FAST_LEAK = JSON.stringify({ ignoreFirstMs: 500, warmUpMs: 1000, minSpanMs: 2000, bucketMs: 250, minGrowthBytes: 1_048_576 });
const FAST_ENV = { MEMSCOPE_LEAK: FAST_LEAK, MEMSCOPE_SAMPLE_INTERVAL_MS: '50' };

function memscopeRun(args: string[], env: NodeJS.ProcessEnv = FAST_ENV, detached = false): { out: string; run: ChildRun } {
  const out = mkdtempSync(join(tmpdir(), 'memscope-run-test-'));
  dirs.push(out);
  // `setsid` makes memscope the leader of a process group of its own, as a shell does for a foreground job.
  const run = detached
    ? runNode([process.execPath, CLI, 'run', '--out', out, ...args], { env, execPath: '/usr/bin/setsid' })
    : runNode([CLI, 'run', '--out', out, ...args], { env });
  return { out, run };
}

function reports(out: string): { run: RunReport; processes: RunProcessReport[] } {
  const files = readdirSync(out).filter((f) => f.endsWith('.json'));
  const runFile = files.find((f) => !f.includes('-pid'));
  if (runFile === undefined) throw new Error(`no run report in ${out}: ${files.join(', ')}`);
  const run = JSON.parse(readFileSync(join(out, runFile), 'utf8')) as RunReport;
  const processes = files.filter((f) => f.includes('-pid')).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as RunProcessReport);
  return { run, processes };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000, before?: () => Promise<void>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await before?.();
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('memscope run', () => {
  it('names the leak of a leaking ESM program and exits 11 under --fail-on-leak', async () => {
    const { out, run } = memscopeRun(['--fail-on-leak', '--html', '--plot', 'svg', '--', process.execPath, '--expose-gc', program('run-leaker.mjs'), 'leak', '6']);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(11);
    expect(stderr).toContain('MEMSCOPE_E_LEAK_SUSPECTED');
    const { run: report, processes } = reports(out);
    expect(report.kind).toBe('run');
    expect(report.leak?.status).toBe('suspected');
    // The verdict's own sentence, printed as is.
    expect(stderr).toContain(`memscope run: ${report.leak?.summary ?? '?'}`);
    expect(report.leakBaselines?.heap?.length).toBeGreaterThan(3);
    expect(report.exit).toEqual({ code: 0, signal: null, status: 11 });
    expect(processes).toHaveLength(1);
    expect(processes[0]?.process.commandLine).toContain('run-leaker.mjs leak 6');
    // The pictures: the chart of the verdict's process and the HTML report with the verdict's sentence.
    const html = readdirSync(out).find((f) => f.endsWith('.html'));
    expect(readFileSync(join(out, html ?? 'missing.html'), 'utf8')).toContain('leak suspected in JS heap');
    const svg = readdirSync(out).find((f) => f.endsWith('.svg'));
    expect(readFileSync(join(out, svg ?? 'missing.svg'), 'utf8')).toMatch(/^<svg|<svg /);
  });

  it('finds no leak in a steady CommonJS program and exits with its own status', async () => {
    const { out, run } = memscopeRun(['--fail-on-leak', '--', process.execPath, '--expose-gc', program('run-leaker.cjs'), 'steady', '6', '3']);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(3);
    const { run: report } = reports(out);
    expect(report.leak?.status).not.toBe('suspected');
    expect(report.exit).toEqual({ code: 3, signal: null, status: 3 });
    expect(stderr).not.toContain('leak suspected');
  });

  it('reports every Node.js process of the command and judges the child that did the work', async () => {
    const { out, run } = memscopeRun(['--', process.execPath, program('run-parent.mjs'), 'leak', '6']);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    const { run: report, processes } = reports(out);
    expect(processes).toHaveLength(2);
    const child = processes.find((p) => p.process.commandLine.includes('run-leaker.cjs'));
    const parent = processes.find((p) => p.process.commandLine.includes('run-parent.mjs'));
    expect(child?.process.ppid).toBe(parent?.process.pid);
    expect(report.verdictProcess?.pid).toBe(child?.process.pid);
    expect(report.verdictProcess?.reason).toMatch(/most CPU time/);
    expect(report.leak?.status).toBe('suspected');
    expect(report.processes.map((p) => p.pid).sort()).toEqual(processes.map((p) => p.process.pid).sort());
  });

  const scraped: string[] = [];
  it('shares one profiler with a program that imports memscope, keeps its phases and reports its worker thread', async () => {
    const stopFile = join(mkdtempSync(join(tmpdir(), 'memscope-run-stop-')), 'stop');
    dirs.push(dirname(stopFile));
    const { out, run } = memscopeRun(['--metrics-port', '0', '--', process.execPath, program('run-threads.mjs')], { RUN_THREADS_STOP_FILE: stopFile });
    const url = await waitFor('the /metrics URL', () => /\/metrics at (\S+) /.exec(run.stderr())?.[1]);
    await run.waitForLine(/worker running/);
    // The worker reports every second and runs until the stop file exists: its own series, labelled with its thread id.
    const exposition = await waitFor('the worker thread series', () => scraped.find((t) => /memscope_thread_heap_used_bytes\{thread_id="\d+"\} \d+/.test(t)), 30_000, async () => { scraped.push(await (await fetch(url)).text()); });
    writeFileSync(stopFile, '');
    expect(exposition).toMatch(/memscope_thread_heap_total_bytes\{thread_id="\d+"\}/);
    const { code, stdout, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ shared: true, kept: 300_000 });
    expect(stderr).not.toContain('MEMSCOPE_W_PRELOADED');
    const { processes } = reports(out);
    expect(processes).toHaveLength(1);
    expect(processes[0]?.phases.map((p) => p.name)).toContain('import-points');
    const thread = processes[0]?.threads[0];
    expect(thread?.label).toMatch(/^thread \d+$/);
    // The worker kept ~300 000 objects: its own heap, not the main thread's.
    expect(thread?.peakHeapUsedBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(stderr).toContain(`${thread?.label ?? '?'}: peak heap`);
  });

  it('serves /metrics from one process while the command runs and still writes the reports on Ctrl-C', async () => {
    // A terminal's Ctrl-C reaches the whole foreground process group: memscope, the parent and its child.
    const { out, run } = memscopeRun(['--metrics-port', '0', '--', process.execPath, program('run-parent.mjs'), 'steady', '0'], FAST_ENV, true);
    const url = await waitFor('the /metrics URL', () => /\/metrics at (\S+) \(pid (\d+)\)/.exec(run.stderr()) ?? undefined);
    await run.waitForLine(/ready \d+/);
    const text = await (await fetch(url[1]!)).text();
    expect(text).toContain('memscope_leak_verdict');
    process.kill(-run.child.pid!, 'SIGINT');
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(130);
    const { run: report, processes } = reports(out);
    expect(report.exit.signal).toBe('SIGINT');
    expect(processes).toHaveLength(2);
    expect(processes.every((p) => p.complete)).toBe(true);
    // Exactly one of the two processes bound the port.
    expect(processes.filter((p) => p.process.metricsUrl !== null).map((p) => p.process.pid)).toEqual([Number(url[2])]);
  });

  it('forwards SIGTERM sent to memscope alone and exits as the command did', async () => {
    const { out, run } = memscopeRun(['--', process.execPath, program('run-leaker.cjs'), 'steady', '0']);
    await run.waitForLine(/ready \d+/);
    run.child.kill('SIGTERM');
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(143);
    const { processes } = reports(out);
    expect(processes[0]?.process.signal).toBe('SIGTERM');
    expect(processes[0]?.complete).toBe(true);
  });

  it('exits 127 with MEMSCOPE_E_COMMAND_NOT_STARTED for a command that does not exist', async () => {
    const { code, stderr } = await memscopeRun(['--', 'memscope-no-such-command']).run.done;
    expect(code).toBe(127);
    expect(stderr).toContain('MEMSCOPE_E_COMMAND_NOT_STARTED');
  });

  it('refuses a bad MEMSCOPE_* variable before starting anything', async () => {
    const { code, stderr, stdout } = await memscopeRun(['--', process.execPath, program('run-leaker.cjs'), 'steady', '1'], { MEMSCOPE_SAMPLE_INTERVAL_MS: 'fast' }).run.done;
    expect(code).toBe(2);
    expect(stderr).toContain('MEMSCOPE_SAMPLE_INTERVAL_MS');
    expect(stdout).not.toContain('ready');
  });

  it('covers a TypeScript entry point behind a loader on the command line (node --import tsx)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'memscope-run-tsx-'));
    dirs.push(project);
    writeFileSync(join(project, 'app.ts'), 'const points: number[] = Array.from({ length: 1000 }, (_, i) => i);\nconsole.log(`ts ran ${points.length}`);\n');
    const { out, run } = memscopeRun(['--', process.execPath, '--import', 'tsx', join(project, 'app.ts')], {});
    const { code, stdout, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('ts ran 1000');
    const { run: report, processes } = reports(out);
    expect(processes).toHaveLength(1);
    expect(report.verdictProcess?.commandLine).toContain('--import tsx');
    expect(report.verdictProcess?.commandLine).toContain('app.ts');
  });

  it('covers a command started through npm run, whose verdict is about the script, not npm', async () => {
    const project = mkdtempSync(join(tmpdir(), 'memscope-run-npm-'));
    dirs.push(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { work: `node ${JSON.stringify(program('run-leaker.cjs'))} steady 2` } }));
    const out = mkdtempSync(join(tmpdir(), 'memscope-run-test-'));
    dirs.push(out);
    const { code, stderr } = await runNode([CLI, 'run', '--out', out, '--', 'npm', 'run', '--silent', 'work'], { cwd: project }).done;
    expect(code, stderr).toBe(0);
    const { run: report, processes } = reports(out);
    expect(processes.some((p) => p.process.wrapper === 'npm')).toBe(true);
    expect(report.verdictProcess?.commandLine).toContain('run-leaker.cjs steady 2');
  });
});
