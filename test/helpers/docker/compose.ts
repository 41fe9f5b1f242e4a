import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from '../child.js';

export interface ComposeResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ComposeProject {
  /** The project name (`-p`): every container, volume and network of the run carries it as a label. */
  name: string;
  /** The command in use: `docker compose` (v2) or `docker-compose` (1.29). */
  command: readonly string[];
  /** Runs compose with this project's files and environment; never rejects. */
  run(args: string[], timeoutMs?: number): Promise<ComposeResult>;
  /** Like run(), but rejects with compose's output unless it exits 0; resolves with stdout. */
  must(args: string[], timeoutMs?: number): Promise<string>;
}

/** Compose v2 when the `docker` CLI has it, else Debian's docker-compose 1.29 (which compose.yaml also supports). */
export function composeCommand(env: NodeJS.ProcessEnv): string[] {
  const v2 = spawnSync('docker', ['compose', 'version'], { env, encoding: 'utf8', timeout: 20_000 });
  if (v2.status === 0) return ['docker', 'compose'];
  if (spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0) return ['docker-compose'];
  throw new Error('neither `docker compose` nor docker-compose is installed: apt-get install -y --no-install-recommends docker-compose');
}

/**
 * compose.yaml of the repository plus `overrideFile` (a second -f, merged by Compose), run as project `name` from
 * the repository root, with `env` (DOCKER_HOST and compose.yaml's variables).
 */
export function composeProject(name: string, overrideFile: string, env: NodeJS.ProcessEnv): ComposeProject {
  const command = composeCommand(env);
  const [program = 'docker', ...prefix] = command;
  const run = (args: string[], timeoutMs = 600_000): Promise<ComposeResult> =>
    runAsync(program, [...prefix, '-p', name, '-f', 'compose.yaml', '-f', overrideFile, ...args], env, timeoutMs);
  return {
    name,
    command,
    run,
    async must(args, timeoutMs) {
      const result = await run(args, timeoutMs);
      if (result.status !== 0) {
        throw new Error(`${command.join(' ')} ${args.join(' ')} exited ${result.status}:\n${(result.stdout + result.stderr).slice(-6000)}`);
      }
      return result.stdout;
    },
  };
}

/**
 * Runs a command without blocking the event loop (builds take minutes: the test runner's timeouts and output must
 * keep working meanwhile); SIGKILLs it after `timeoutMs`. Never rejects.
 */
export function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ComposeResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Only the tail is kept: a build's log is long, and what failed is at its end.
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(-1_000_000)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-1_000_000)));
    const timer = setTimeout(() => {
      stderr += `\n${command} killed after ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => (stderr += `\n${error.message}`));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `docker <args>` against the engine of `env`; throws with its output unless it exits 0. Returns stdout, trimmed. */
export function docker(env: NodeJS.ProcessEnv, args: string[], timeoutMs = 120_000): string {
  const result = spawnSync('docker', args, { env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/** Non-empty lines of a command's output. */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
