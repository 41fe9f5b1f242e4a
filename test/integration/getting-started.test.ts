import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packTarball } from '../helpers/pack.js';
import { ROOT, runNode } from '../helpers/child.js';

// docs/getting-started.md followed as a newcomer would, against the packed package in a fresh directory: its
// JavaScript files are taken from the page verbatim, its shell commands are the ones below (the test runs each, with
// `npm install memscope` installing the packed tarball and the ports chosen free instead of 3000 and 9464).
const DOC = join(ROOT, 'docs', 'getting-started.md');
const dir = mkdtempSync(join(tmpdir(), 'memscope-getting-started-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SHELL_COMMANDS = [
  'mkdir orders && cd orders && npm init -y && npm pkg set type=module',
  'npm install memscope',
  'node service.mjs &',
  'curl -s http://127.0.0.1:3000/',
  "curl -s http://127.0.0.1:9464/metrics | grep -E '^(process_memory_usage_bytes|memscope_leak_verdict)'",
  'npm install --save-dev vitest',
  'npx vitest run',
  'npx memscope run --html --out reports -- node service.mjs',
];

function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', npm_config_loglevel: 'error' } });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => { resolve(port); });
    });
  });
}

describe('docs/getting-started.md', () => {
  const markdown = readFileSync(DOC, 'utf8');

  it('shows exactly the shell commands this test runs', () => {
    const shown = blocks(markdown, 'sh').flatMap((b) => b.split('\n')).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    expect(shown).toEqual(SHELL_COMMANDS);
  });

  it('works as written: a service with memscope, its /metrics, a memory test that fails on the leak, a report', { timeout: 420_000 }, async () => {
    // 1. The project, as the page makes it; `npm install memscope` installs the packed tarball.
    sh('sh', ['-c', SHELL_COMMANDS[0]!], dir);
    const app = join(dir, 'orders');
    const tarball = basename(packTarball(dir));
    sh('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball)], app);
    const files = blocks(markdown, 'js').map((code) => ({ name: /^\/\/ (\S+)\n/.exec(code)?.[1], code }));
    expect(files.map((f) => f.name)).toEqual(['orders.mjs', 'service.mjs', 'orders.memory.test.mjs']);
    for (const { name, code } of files) writeFileSync(join(app, name!), code);

    // 2. The service and its metrics.
    const [port, metricsPort] = [await freePort(), await freePort()];
    const service = runNode(['service.mjs'], { cwd: app, env: { PORT: String(port), METRICS_PORT: String(metricsPort) } });
    await service.waitForLine(/orders on http/);
    const order = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { ok: boolean; orders: number };
    expect(order).toEqual({ ok: true, orders: 1 });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^process_memory_usage_bytes \d+/m);
    expect(metrics).toMatch(/^memscope_leak_verdict\{memscope_leak_status="inconclusive"\} 1$/m);
    service.child.kill('SIGTERM');
    expect((await service.done).code).toBe(0);

    // 3. The memory test fails, naming the leak.
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
    sh('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `vitest@${version}`], app);
    const tests = await runNode([join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: app, env: { NO_COLOR: '1', FORCE_COLOR: '0' } }).done;
    expect(tests.code, tests.stdout + tests.stderr).toBe(1);
    expect(tests.stdout + tests.stderr).toMatch(/expected the function not to leak, but: leak suspected in JS heap: \+/);

    // 4. The report: `memscope run --html` until Ctrl-C.
    const run = spawn(join(app, 'node_modules', '.bin', 'memscope'), ['run', '--html', '--out', 'reports', '--', process.execPath, 'service.mjs'], {
      cwd: app,
      env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), METRICS_PORT: String(metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => { resolve(code); }));
    for (let i = 0; i < 200 && !output.includes('orders on http'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('orders on http');
    for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${port}/`);
    run.kill('SIGINT');
    expect(await exited, output).toBe(130);
    const reports = join(app, 'reports');
    expect(existsSync(reports)).toBe(true);
    const html = readdirSync(reports).filter((f) => f.endsWith('.html'));
    expect(html.length, output).toBeGreaterThan(0);
    expect(readFileSync(join(reports, html[0]!), 'utf8')).toMatch(/<html/i);
    expect(output).toContain(html[0]!);
  });

  it("runs README.md's \"Add memscope to a service\" program as written: jobs parsed and classified, phases on /metrics", { timeout: 60_000 }, async () => {
    const app = join(dir, 'orders'); // installed by the test above, memscope's express with it
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const program = blocks(readme, 'js').find((code) => code.startsWith('// server.mjs'));
    expect(program, 'the README block').toBeDefined();
    writeFileSync(join(app, 'server.mjs'), program!);
    const port = await freePort();
    const server = runNode(['server.mjs'], { cwd: app, env: { PORT: String(port) } });
    await server.waitForLine(/listening on \d+/);
    const response = await fetch(`http://127.0.0.1:${port}/api/onboarding/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ points: ['SITE1.AHU-01.SA-T', 'SITE1.AHU-01.RA-T', 'SITE1.VAV-101.ZN-T'] }),
    });
    expect(await response.json()).toEqual({ count: 3, equipment: ['AHU-01', 'VAV-101'] });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const phase of ['onboarding', 'parse', 'classify']) {
      expect(metrics).toMatch(new RegExp(`^memscope_phase_duration_seconds_count\\{memscope_phase_name="${phase}"\\} 1$`, 'm'));
    }
    server.child.kill('SIGTERM');
    expect((await server.done).code).toBe(0);
  });
});
