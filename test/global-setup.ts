import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildIsStale } from '../scripts/setup.mjs';

/**
 * Tests that spawn programs (the CLI, child processes, the packed tarball) run the built dist/, as users do. Build it
 * when any source file is newer than the build, so `npx vitest` alone works too; `npm test` has built already.
 */
export default function setup(): void {
  // An escape hatch for working on one area while another does not compile; npm test never sets it.
  if (process.env.MEMSCOPE_SKIP_BUILD === '1') return;
  if (!buildIsStale()) return;
  const root = new URL('..', import.meta.url).pathname;
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}
