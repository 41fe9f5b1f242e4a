import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fresh install: what `npm install` brought in, and how long it took. */
export interface InstallFigures {
  /** What was installed, as the command line says it. */
  label: string;
  /** Packages under node_modules (every level), the installed one included. */
  packages: number;
  /** Bytes of node_modules on disk (file sizes, not blocks). */
  bytes: number;
  seconds: number;
  /** Packages with a native (.node) binary. */
  native: string[];
  /** Bytes per top-level entry of node_modules (a scope such as `@opentelemetry` counts as one). */
  scopes: Record<string, number>;
}

/**
 * Installs `spec` into a fresh directory under `dir` (`npm install --no-audit --no-fund [extra…] spec`) and measures the
 * result by walking node_modules: a package is a directory holding a package.json directly under a node_modules.
 */
export function measureInstall(dir: string, label: string, spec: string, extra: readonly string[] = []): InstallFigures {
  const project = join(dir, label.replace(/[^\w.-]+/g, '-'));
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'install-size-probe', private: true }));
  const t0 = performance.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extra, spec], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const seconds = (performance.now() - t0) / 1000;
  let packages = 0;
  let bytes = 0;
  const native = new Set<string>();
  const scopes: Record<string, number> = {};
  const top = join(project, 'node_modules');
  const walk = (path: string, pkg: string | undefined): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        // A package: a directory right under node_modules (or under a scope there), named without a leading '.' or '@'.
        const scope = /\/node_modules\/(@[^/]+)$/.exec(path)?.[1];
        const isPackage = (path.endsWith('/node_modules') || scope !== undefined) && !/^[.@]/.test(entry.name);
        if (isPackage) packages++;
        walk(child, isPackage ? (scope === undefined ? entry.name : `${scope}/${entry.name}`) : pkg);
      } else {
        const size = lstatSync(child).size;
        bytes += size;
        const first = child.slice(top.length + 1).split('/')[0] ?? '';
        scopes[first] = (scopes[first] ?? 0) + size;
        if (entry.name.endsWith('.node') && pkg !== undefined) native.add(pkg);
      }
    }
  };
  walk(top, undefined);
  return { label, packages, bytes, seconds, native: [...native].sort(), scopes };
}

/** The installs docs/install-size.md reports, measured in one run so they share the registry's state and the machine. */
export const INSTALLS = [
  { label: 'memscope', command: 'npm install memscope', extra: [] },
  { label: 'memscope --omit=optional', command: 'npm install --omit=optional memscope', extra: ['--omit=optional'] },
  { label: 'prom-client', command: 'npm install prom-client', spec: 'prom-client', extra: [] },
  { label: 'express', command: 'npm install express@5 (alone: the example service\'s framework)', spec: 'express@5', extra: [] },
] as const;

/** The figures a docs page carries in a comment, for the test that keeps it true. */
export const FIGURES_MARKER = /<!-- install-size: (\{.*\}) -->/;
