import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/child.js';

// An installed `memscope stress` must have the profiles and jobs the k6 scripts bundle, and everything the runner
// imports at run time.
describe('memscope stress in the published package', () => {
  it('ships the shared profile and job definitions and the runner in dist/', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
    const files = new Set(packed[0]!.files.map((f) => f.path));
    for (const file of ['dist/stress/load-profiles.js', 'dist/stress/onboarding-jobs.js', 'dist/stress/runner/run-stress.js', 'dist/cli/commands/stress.js']) expect(files).toContain(file);
  });

  it('declares every package the runner imports as a dependency, not a devDependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const dir = join(ROOT, 'src', 'stress', 'runner');
    const imported = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)';/gm)) {
        if (!m[1]!.startsWith('node:')) imported.add(m[1]!);
      }
    }
    expect([...imported]).toEqual(['undici']);
    for (const name of imported) expect(pkg.dependencies).toHaveProperty(name);
  });
});
