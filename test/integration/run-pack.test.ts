import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packTarball } from '../helpers/pack.js';
import { ROOT, runNode } from '../helpers/child.js';
import { ensureNode24 } from '../../scripts/setup.mjs';

// The zero-code preload and the test-runner matchers as users get them: the packed tarball installed into a fresh
// project with no dev dependencies of memscope's (the project's own vitest is what a user has).
const dir = mkdtempSync(join(tmpdir(), 'memscope-run-pack-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', npm_config_loglevel: 'error' } });
}

describe('memscope/register and memscope/testing/vitest from the tarball', () => {
  const app = join(dir, 'app');

  it('installs and preloads with `node --import memscope/register app.js`, /metrics scraped and a report written', { timeout: 240_000 }, async () => {
    const tarball = basename(packTarball(dir));
    sh('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    sh('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball)], app);
    // A CommonJS app that knows nothing of memscope.
    writeFileSync(join(app, 'app.js'), "const t = setInterval(() => {}, 100); console.log('ready'); setTimeout(() => clearInterval(t), 2500);\n");
    const reports = join(dir, 'reports');
    const run = runNode(['--import', 'memscope/register', 'app.js'], { cwd: app, env: { MEMSCOPE_METRICS_PORT: '0', MEMSCOPE_REPORT_DIR: reports } });
    await run.waitForLine(/ready/);
    // Port 0: the owner publishes its URL in the claim file of the report directory.
    const claim = JSON.parse(readFileSync(join(reports, 'memscope-metrics-0.lock'), 'utf8')) as { url: string };
    const body = await (await fetch(claim.url)).text();
    expect(body).toMatch(/^memscope_leak_verdict\{memscope_leak_status="inconclusive"\} 1$/m);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(reports, `${run.child.pid!}.json`), 'utf8')) as { kind: string; complete: boolean; process: { commandLine: string } };
    expect(report).toMatchObject({ kind: 'run-process', complete: true });
    expect(report.process.commandLine).toContain('app.js');
    // And `memscope run` from the installed bin.
    const out = join(dir, 'run-out');
    sh(join(app, 'node_modules', '.bin', 'memscope'), ['run', '--out', out, '--', process.execPath, 'app.js'], app);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(2);
  });

  it('runs the vitest matchers in a real vitest run of the project', { timeout: 240_000 }, async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
    sh('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `vitest@${version}`], app);
    writeFileSync(join(app, 'memory.test.mjs'), [
      "import { test, expect } from 'vitest';",
      "import 'memscope/testing/vitest';",
      "test('small work', async () => { await expect(() => Array.from({ length: 1000 }, (_, i) => ({ i }))).toStayBelow({ peak: '50 MiB', retained: '2 MiB' }); });",
      'const kept = [];',
      "test('a cache that never forgets', async () => { await expect(() => { kept.push(Buffer.alloc(256 * 1024, 1)); }).not.toLeak({ iterations: 10 }); });",
    ].join('\n'));
    const { code, stdout, stderr } = await runNode([join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', app], { cwd: app, env: { NO_COLOR: '1', FORCE_COLOR: '0' } }).done;
    const output = stdout + stderr;
    expect(code, output).toBe(1);
    expect(output).toMatch(/1 failed \| 1 passed/);
    expect(output).toMatch(/expected the function not to leak, but: leak suspected in /);
  });

  it('runs `memscope test` on the project\'s own JS and TS memory tests and `memscope benchmark` on its workload, from the installed bin', { timeout: 240_000 }, async () => {
    const bin = join(app, 'node_modules', 'memscope', 'dist', 'cli', 'main.js');
    writeFileSync(join(app, 'rows.memory.mjs'), [
      "import { defineMemoryTest } from 'memscope/testing';",
      "export default defineMemoryTest({ name: 'js rows', sizes: { normal: 10000, stress: 20000 }, run: ({ size }) => Array.from({ length: size }, (_, i) => ({ i })).length, limits: { peak: '32 MiB', retained: '1 MiB', noLeak: { iterations: 8 } } });",
    ].join('\n'));
    writeFileSync(join(app, 'points.memory.mts'), [
      "import { defineMemoryTest, type MemoryTestRunContext } from 'memscope/testing';",
      'const names = ({ size }: MemoryTestRunContext): number => Array.from({ length: size }, (_, i): string => `SITE1.AHU-${i}.SA-T`).length;',
      "export default defineMemoryTest({ name: 'ts points', run: names, sizes: { normal: 5000, stress: 50000 }, limits: { retained: '1 MiB' } });",
    ].join('\n'));
    writeFileSync(join(app, 'ingest.bench.mjs'), [
      "import { defineWorkload } from 'memscope/testing';",
      "export default defineWorkload({ name: 'ingest', run: ({ size, phase }) => phase('split', () => Array.from({ length: size }, (_, i) => `S.AHU-${i}.T`.split('.'))).length });",
    ].join('\n'));
    // Node 24 strips the TypeScript file's types; the default glob finds both files.
    const node24 = ensureNode24();
    const tested = await runNode([bin, 'test', '--json'], { cwd: app, execPath: node24 }).done;
    expect(tested.code, tested.stderr).toBe(0);
    const tests = (JSON.parse(tested.stdout) as { tests: Array<{ name: string; passed: boolean }> }).tests;
    expect(tests.map((t) => [t.name, t.passed])).toEqual([['ts points', true], ['js rows', true]]);
    const benched = await runNode([bin, 'benchmark', 'ingest.bench.mjs', '--iterations', '2', '--points', '2000', '--out', join(dir, 'bench'), '--json'], { cwd: app }).done;
    expect(benched.code, benched.stderr).toBe(0);
    const report = JSON.parse(readFileSync((JSON.parse(benched.stdout) as { files: { json: string } }).files.json, 'utf8')) as { config: { workload: string }; phases: Array<{ name: string }>; iterations: Array<{ pointsProcessed: number }> };
    expect(report.config.workload).toBe('ingest');
    expect(report.phases.map((p) => p.name)).toEqual(['split']);
    expect(report.iterations.map((i) => i.pointsProcessed)).toEqual([2000, 2000]);
  });
});
