// A Docker engine for the compose stack test: the machine's own when one answers, otherwise a private dockerd that
// this module starts, and stops without a trace (its process, its containerd and shims, its mounts, its bridges, its
// directories).
//
//   npx tsx scripts/docker/engine.ts start     # prints DOCKER_HOST=unix:///tmp/memscope-docker-XXXX/docker.sock
//   npx tsx scripts/docker/engine.ts stop DIR  # stops the engine started in DIR and removes what it left
//   npx tsx scripts/docker/engine.ts sweep     # stops engines whose starting process died (a killed test run)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DockerEngine {
  /** What DOCKER_HOST must be for `docker` and `docker-compose` to talk to this engine. */
  host: string;
  /** `own`: a dockerd started here, for this run only; `existing`: the machine's engine, used as it is. */
  kind: 'own' | 'existing';
  /** The directory holding an own engine's data, exec root, socket and log; undefined for an existing engine. */
  dir?: string;
  /** The environment that points `docker` and `docker-compose` at this engine. */
  env: NodeJS.ProcessEnv;
  /** An own engine: stops it and removes everything it left. An existing engine: does nothing. Never throws. */
  stop(): Promise<void>;
}

/** Every directory of an own engine starts with this, so a later run can find one whose owner died. */
const DIR_PREFIX = 'memscope-docker-';
const DEFAULT_SOCKET = '/var/run/docker.sock';
const MANUAL_OWNER = 'manual';

/** Answers within 20 s or not at all: a socket left by a dead daemon must not hang the test. */
export function dockerAnswers(env: NodeJS.ProcessEnv): boolean {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { env, encoding: 'utf8', timeout: 20_000 });
  return info.status === 0 && info.stdout.trim() !== '';
}

/**
 * The engine the machine already runs, if any: DOCKER_HOST when it is set (and then it must answer: a user who
 * pointed it somewhere meant it), else /var/run/docker.sock when it answers `docker info`.
 */
export function findExistingEngine(env: NodeJS.ProcessEnv = process.env): DockerEngine | undefined {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') {
    if (!dockerAnswers(env)) throw new Error(`DOCKER_HOST=${host} is set but \`docker info\` gets no answer from it`);
    return existing(host, env);
  }
  if (!existsSync(DEFAULT_SOCKET)) return undefined;
  const withSocket = { ...env, DOCKER_HOST: `unix://${DEFAULT_SOCKET}` };
  return dockerAnswers(withSocket) ? existing(withSocket.DOCKER_HOST, withSocket) : undefined;
}

function existing(host: string, env: NodeJS.ProcessEnv): DockerEngine {
  return { host, kind: 'existing', env, stop: () => Promise.resolve() };
}

export interface OwnEngineOptions {
  /** Where the engine's directory is made. @default os.tmpdir() */
  parent?: string;
  /** How long to wait for the daemon to answer. @default 60_000 */
  startTimeoutMs?: number;
  /** Says what stopping takes, step by step. @default nothing */
  log?: (line: string) => void;
}

/**
 * Starts a private dockerd as root: its own --data-root, --exec-root, --pidfile and socket, so it shares nothing
 * with any other engine. --iptables=false and --ip6tables=false: it must not rewrite the machine's firewall (and
 * cannot NAT, so builds that download use the host network). --bridge=none: no docker0 on the host; compose makes
 * its own br-* network for the stack, which stop() removes with the rest.
 */
export async function startOwnEngine(options: OwnEngineOptions = {}): Promise<DockerEngine> {
  if (process.getuid?.() !== 0) throw new Error('starting a Docker engine needs root (or run a Docker engine and set DOCKER_HOST)');
  for (const command of ['dockerd', 'docker']) {
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
      throw new Error(`${command} is not installed: apt-get install -y --no-install-recommends docker.io (npm test does this itself)`);
    }
  }
  await sweepOrphanedEngines(options.parent);
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const socket = join(dir, 'docker.sock');
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const daemon = spawn('dockerd', [
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    `--host=unix://${socket}`,
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    // Its own containerd too (dockerd starts one under --exec-root when given none), not the machine's.
  ], { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  // The engine must not keep the test process alive if stop() is never reached; sweep cleans up after such a run.
  daemon.unref();
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const engine: DockerEngine = { host: env.DOCKER_HOST, kind: 'own', dir, env, stop: () => stopOwnEngine(dir, options.log) };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(existsSync(socket) && dockerAnswers(env))) {
    if (daemon.exitCode !== null || Date.now() > deadline) {
      const tail = readFileSync(join(dir, 'dockerd.log'), 'utf8').slice(-4000);
      await engine.stop();
      throw new Error(`dockerd did not start (${daemon.exitCode === null ? 'no answer' : `exit ${daemon.exitCode}`}):\n${tail}`);
    }
    await sleep(250);
  }
  return engine;
}

