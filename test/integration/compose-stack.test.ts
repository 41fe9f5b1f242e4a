import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOAD_PROFILES } from '../../src/stress/load-profiles.js';
import { mountsUnder, processesUsing } from '../../scripts/docker/engine.js';
import { ALERTS_FILE, RECORDING_FILE, RULE_DIRS } from '../../src/monitoring/render-rules.js';
import { COMPOSE } from '../deploy/compose-file.js';
import { ROOT } from '../helpers/child.js';
import { docker, lines } from '../helpers/docker/compose.js';
import { LOAD_SERVICE, NOT_STARTED, startComposeStack, type ComposeStack, type ContainerInfo } from '../helpers/docker/stack.js';

// compose.yaml run for real: a Docker engine (the machine's, with the real images; else a private dockerd with local
// stand-ins for them), the bms image built from the project's Dockerfile, every service but Grafana started with
// three bms replicas, and the stack checked as a user relies on it — healthy, non-root, limited, scraped by DNS,
// alerting through Alertmanager, loaded by k6 — then taken down without a trace. Minutes, not seconds: the images
// build, healthchecks run every 10 s, Prometheus scrapes every 15 s and k6's smoke scenario takes 50 s.

const REPLICAS = 3;
/** compose.yaml's bms memory limit (`mem_limit: ${BMS_MEMORY_LIMIT:-512m}`), in bytes. */
const MEMORY_LIMIT_BYTES = (() => {
  const m = /^(\d+)([kmg])$/.exec(String(COMPOSE.services.bms?.mem_limit));
  if (m === null) throw new Error(`unexpected mem_limit ${String(COMPOSE.services.bms?.mem_limit)}`);
  return Number(m[1]) * 1024 ** (1 + 'kmg'.indexOf(m[2] ?? 'k'));
})();
/** The stack's alert must arrive within this (the test profile of the rules is tuned for it). */
const ALERT_WITHIN_SECONDS = 120;

interface Target { labels: Record<string, string>; discoveredLabels: Record<string, string>; health: string; lastError: string }
interface RuleGroup { name: string; rules: Array<{ name: string; health: string; lastError?: string }> }
interface Notification { receiver: string; status: string; alerts: Array<{ status: string; alertname?: string; instance?: string }> }

let stack: ComposeStack;
/** Set once the stack is up: afterAll has nothing to tear down when start-up failed (it tore itself down). */
let running: ComposeStack | undefined;
const started = Date.now();

