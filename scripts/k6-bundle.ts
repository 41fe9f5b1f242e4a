/**
 * The k6 scenarios (load-tests/<profile>.ts) bundled into one JavaScript file each, with esbuild: their lib/ and
 * the load profiles of src/stress/ inlined, k6's own modules (`k6`, `k6/http`, ...) left to k6. k6 before 0.52
 * cannot run TypeScript, and no k6 can resolve the `.ts` imports across directories that the scripts use, so this
 * is what k6 runs in the tests (test/deploy/k6-run.test.ts), in `npm run build:k6` and in the Kubernetes ConfigMap.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_PROFILE_NAMES, type LoadProfileName } from '../src/stress/load-profiles.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The syntax level of the bundles. k6 v0.48's JavaScript runtime (goja) rejects object spread and other ES2018+
 * syntax; esbuild rewrites it. ES2017 runs on every k6 since v0.31.
 */
export const K6_BUNDLE_TARGET = 'es2017';

/**
 * CommonJS (`require('k6/http')`, `exports.options`), which every k6 runs as it is. k6 before v0.52 sends ES module
 * syntax through Babel first: about 2 s of CPU for each `k6 run` and `k6 inspect` of these scripts, against 0.03 s.
 */
export const K6_BUNDLE_FORMAT = 'cjs';

export interface K6Bundle {
  profile: LoadProfileName;
  /** `smoke.js`. */
  file: string;
  text: string;
}

export interface BundleOptions {
  /** A directory holding load-tests/ and src/stress/. @default this repository */
  root?: string;
  /** @default every profile */
  profiles?: readonly LoadProfileName[];
}

/** Bundles are deterministic: the same sources give the same bytes (the Kubernetes --check relies on it). */
export function bundleK6Scenarios(options: BundleOptions = {}): K6Bundle[] {
  const root = options.root ?? REPO_ROOT;
  return (options.profiles ?? LOAD_PROFILE_NAMES).map((profile) => {
    const entry = `load-tests/${profile}.ts`;
    const result = buildSync({
      absWorkingDir: root,
      entryPoints: [join(root, entry)],
      bundle: true,
      write: false,
      format: K6_BUNDLE_FORMAT,
      platform: 'neutral',
      target: K6_BUNDLE_TARGET,
      external: ['k6', 'k6/*'],
      charset: 'utf8',
      logLevel: 'silent',
      banner: { js: `// generated from ${entry} by scripts/k6-bundle.ts (npm run build:k6) — do not edit` },
    });
    const [output] = result.outputFiles;
    if (output === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
    return { profile, file: `${profile}.js`, text: output.text };
  });
}
