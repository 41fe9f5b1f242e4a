import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tests that spawn programs (the CLI, child processes, the packed tarball) run the built dist/, as users do. Build it
 * when any source file is newer than the build, so `npx vitest` alone works too; `npm test` has built already.
 */
export default function setup(): void {
  // An escape hatch for working on one area while another does not compile; npm test never sets it.
  if (process.env.MEMSCOPE_SKIP_BUILD === '1') return;
  const root = new URL('..', import.meta.url).pathname;
  const stamp = join(root, 'dist', 'index.js');
  if (existsSync(stamp) && newest(join(root, 'src')) <= statSync(stamp).mtimeMs) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