/** The programs an engine runs: dockerd, the containerd it starts, and the shims (and runc) of its containers. */
const ENGINE_PROGRAMS = /^(dockerd|containerd|containerd-shim(-runc-v[12])?|runc)$/;

/**
 * Pids of the engine programs whose arguments mention `path` (its data root, exec root or socket). Only those: a
 * command that merely names the directory (`engine.ts stop DIR`, a shell) is never touched.
 */
export function processesUsing(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const [program = '', ...args] = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (ENGINE_PROGRAMS.test(program.split('/').at(-1) ?? '') && args.some((arg) => arg.includes(path))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Mount points under `path`, deepest first (/proc/self/mountinfo field 5, octal escapes decoded). */
export function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((mount) => mount === path || mount.startsWith(`${path}/`))
    .sort((a, b) => b.length - a.length);
}

/** br-<first 12 hex of the network id>: the host bridge of each bridge network the engine made. */
function bridgesOf(env: NodeJS.ProcessEnv): string[] {
  const ls = spawnSync('docker', ['network', 'ls', '--no-trunc', '--filter', 'driver=bridge', '--format', '{{.ID}}'], { env, encoding: 'utf8', timeout: 20_000 });
  return ls.status === 0 ? ls.stdout.split('\n').filter((id) => id !== '').map((id) => `br-${id.slice(0, 12)}`) : [];
}

/**
 * Stops the engine of `dir` and removes everything it left: SIGTERM to dockerd (which stops its containers and its
 * containerd), SIGKILL to whatever of it still runs after 30 s, then its bridges, its mounts and the directory.
 * Each step is tried whatever the previous one did, and nothing here throws: it runs after failed tests.
 */
export async function stopOwnEngine(dir: string, log: (line: string) => void = () => undefined): Promise<void> {
  const t0 = Date.now();
  const step = (what: string): void => { log(`engine stop: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`); };
  const socket = join(dir, 'docker.sock');
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const bridges = existsSync(socket) ? bridgesOf(env) : [];
  const pidText = existsSync(join(dir, 'dockerd.pid')) ? readFileSync(join(dir, 'dockerd.pid'), 'utf8').trim() : '';
  const daemon = /^\d+$/.test(pidText) ? Number(pidText) : undefined;
  if (daemon !== undefined && alive(daemon)) {
    process.kill(daemon, 'SIGTERM');
    for (let waited = 0; alive(daemon) && waited < 30_000; waited += 250) await sleep(250);
  }
  step('dockerd gone');
  for (const pid of processesUsing(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  for (let waited = 0; processesUsing(dir).length > 0 && waited < 10_000; waited += 250) await sleep(250);
  for (const bridge of bridges) spawnSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
  for (const mount of mountsUnder(dir)) spawnSync('umount', ['--lazy', mount], { stdio: 'ignore' });
  step('processes, bridges and mounts gone');
  // rm(1), not fs.rmSync: a data root holds hundreds of thousands of files (node_modules in image layers), which
  // rm removes in seconds and rmSync in minutes. --one-file-system: never through a mount that failed to go.
  spawnSync('rm', ['-rf', '--one-file-system', dir], { stdio: 'ignore' });
  step('directory removed');
}

/** Stops the engines of earlier runs whose owning process is gone (a test run killed before its clean-up ran). */
export async function sweepOrphanedEngines(parent = tmpdir()): Promise<void> {
  const orphans = readdirSync(parent)
    .filter((name) => name.startsWith(DIR_PREFIX))
    .map((name) => join(parent, name))
    .filter((dir) => {
      const owner = existsSync(join(dir, 'owner.pid')) ? readFileSync(join(dir, 'owner.pid'), 'utf8').trim() : '';
      // `manual`: started from the command line, stopped from it too.
      return owner !== MANUAL_OWNER && !(/^\d+$/.test(owner) && alive(Number(owner)));
    });
  await Promise.all(orphans.map((dir) => stopOwnEngine(dir)));
}

/** The machine's engine when one answers, else a private one. */
export async function acquireEngine(options: OwnEngineOptions = {}): Promise<DockerEngine> {
  return findExistingEngine() ?? startOwnEngine(options);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const engine = await startOwnEngine();
    // This command exits at once: the engine belongs to whoever runs `stop`, and a sweep must not reap it.
    writeFileSync(join(engine.dir ?? '', 'owner.pid'), MANUAL_OWNER);
    console.log(`DOCKER_HOST=${engine.host}`);
  } else if (command === 'stop' && dir !== undefined) {
    await stopOwnEngine(dir);
  } else if (command === 'sweep') {
    await sweepOrphanedEngines();
  } else {
    console.error('usage: tsx scripts/docker/engine.ts start | stop DIR | sweep');
    process.exitCode = 2;
  }
}
