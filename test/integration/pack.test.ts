import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packTarball } from '../helpers/pack.js';
import { brokenLinks, markdownUnder } from '../helpers/markdown-links.js';

// What users get from the registry: `npm pack`, installed into a throwaway project, imported by the public name.
const dir = mkdtempSync(join(tmpdir(), 'memscope-pack-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

describe('npm pack', () => {
  it('installs into a fresh project whose code imports the SDK and runs the CLI', { timeout: 180_000 }, () => {
    const tarball = basename(packTarball(dir));
    expect(tarball).toMatch(/^memscope-\d+\.\d+\.\d+\.tgz$/);
    const files = sh('tar', ['-tzf', join(dir, tarball)], dir).split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/cli/main.js');
    expect(files).toContain('package/assets/fonts/DejaVuSans.ttf');
    expect(files.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
    // What the shipped docs point at ships too: the dashboards, the rules, Alertmanager's and Grafana's provisioning,
    // the Kubernetes manifests, the licence.
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/dashboards/memscope-memory-overview.json');
    expect(files.some((f) => /^package\/deploy\/prometheus\/rules\/.+\.ya?ml$/.test(f))).toBe(true);
    const unpacked = join(dir, 'unpacked');
    sh('mkdir', ['-p', unpacked], dir);
    sh('tar', ['-xzf', join(dir, tarball), '-C', unpacked], dir);
    const docs = [join(unpacked, 'package', 'README.md'), ...markdownUnder(join(unpacked, 'package', 'docs'))];
    expect(docs.flatMap((file) => brokenLinks(file).map((b) => `${file.slice(unpacked.length + 1)}: ${b}`))).toEqual([]);

    const app = join(dir, 'app');
    sh('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // An application that already runs a newer patch of the OpenTelemetry SDK: memscope's ranges must let npm keep
    // one copy of it (exact pins used to put a second @opentelemetry/sdk-metrics beside the application's).
    sh('npm', ['install', '--no-audit', '--no-fund', '@opentelemetry/sdk-metrics@2.12.1', '@opentelemetry/resources@2.12.1'], app);
    sh('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball)], app);
    for (const name of ['@opentelemetry/sdk-metrics', '@opentelemetry/resources']) {
      const copies = sh('npm', ['ls', name, '--all', '--parseable'], app).split('\n').filter((l) => l.trim() !== '');
      expect(new Set(copies).size, `${name}: ${copies.join(', ')}`).toBe(1);
    }
    // The OTLP exporters are optional peers: not installed, and asked for, a clear refusal at start.
    expect(sh('npm', ['ls', '--all', '--parseable'], app)).not.toMatch(/exporter-metrics-otlp/);
    writeFileSync(
      join(app, 'main.mjs'),
      `import { MemoryProfiler, startMemscope, MEMSCOPE_VERSION } from 'memscope';
const profiler = new MemoryProfiler({ sampleIntervalMs: 50 }).start();
await profiler.phase('work', async () => new Promise((r) => setTimeout(r, 20)));
const stats = profiler.getPhaseStats();
profiler.stop();
const m = await startMemscope({ server: { port: 0 } });
const body = await (await fetch(m.server.url + '/metrics')).text();
await m.shutdown();
const otlp = await startMemscope({ otlp: true, shutdownSignals: [] }).then(() => 'started', (e) => e.code + ': ' + e.message);
console.log(JSON.stringify({ version: MEMSCOPE_VERSION, phases: stats.map((s) => s.name), rss: /^process_memory_usage_bytes \\d+/m.test(body), otlp }));
`,
    );
    const out = JSON.parse(sh(process.execPath, ['main.mjs'], app)) as { version: string; phases: string[]; rss: boolean; otlp: string };
    expect(out.otlp).toMatch(/^MEMSCOPE_E_INVALID_OPTION: otlp: pushing OTLP needs @opentelemetry\/exporter-metrics-otlp-proto, an optional peer dependency of memscope: npm install /);
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out).toMatchObject({ phases: ['work'], rss: true });
    expect(sh(join(app, 'node_modules', '.bin', 'memscope'), ['--help'], app)).toMatch(/Usage: memscope/);
  });
});
