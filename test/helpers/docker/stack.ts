import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { acquireEngine, type DockerEngine } from '../../../scripts/docker/engine.js';
import { buildStandins } from '../../../scripts/docker/standins.js';
import { RULE_DIRS } from '../../../src/monitoring/render-rules.js';
import { COMPOSE, COMPOSE_TEXT } from '../../deploy/compose-file.js';
import { ROOT } from '../child.js';
import { freePort } from '../ports.js';
import { composeProject, docker, lines, type ComposeProject, type ComposeResult } from './compose.js';
import { bundleK6Scenario } from './k6-bundle.js';

/** Runs everywhere but here: Grafana's image cannot be stood in for (no Debian package, no binary in a registry). */
export const NOT_STARTED = ['grafana'];
export const LOAD_SERVICE = 'k6';

export interface ContainerInfo {
  id: string;
  name: string;
  service: string;
  /** 1-based, as `compose port --index` counts. */
  index: number;
  state: string;
  health: string | undefined;
  ip: string;
  user: string;
  memoryLimitBytes: number;
}

export interface ComposeStack {
  engine: DockerEngine;
  compose: ComposeProject;
  /** The services `up` started (every one but Grafana and the profiled k6). */
  services: string[];
  replicas: number;
  /** The image compose builds for bms (compose.yaml's, or a name of this run's on a machine's own engine). */
  bmsImage: string;
  /** Stand-ins were built for these public images (all of them on an engine that cannot pull). */
  standins: string[];
  /** Image tags this run created (pulled, stood in for, built): teardown() removes them from the machine's engine. */
  createdTags: readonly string[];
  prometheusUrl: string;
  webhookUrl: string;
  k6: { testId: string; resultsDir: string; script: string };
  /** Seconds each step took, for the report. */
  timings: Record<string, number>;
  containers(service?: string): Promise<ContainerInfo[]>;
  /** `up` done: waits until every container of `services` (bms × replicas) is running and healthy. */
  waitHealthy(timeoutMs: number): Promise<ContainerInfo[]>;
  /** `compose down -v --remove-orphans`, once. */
  down(): Promise<ComposeResult>;
  /** Whatever happened: takes the stack down, removes this run's images, stops an own engine. */
  teardown(): Promise<void>;
}

/** Variables compose.yaml reads (`${NAME...}`): a user's own settings must not change what the test checks. */
const COMPOSE_VARIABLES = [...new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''))];

/** The image the Dockerfile builds FROM (its `ARG NODE_IMAGE=` default): it must exist before the build. */
function dockerfileBaseImages(): string[] {
  const build = COMPOSE.services.bms?.build;
  const text = readFileSync(join(ROOT, build?.context ?? '.', build?.dockerfile ?? 'Dockerfile'), 'utf8');
  return [...text.matchAll(/^ARG [A-Z_]*IMAGE=(\S+)$/gm)].map((m) => m[1] ?? '');
}

function imageExists(env: NodeJS.ProcessEnv, image: string): boolean {
  return spawnSync('docker', ['image', 'inspect', image], { env, stdio: 'ignore', timeout: 60_000 }).status === 0;
}

