import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a k6 scenario (TypeScript, importing ./lib/*.ts) into one JavaScript file that k6 0.48 runs: k6 before
 * 0.52 cannot strip types, and its Babel cannot parse object spread, so the bundle is lowered to ES2017. k6's own
 * modules (`k6`, `k6/http`, ...) stay imports: k6 provides them. Returns the bundle's file name inside `outDir`.
 * (Until the project's `npm run build:k6` exists; this bundles whatever the scenario imports today.)
 */
export async function bundleK6Scenario(script: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const name = basename(script).replace(/\.ts$/, '.js');
  await build({
    entryPoints: [script],
    bundle: true,
    format: 'esm',
    target: 'es2017',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    outfile: join(outDir, name),
    logLevel: 'warning',
  });
  return name;
}
