// The inputs of the local image stand-ins (scripts/docker/standins.ts), cached under ~/.cache/memscope/docker so only
// the first run downloads them: a minimal Debian root as a tarball, and npm registry tarballs (Node, npm).
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'memscope', 'docker');
}

export function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { maxBuffer: 64 * 2 ** 20, ...options, encoding: 'utf8' });
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.slice(-4000);
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return result.stdout;
}

/** Runs `make(tmp)` and moves tmp to `path` only when it succeeded: a cache never holds half a file. */
function cached(path: string, make: (tmp: string) => void): string {
  if (existsSync(path)) return path;
  mkdirSync(cacheDir(), { recursive: true });
  const tmp = `${path}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    make(tmp);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return path;
}

/** `npm pack name@version` into the cache (the registry's own tarball, checked by npm against its integrity). */
export function npmTarball(name: string, version: string): string {
  const file = `${name}-${version}.tgz`;
  return cached(join(cacheDir(), file), (tmp) => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-npm-pack-'));
    try {
      run('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent']);
      copyFileSync(join(dir, file), tmp);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * A minimal Debian root as a tarball: debootstrap --variant=minbase (apt, dpkg, coreutils, passwd...) plus wget,
 * then without apt's caches, documentation and locales, as the official slim images are.
 */
export function debianRoot(suite: string, mirror: string): string {
  return cached(join(cacheDir(), `debian-${suite}-minbase.tar`), (tmp) => {
    const root = mkdtempSync(join(tmpdir(), 'memscope-debootstrap-'));
    try {
      run('debootstrap', ['--variant=minbase', '--include=wget', suite, root, mirror]);
      for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info']) {
        rmSync(join(root, dir), { recursive: true, force: true });
        mkdirSync(join(root, dir), { recursive: true });
      }
      run('tar', ['--numeric-owner', '-C', root, '-cf', tmp, '.']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
