import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIGURES_MARKER, INSTALLS, measureInstall, type InstallFigures } from '../../bench/install-size/measure.js';
import { packTarball } from '../helpers/pack.js';
import { ROOT, runNode } from '../helpers/child.js';

// What `npm install memscope` brings in, against prom-client, measured in the same run as docs/install-size.md was
// (bench/install-size): the page stays true. And an install without optional dependencies, which has no native code:
// the CLI still works, a PNG asked for says what is missing, and pictures beside reports fall back to SVG.

const dir = mkdtempSync(join(tmpdir(), 'memscope-install-size-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('npm install memscope', () => {
  const measured = new Map<string, InstallFigures>();

  it('brings in what docs/install-size.md says, beside prom-client measured in the same test', { timeout: 300_000 }, () => {
    const tarball = packTarball(dir);
    for (const install of INSTALLS) measured.set(install.label, measureInstall(dir, install.label, 'spec' in install ? install.spec : tarball, install.extra));
    const documented = JSON.parse(FIGURES_MARKER.exec(readFileSync(join(ROOT, 'docs', 'install-size.md'), 'utf8'))?.[1] ?? '{}') as Record<string, { packages: number; bytes: number }>;
    for (const install of INSTALLS) {
      const m = measured.get(install.label);
      const d = documented[install.label];
      expect(d, `docs/install-size.md has no figures for ${install.label}: run npm run bench:install`).toBeDefined();
      expect(Math.abs((m?.packages ?? 0) - (d?.packages ?? 0)) / (d?.packages ?? 1), `${install.label}: ${m?.packages} packages, the page says ${d?.packages}`).toBeLessThanOrEqual(0.1);
      expect(Math.abs((m?.bytes ?? 0) - (d?.bytes ?? 0)) / (d?.bytes ?? 1), `${install.label}: ${m?.bytes} bytes, the page says ${d?.bytes}`).toBeLessThanOrEqual(0.25);
    }
    // The only native code is resvg's, and --omit=optional leaves it out.
    expect(measured.get('memscope')?.native).toEqual([expect.stringMatching(/^@resvg\/resvg-js-/)]);
    expect(measured.get('memscope --omit=optional')?.native).toEqual([]);
  });

  it('without optional dependencies: the CLI runs, a PNG names what is missing (exit 16), pictures beside reports are SVG', { timeout: 120_000 }, async () => {
    const project = join(dir, 'memscope---omit-optional');
    const cli = join(project, 'node_modules', 'memscope', 'dist', 'cli', 'main.js');
    const bench = await runNode([cli, 'benchmark', '--iterations', '1', '--points', '200', '--out', 'r', '--plot', '--html', '--json'], { cwd: project }).done;
    expect(bench.code, bench.stderr).toBe(0);
    const files = (JSON.parse(bench.stdout) as { files: Record<string, string> }).files;
    expect(files.plot).toMatch(/\.svg$/);
    expect(readFileSync(join(project, files.plot ?? ''), 'utf8')).toMatch(/^<svg /);
    expect(bench.stderr).toMatch(/^memscope: wrote r\/benchmark-.*\.svg instead of r\/benchmark-.*\.png: PNG pictures need resvg's native binding for linux-x64/m);
    const png = await runNode([cli, 'plot', files.json ?? '', '--out', 'm.png'], { cwd: project }).done;
    expect(png.code).toBe(16);
    expect(png.stderr).toMatch(/^memscope: MEMSCOPE_E_PNG_UNAVAILABLE: PNG pictures need resvg's native binding for linux-x64, which this install lacks \(.*\): install memscope without --omit=optional, or ask for SVG/);
    expect(readdirSync(project)).not.toContain('m.png');
    const svg = await runNode([cli, 'plot', files.json ?? '', '--out', 'm.svg'], { cwd: project }).done;
    expect(svg.code, svg.stderr).toBe(0);
  });
});
