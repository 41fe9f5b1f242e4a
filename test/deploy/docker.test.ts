import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child.js';
import { COMPOSE } from './compose-file.js';

const DOCKERFILE = readFileSync(join(ROOT, 'deploy/docker/bms.Dockerfile'), 'utf8');
const IGNORE = readFileSync(join(ROOT, 'deploy/docker/bms.Dockerfile.dockerignore'), 'utf8');
/** The context's own .dockerignore: the only one the legacy builder (docker-compose 1.x) reads. */
const ROOT_IGNORE = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const patterns = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** Whether a top-level path is sent with the context: the last pattern that matches it decides (Docker's rule). */
function sent(ignore: string, path: string): boolean {
  let included = true;
  for (const pattern of patterns(ignore)) {
    const negated = pattern.startsWith('!');
    const glob = (negated ? pattern.slice(1) : pattern).replace(/\/$/, '');
    const regex = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    if (regex.test(path)) included = negated;
  }
  return included;
}

/** Instructions with their arguments, line continuations joined, comments dropped. */
const instructions = DOCKERFILE.replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [keyword = '', ...rest] = l.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const all = (keyword: string): string[] => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const finalStage = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));

/** Runs a healthcheck's `node -e` script with 127.0.0.1:<port> pointed at `port`; resolves with its exit code. */
function runHealthcheck(command: string[], fromPort: number, toPort: number): Promise<number | null> {
  const [node, flag, script = ''] = command.filter((c) => c !== 'CMD');
  expect([node, flag]).toEqual(['node', '-e']);
  const child = spawn(process.execPath, ['-e', script.replace(`127.0.0.1:${fromPort}`, `127.0.0.1:${toPort}`)], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', resolve));
}

let server: Server | undefined;
async function stopServer(): Promise<void> {
  const running = server;
  server = undefined;
  if (running !== undefined) await new Promise<void>((resolve) => running.close(() => { resolve(); }));
}
afterEach(stopServer);
async function serve(status: number): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const created = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(status).end();
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return { port: (created.address() as AddressInfo).port, paths };
}

describe('deploy/docker/bms.Dockerfile', () => {
  it('builds the package with npm ci and npm run build, from the pinned Node image compose also uses', () => {
    const image = /^NODE_IMAGE=(\S+)$/.exec(all('ARG')[0] ?? '')?.[1];
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    expect(COMPOSE.services['alert-webhook']?.image).toBe(image);
    expect(all('FROM')).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE}']);
    expect(all('RUN').join(' && ')).toMatch(/npm ci .*npm run build/);
  });

  it('runs `memscope serve` on 0.0.0.0:3000 as the unprivileged node user', () => {
    expect(finalStage.filter((i) => i.keyword === 'USER').map((i) => i.args)).toEqual(['node']);
    expect(JSON.parse(all('CMD').at(-1) ?? '[]')).toEqual(['node', 'dist/cli/main.js', 'serve', '--host', '0.0.0.0', '--port', '3000']);
    expect(all('EXPOSE')).toEqual(['3000']);
  });

  it('copies only what the .dockerignore lets into the context, all of which exists', () => {
    const allowed = IGNORE.split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    expect(IGNORE.split('\n')).toContain('*');
    const sources = all('COPY').filter((a) => !a.startsWith('--from')).flatMap((a) => a.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(allowed, source).toContain(source);
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });

  it('has no `# syntax=` line, which makes BuildKit pull a frontend image from Docker Hub', () => {
    expect(DOCKERFILE).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('sends the same context with the legacy builder (root .dockerignore) as with BuildKit, without node_modules', () => {
    expect(patterns(ROOT_IGNORE)).toEqual(patterns(IGNORE));
    for (const ignore of [IGNORE, ROOT_IGNORE]) {
      for (const path of ['node_modules', 'dist', 'reports', '.git', 'test', 'coverage']) expect(sent(ignore, path), path).toBe(false);
      expect(sent(ignore, 'src')).toBe(true);
    }
  });

  it('has a healthcheck that passes when /healthz answers 200 and fails otherwise, with Node\'s own fetch', async () => {
    const healthcheck = /^.*?CMD (\[.*\])$/.exec(all('HEALTHCHECK')[0] ?? '')?.[1];
    const command = JSON.parse(healthcheck ?? '[]') as string[];
    expect(command).toEqual(COMPOSE.services.bms?.healthcheck?.test.filter((c) => c !== 'CMD'));
    const up = await serve(200);
    expect(await runHealthcheck(command, 3000, up.port)).toBe(0);
    expect(up.paths).toEqual(['/healthz']);
    await stopServer();
    const down = await serve(503);
    expect(await runHealthcheck(command, 3000, down.port)).toBe(1);
    await stopServer();
    expect(await runHealthcheck(command, 3000, down.port)).toBe(1); // nothing listening
  });
});

describe('compose healthchecks of Node services', () => {
  it('pass on 200 and fail otherwise (the alert webhook\'s)', async () => {
    const command = COMPOSE.services['alert-webhook']?.healthcheck?.test ?? [];
    const up = await serve(200);
    expect(await runHealthcheck(command, 8080, up.port)).toBe(0);
    expect(up.paths).toEqual(['/healthz']);
  });
});