async function prometheus<T>(path: string): Promise<T> {
  const body = (await (await fetch(`${stack.prometheusUrl}${path}`)).json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? body.status}`);
  return body.data;
}

async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  return (await prometheus<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result;
}

/** Polls `probe` every `everyMs` until it returns a value other than undefined; throws with `what` at the deadline. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

/** Every rule name of a generated rule file, in order, by group. */
function rulesOf(file: string): Array<{ group: string; names: string[] }> {
  const doc = parse(readFileSync(join(ROOT, RULE_DIRS.test, file), 'utf8')) as { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string }> }> };
  return doc.groups.map((g) => ({ group: g.name, names: g.rules.map((r) => r.alert ?? r.record ?? '') }));
}

/** The receiver alertmanager.yml routes a severity to (a sub-route matching it, else the root receiver). */
function receiverFor(severity: string): string {
  const config = parse(readFileSync(join(ROOT, 'deploy/alertmanager/alertmanager.yml'), 'utf8')) as {
    route: { receiver: string; routes?: Array<{ receiver: string; matchers?: string[] }> };
  };
  return config.route.routes?.find((r) => r.matchers?.includes(`severity="${severity}"`))?.receiver ?? config.route.receiver;
}

describe('compose.yaml on a real Docker engine', () => {
  beforeAll(async () => {
    stack = await startComposeStack({ replicas: REPLICAS });
    running = stack;
  }, 1_800_000);

  afterAll(async () => {
    await running?.teardown();
    console.log(`[compose-stack] ${JSON.stringify({ engine: running?.engine.kind, standins: running?.standins, timings: running?.timings, totalSeconds: (Date.now() - started) / 1000 })}`);
  }, 300_000);

  it('builds the bms image from the project\'s Dockerfile', () => {
    const [image] = JSON.parse(docker(stack.engine.env, ['image', 'inspect', stack.bmsImage])) as Array<{ Created: string; Config: { User: string; Cmd: string[]; WorkingDir: string } }>;
    const dockerfile = readFileSync(join(ROOT, COMPOSE.services.bms?.build?.context ?? '.', COMPOSE.services.bms?.build?.dockerfile ?? ''), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(image?.Config.Cmd).toEqual(JSON.parse(cmd ?? 'null'));
    expect(image?.Config.User).toBe(/^USER (\S+)$/m.exec(dockerfile)?.[1]);
    // Built by this run, not found lying around.
    expect(Date.parse(image?.Created ?? '')).toBeGreaterThan(started - 1000);
  }, 60_000);

  it('starts every service but Grafana, bms three times, each of them healthy', async () => {
    const running = await stack.containers();
    const byService: Record<string, ContainerInfo[]> = {};
    for (const c of running) (byService[c.service] ??= []).push(c);
    const expected = Object.keys(COMPOSE.services).filter((s) => !NOT_STARTED.includes(s) && s !== LOAD_SERVICE).sort();
    expect(Object.keys(byService).sort()).toEqual(expected);
    expect(byService.bms?.map((c) => c.index)).toEqual([1, 2, 3]);
    for (const service of expected.filter((s) => s !== 'bms')) expect(byService[service]?.length, service).toBe(1);
    for (const c of running) expect(`${c.name} ${c.state} ${c.health ?? 'no healthcheck'}`).toBe(`${c.name} running healthy`);
  }, 60_000);

  it('runs bms as the non-root node user, with its memory limit, which memscope reports', async () => {
    for (const c of await stack.containers('bms')) {
      expect(c.user).toBe('node');
      expect(docker(stack.engine.env, ['exec', c.id, 'id', '-u'])).toBe('1000');
      expect(c.memoryLimitBytes).toBe(MEMORY_LIMIT_BYTES);
      // Each replica's own /metrics, through the host port compose published for it.
      const address = (await stack.compose.must(['port', '--index', String(c.index), 'bms', '3000'])).trim();
      const metrics = await (await fetch(`http://${address}/metrics`)).text();
      const limit = /^memscope_container_memory_limit_bytes(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1];
      expect(Number(limit), `${c.name} memscope_container_memory_limit_bytes`).toBe(MEMORY_LIMIT_BYTES);
    }
  }, 120_000);

  it('has Prometheus discover all three replicas by DNS and load every rule of the test profile', async () => {
    const ips = (await stack.containers('bms')).map((c) => `${c.ip}:3000`).sort();
    const targets = await waitFor('three healthy bms targets', 90_000, async () => {
      const { activeTargets } = await prometheus<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
      const bms = activeTargets.filter((t) => t.labels.job === 'bms');
      return bms.length === REPLICAS && bms.every((t) => t.health === 'up') ? bms : undefined;
    });
    expect(targets.map((t) => t.labels.instance).sort()).toEqual(ips);
    for (const t of targets) expect(t.discoveredLabels.__meta_dns_name).toBe('bms');

    const expected = [...rulesOf(RECORDING_FILE), ...rulesOf(ALERTS_FILE)].sort((a, b) => a.group.localeCompare(b.group));
    const groups = await waitFor('every rule evaluated', 60_000, async () => {
      const data = await prometheus<{ groups: RuleGroup[] }>('/api/v1/rules');
      return data.groups.every((g) => g.rules.every((r) => r.health !== 'unknown')) ? data.groups : undefined;
    });
    expect(groups.map((g) => ({ group: g.name, names: g.rules.map((r) => r.name) })).sort((a, b) => a.group.localeCompare(b.group))).toEqual(expected);
    for (const rule of groups.flatMap((g) => g.rules)) expect(`${rule.name}: ${rule.health} ${rule.lastError ?? ''}`.trim()).toBe(`${rule.name}: ok`);
  }, 180_000);

  it('runs the k6 service\'s scenario against bms, and its series land in Prometheus', async () => {
    const run = await stack.compose.run(['--profile', 'stress', 'run', '--rm', LOAD_SERVICE], 600_000);
    expect(run.status, (run.stdout + run.stderr).slice(-4000)).toBe(0);
    const summaryFile = join(stack.k6.resultsDir, `${stack.k6.script.replace(/\.(ts|js)$/, '')}-summary.json`);
    expect(existsSync(summaryFile), summaryFile).toBe(true);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
    const requests = summary.metrics.http_reqs?.values.count ?? 0;
    expect(requests).toBeGreaterThan(0);
    expect(summary.metrics.http_req_failed?.values.rate).toBeLessThan(LOAD_PROFILES.smoke.thresholds.httpReqFailedRate);
    // Remote-written every 5 s and ended with stale markers: the last value before them is the run's total.
    const stored = await waitFor('k6_http_reqs_total of this run', 30_000, async () => {
      const [sample] = await query(`sum(last_over_time(k6_http_reqs_total{testid="${stack.k6.testId}"}[30m]))`);
      return sample !== undefined && Number(sample.value[1]) === requests ? Number(sample.value[1]) : undefined;
    });
    expect(stored).toBe(requests);
    const [vus] = await query(`max(max_over_time(k6_vus{testid="${stack.k6.testId}"}[30m]))`);
    expect(Number(vus?.value[1])).toBeGreaterThan(0);
  }, 600_000);

  it(`raises an alert that reaches the webhook through Alertmanager within ${ALERT_WITHIN_SECONDS} s of a replica hanging`, async () => {
    // Hung, not stopped: a stopped replica leaves Docker's DNS, so Prometheus forgets the target instead of failing
    // to scrape it. SIGSTOP to the replica's processes (from inside, as its own user; kill(-1) spares the caller and
    // the container's init) hangs it as a stuck event loop would: it still resolves, its scrapes time out, `up` is
    // 0 and MemscopeTargetDown fires. (Not `docker pause`: the cgroup v1 freezer fails with "unable to freeze" on a
    // busy machine.)
    const [replica] = (await stack.containers('bms')) as [ContainerInfo];
    const signalAll = (signal: string): string => docker(stack.engine.env, ['exec', replica.id, 'node', '-e', `process.kill(-1, '${signal}')`]);
    const t0 = Date.now();
    signalAll('SIGSTOP');
    let seconds: number;
    let notification: Notification;
    try {
      notification = await waitFor('MemscopeTargetDown at the webhook', (ALERT_WITHIN_SECONDS + 30) * 1000, async () => {
        const received = (await (await fetch(`${stack.webhookUrl}/alerts`)).json()) as Notification[];
        return received.find((n) => n.alerts.some((a) => a.alertname === 'MemscopeTargetDown' && a.status === 'firing'));
      });
      seconds = (Date.now() - t0) / 1000;
      console.log(`[compose-stack] MemscopeTargetDown reached the webhook ${seconds.toFixed(0)} s after the replica hung`);
    } finally {
      signalAll('SIGCONT');
    }
    expect(notification.alerts.map((a) => a.instance)).toEqual([`${replica.ip}:3000`]);
    expect(notification.receiver).toBe(receiverFor('warning'));
    expect(seconds).toBeLessThanOrEqual(ALERT_WITHIN_SECONDS);
  }, 300_000);

  it('leaves no container, volume or network of the project after `down -v`', async () => {
    const networks = lines(docker(stack.engine.env, ['network', 'ls', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${stack.compose.name}`]));
    expect(networks.length).toBeGreaterThan(0);
    const down = await stack.down();
    expect(down.status, down.stderr.slice(-4000)).toBe(0);
    const label = `label=com.docker.compose.project=${stack.compose.name}`;
    expect(docker(stack.engine.env, ['ps', '-a', '-q', '--filter', label])).toBe('');
    expect(docker(stack.engine.env, ['volume', 'ls', '-q', '--filter', label])).toBe('');
    expect(docker(stack.engine.env, ['volume', 'ls', '-q', '--filter', `name=${stack.compose.name}_`])).toBe('');
    expect(docker(stack.engine.env, ['network', 'ls', '-q', '--filter', label])).toBe('');
    // Nor the host bridge of its network.
    const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
    for (const id of networks) expect(links).not.toContain(`br-${id.slice(0, 12)}`);
  }, 120_000);

  it('leaves no daemon, mount, image tag or directory of its own behind', async () => {
    const { engine, createdTags } = stack;
    await stack.teardown();
    if (engine.kind === 'own') {
      const dir = engine.dir ?? '';
      expect(processesUsing(dir)).toEqual([]);
      expect(mountsUnder(dir)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    } else {
      for (const tag of createdTags) expect(spawnSync('docker', ['image', 'inspect', tag], { env: engine.env, stdio: 'ignore' }).status, tag).not.toBe(0);
    }
  }, 120_000);
});
