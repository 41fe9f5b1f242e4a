import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './child.js';

/**
 * Packs the repository as `npm publish` would and returns the tarball's path. `--ignore-scripts`: the global set-up has
 * just built dist/, and `prepack` (tsc) would rewrite it while other test files run programs from it in parallel — a
 * module read half-written fails with "does not provide an export named …".
 */
export function packTarball(destination: string): string {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const name = out.trim().split('\n').at(-1) ?? '';
  if (!name.endsWith('.tgz')) throw new Error(`npm pack printed no tarball name: ${out}`);
  return join(destination, name);
}
