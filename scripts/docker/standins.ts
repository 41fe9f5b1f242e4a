// Local stand-ins for the public images compose.yaml uses, for an engine that cannot pull: each is built from what
// this machine can get (Debian's packages, the npm registry, the k6 binary in ../shared/tools) and tagged with the
// exact name compose.yaml uses (recipes: standin-recipes.ts).
//
// Their inputs are cached under ~/.cache/memscope/docker (standin-inputs.ts). Every image is based on one minimal
// Debian root (debootstrap --variant=minbase, then `docker import`): glibc for Debian's dynamically linked
// Prometheus, wget for the healthchecks, useradd for the users.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, debianRoot, run } from './standin-inputs.js';
import { recipeFor } from './standin-recipes.js';

export interface StandinOptions {
  /** Points `docker` at the engine that gets the images. */
  env: NodeJS.ProcessEnv;
  /** The k6 binary (k6 0.48 here: it runs bundled JavaScript only). @default <repo>/../shared/tools/k6 */
  k6Binary?: string;
  /** Debian mirror for debootstrap. @default MEMSCOPE_DEBIAN_MIRROR or http://deb.debian.org/debian */
  debianMirror?: string;
  /** Progress lines. @default console.log */
  log?: (line: string) => void;
}

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
/** The base of every stand-in; never used by compose.yaml itself. */
export const BASE_REPOSITORY = 'memscope-standin/debian';

/** The Debian suite an image list implies: the node image's (node:24.21.0-bookworm-slim), else bookworm. */
function suiteOf(images: readonly string[]): string {
  for (const image of images) {
    const suite = /^node:[\d.]+-([a-z]+)(-slim)?$/.exec(image)?.[1];
    if (suite !== undefined) return suite;
  }
  return 'bookworm';
}

/**
 * Builds a stand-in for each of `images` (names as compose.yaml writes them) in the engine of `options.env`, plus
 * their Debian base. Returns every tag it created, the base's included, so a caller can remove them.
 */
export function buildStandins(images: readonly string[], options: StandinOptions): string[] {
  const log = options.log ?? ((line: string) => { console.log(line); });
  const suite = suiteOf(images);
  const base = `${BASE_REPOSITORY}:${suite}`;
  const created: string[] = [];
  log(`stand-in ${base}: debootstrap --variant=minbase ${suite} (cached in ${cacheDir()})`);
  const rootTar = debianRoot(suite, options.debianMirror ?? process.env.MEMSCOPE_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian');
  run('docker', ['import', '--change', 'CMD ["bash"]', rootTar, base], { env: options.env });
  created.push(base);
  for (const image of images) {
    const work = mkdtempSync(join(tmpdir(), 'memscope-standin-'));
    try {
      log(`stand-in ${image}`);
      const recipe = recipeFor(image, base, work, options.k6Binary ?? join(ROOT, '..', 'shared', 'tools', 'k6'));
      const context = join(work, 'context');
      mkdirSync(context);
      for (const [name, source] of Object.entries(recipe.files)) {
        const target = join(context, name);
        if (typeof source === 'string') writeFileSync(target, source);
        else if ('text' in source) writeFileSync(target, source.text, { mode: source.mode });
        else cpSync(source.copyFrom, target, { recursive: true });
        if (typeof source !== 'string' && source.mode !== undefined) chmodSync(target, source.mode);
      }
      writeFileSync(join(context, 'Dockerfile'), recipe.dockerfile);
      // The legacy builder (no BuildKit, whose frontend would be pulled); the host network, though nothing here
      // downloads: an engine without NAT has no other way out.
      run('docker', ['build', '--network', 'host', '--quiet', '--tag', image, context], { env: { ...options.env, DOCKER_BUILDKIT: '0' } });
      created.push(image);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return created;
}