function inspect(env: NodeJS.ProcessEnv, ids: string[]): ContainerInfo[] {
  if (ids.length === 0) return [];
  const docs = JSON.parse(docker(env, ['inspect', ...ids])) as Array<{
    Id: string;
    Name: string;
    Config: { Labels: Record<string, string>; User: string };
    State: { Status: string; Health?: { Status: string } };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
    HostConfig: { Memory: number };
  }>;
  return docs.map((d) => ({
    id: d.Id,
    name: d.Name.replace(/^\//, ''),
    service: d.Config.Labels['com.docker.compose.service'] ?? '',
    index: Number(d.Config.Labels['com.docker.compose.container-number'] ?? 0),
    state: d.State.Status,
    health: d.State.Health?.Status,
    ip: Object.values(d.NetworkSettings.Networks)[0]?.IPAddress ?? '',
    user: d.Config.User,
    memoryLimitBytes: d.HostConfig.Memory,
  }));
}

export interface StackOptions {
  replicas: number;
  log?: (line: string) => void;
}

/**
 * Brings compose.yaml up on a real engine — the machine's (real images, pulled) or a private one (local stand-ins)
 * — with bms built from the project's Dockerfile and scaled to `replicas`, Prometheus on the test profile of the
 * rules, and every published port moved to a free one. Call teardown() in afterAll: it runs after failures too.
 */
export async function startComposeStack(options: StackOptions): Promise<ComposeStack> {
  const log = options.log ?? ((line: string) => { console.log(`[compose-stack] ${line}`); });
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => T | Promise<T>): Promise<T> => {
    const t0 = Date.now();
    log(`${step} ...`);
    const result = await work();
    timings[step] = (Date.now() - t0) / 1000;
    log(`${step}: ${timings[step].toFixed(1)} s`);
    return result;
  };

  const engine = await timed('engine', () => acquireEngine({ log }));
  const own = engine.kind === 'own';
  const work = mkdtempSync(join(tmpdir(), 'memscope-stack-'));
  // Containers read what is mounted from here as their own users.
  chmodSync(work, 0o755);
  const name = `memscope-stack-${process.pid}`;
  const created: string[] = [];
  // The legacy builder leaves each build stage as an untagged image: on the machine's engine, those of this run go too.
  const dangling = (): string[] => lines(spawnSync('docker', ['images', '-q', '--no-trunc', '--filter', 'dangling=true'], { env: engine.env, encoding: 'utf8' }).stdout);
  const danglingBefore = new Set(own ? [] : dangling());
  let compose: ComposeProject | undefined;
  let downResult: Promise<ComposeResult> | undefined;
  let tornDown = false;

  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    try {
      if (compose !== undefined) await (downResult ?? compose.run(['--profile', 'stress', 'down', '-v', '--remove-orphans', '--timeout', '40']));
      // An own engine goes with its whole data root; on the machine's engine, only the tags this run made go.
      if (!own) {
        for (const tag of [...created].reverse()) spawnSync('docker', ['rmi', tag], { env: engine.env, stdio: 'ignore' });
        for (const id of dangling().filter((d) => !danglingBefore.has(d))) spawnSync('docker', ['rmi', id], { env: engine.env, stdio: 'ignore' });
      }
    } finally {
      await engine.stop();
      rmSync(work, { recursive: true, force: true });
    }
  };

  try {
    const services = Object.keys(COMPOSE.services).filter((s) => !NOT_STARTED.includes(s) && COMPOSE.services[s]?.profiles === undefined);
    const publicImages = [
      ...new Set([
        ...dockerfileBaseImages(),
        ...[...services, LOAD_SERVICE].flatMap((s) => (COMPOSE.services[s]?.build === undefined ? [COMPOSE.services[s]?.image ?? ''] : [])),
      ]),
    ];
    const missing = publicImages.filter((image) => !imageExists(engine.env, image));
    // The machine's engine pulls the real images; what it cannot pull, and everything on a private engine (whose
    // bridge has no NAT: no registry in reach), is stood in for.
    const unpulled = own
      ? missing
      : await timed('pull', () =>
          missing.filter((image) => {
            const pulled = spawnSync('docker', ['pull', '--quiet', image], { env: engine.env, stdio: 'ignore', timeout: 600_000 }).status === 0;
            if (pulled) created.push(image);
            return !pulled;
          }),
        );
    if (unpulled.length > 0) created.push(...(await timed('stand-in images', () => buildStandins(unpulled, { env: engine.env, log }))));
    const standins = unpulled;

    const k6Standin = standins.includes(COMPOSE.services[LOAD_SERVICE]?.image ?? '');
    // The scenario compose.yaml runs by default (`/scripts/${K6_SCRIPT:-smoke.ts}`), from load-tests/.
    const defaultScript = basename(COMPOSE.services[LOAD_SERVICE]?.command?.at(-1) ?? 'smoke.ts');
    const k6 = { testId: name, resultsDir: join(work, 'k6-results'), script: defaultScript, scriptsDir: join(ROOT, 'load-tests') };
    mkdirSync(k6.resultsDir, { mode: 0o777 });
    chmodSync(k6.resultsDir, 0o777);
    if (k6Standin) {
      // The stand-in runs k6 0.48, which cannot run TypeScript: it gets the scenario bundled to JavaScript.
      k6.scriptsDir = join(work, 'k6-scripts');
      k6.script = await timed('k6 bundle', () => bundleK6Scenario(join(ROOT, 'load-tests', defaultScript), k6.scriptsDir));
      chmodSync(k6.scriptsDir, 0o755);
    }

    const bmsImage = own ? (COMPOSE.services.bms?.image ?? 'memscope/bms:local') : `memscope/bms:${name}`;
    const override = {
      services: {
        bms: {
          // On the machine's engine, a name of this run's, so a user's own memscope/bms:local stays as it was.
          ...(own ? {} : { image: bmsImage }),
          // A private engine has no NAT, and one that could not pull has no way out either: `npm ci` in the build
          // reaches the registry through the host network.
          ...(own || standins.length > 0 ? { build: { network: 'host' } } : {}),
        },
        prometheus: {
          // The test profile of the same generated rules: short `for`s, so an alert fires within two minutes.
          volumes: [`${join(ROOT, RULE_DIRS.test)}:/etc/prometheus/rules:ro`],
        },
      },
    };
    const overrideFile = join(work, 'compose.override.yaml');
    writeFileSync(overrideFile, `# written by test/helpers/docker/stack.ts for one run of the compose stack test\n${stringify(override)}`);

    const ports = { prometheus: await freePort(), alertmanager: await freePort(), webhook: await freePort(), grafana: await freePort() };
    const inherited = Object.fromEntries(
      Object.entries(engine.env).filter(([key]) => !key.startsWith('COMPOSE_') && !COMPOSE_VARIABLES.includes(key)),
    );
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      // A private engine builds with the legacy builder: BuildKit would need the buildx plugin and a frontend pull.
      ...(own ? { DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' } : {}),
      PROMETHEUS_PORT: String(ports.prometheus),
      ALERTMANAGER_PORT: String(ports.alertmanager),
      ALERT_WEBHOOK_PORT: String(ports.webhook),
      GRAFANA_PORT: String(ports.grafana),
      K6_TESTID: k6.testId,
      K6_SCRIPT: k6.script,
      K6_SCRIPTS_DIR: k6.scriptsDir,
      K6_RESULTS_DIR: k6.resultsDir,
      K6_USER: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    };
    const project = composeProject(name, overrideFile, env);
    compose = project;
    if (!imageExists(engine.env, bmsImage)) created.push(bmsImage);
    await timed('build bms', () => project.must(['build', 'bms'], 1_200_000));
    await timed('up', () => project.must(['up', '-d', '--no-build', '--scale', `bms=${options.replicas}`, ...services], 600_000));

    const containers = async (service?: string): Promise<ContainerInfo[]> => {
      const ids = lines(await project.must(['ps', '-a', '-q', ...(service === undefined ? [] : [service])]));
      return inspect(engine.env, ids).sort((a, b) => a.service.localeCompare(b.service) || a.index - b.index);
    };
    const expected = services.length - 1 + options.replicas;
    const waitHealthy = async (timeoutMs: number): Promise<ContainerInfo[]> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await containers();
        const broken = all.filter((c) => c.health === 'unhealthy' || c.state === 'exited' || c.state === 'dead');
        if (broken.length > 0 || Date.now() > deadline) {
          const logs = await project.run(['logs', '--tail', '40', ...new Set(broken.map((c) => c.service))]);
          const states = all.map((c) => `${c.name}: ${c.state}/${c.health ?? '-'}`).join(', ');
          throw new Error(`the stack did not become healthy (${states}):\n${(logs.stdout + logs.stderr).slice(-6000)}`);
        }
        if (all.length === expected && all.every((c) => c.state === 'running' && c.health === 'healthy')) return all;
        await sleep(2000);
      }
    };
    await timed('healthy', () => waitHealthy(300_000));

    return {
      engine,
      compose: project,
      services,
      replicas: options.replicas,
      bmsImage,
      standins,
      createdTags: created,
      prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
      webhookUrl: `http://127.0.0.1:${ports.webhook}`,
      k6: { testId: k6.testId, resultsDir: k6.resultsDir, script: k6.script },
      timings,
      containers,
      waitHealthy,
      down() {
        downResult ??= project.run(['--profile', 'stress', 'down', '-v', '--remove-orphans', '--timeout', '40']);
        return downResult;
      },
      teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}
