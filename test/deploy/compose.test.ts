import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/child.js';
import { requireBinary } from '../helpers/prometheus.js';
import { bindMounts, COMPOSE, COMPOSE_TEXT, interpolate, RAW, type ComposeService } from './compose-file.js';

const services = COMPOSE.services;
const service = (name: string): ComposeService => {
  const s = services[name];
  if (s === undefined) throw new Error(`compose.yaml has no service ${name}`);
  return s;
};

function schemaValidator(): (doc: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/compose-spec/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // The schema names its meta-schema by an https URL Ajv does not map to draft-07, which Ajv implements anyway.
  delete schema.$schema;
  // Ajv knows no `duration` or `ports` formats without ajv-formats (not a dependency): types and shapes still apply.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

/** Debian's docker-compose (1.29): Compose's own loader — interpolation, references, build context, port syntax. */
function dockerCompose(args: string[], file = 'compose.yaml') {
  requireBinary('docker-compose', 'install it with: apt-get install -y --no-install-recommends docker-compose (it validates without a Docker engine)');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COMPOSE_') && !k.startsWith('DOCKER_')));
  return spawnSync('docker-compose', ['-f', file, ...args], { cwd: ROOT, encoding: 'utf8', env });
}

describe('compose.yaml', () => {
  it('is valid by the Compose Specification schema, with the defaults and with every variable set', () => {
    const validate = schemaValidator();
    expect(validate(COMPOSE)).toEqual([]);
    const env = { MEMSCOPE_BIND: '0.0.0.0', PROMETHEUS_PORT: '19090', GRAFANA_PORT: '13000', BMS_MEMORY_LIMIT: '1g', K6_USER: '1000:1000', K6_TESTID: 'x' };
    expect(validate(interpolate(RAW, env))).toEqual([]);
  });

  it('would fail the schema with a misspelt key', () => {
    const broken = structuredClone(COMPOSE) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.bms!.healthckeck = broken.services.bms!.healthcheck;
    expect(schemaValidator()(broken).join('\n')).toMatch(/additionalProperty.*healthckeck/);
  });

  it('loads in docker-compose, every service of it', () => {
    const check = dockerCompose(['--profile', 'stress', 'config', '-q']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const all = dockerCompose(['--profile', 'stress', 'config', '--services']).stdout.trim().split('\n').sort();
    expect(all).toEqual(['alert-webhook', 'alertmanager', 'bms', 'grafana', 'k6', 'prometheus']);
    // (docker-compose 1.29 lists profiled services without --profile too; the k6 test below checks the profile.)
  });

  it('would fail docker-compose with a dependency on a service that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-compose-'));
    try {
      const broken = COMPOSE_TEXT.replace('      alertmanager:\n        condition: service_healthy', '      alertmanagr:\n        condition: service_healthy');
      expect(broken).not.toBe(COMPOSE_TEXT);
      writeFileSync(join(dir, 'compose.yaml'), broken);
      const run = dockerCompose(['--project-directory', ROOT, 'config', '-q'], join(dir, 'compose.yaml'));
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/alertmanagr/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mounts only files and directories that exist (and builds from a Dockerfile that does)', () => {
    // Written by k6 at run time; Docker creates it when missing.
    const outputs = new Set(['./reports/k6']);
    for (const [name, s] of Object.entries(services)) {
      for (const mount of bindMounts(s)) {
        if (outputs.has(mount.source)) continue;
        expect(existsSync(join(ROOT, mount.source)), `${name} mounts ${mount.source}`).toBe(true);
        expect(mount.readOnly, `${name} mounts ${mount.source} read-only`).toBe(true);
      }
    }
    const bms = service('bms');
    expect(existsSync(join(ROOT, bms.build?.context ?? '?', bms.build?.dockerfile ?? '?'))).toBe(true);
  });

  it('mounts the Prometheus configuration and rules the tests use, and enables the remote-write receiver', () => {
    const prometheus = service('prometheus');
    expect(bindMounts(prometheus)).toEqual(
      expect.arrayContaining([
        { source: './deploy/prometheus/prometheus.yml', target: '/etc/prometheus/prometheus.yml', readOnly: true },
        { source: './deploy/prometheus/rules', target: '/etc/prometheus/rules', readOnly: true },
      ]),
    );
    expect(prometheus.command).toEqual(expect.arrayContaining(['--config.file=/etc/prometheus/prometheus.yml', '--web.enable-remote-write-receiver']));
    const config = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[] };
    for (const rules of config.rule_files) expect(rules).toMatch(/^\/etc\/prometheus\/rules\//);
  });

  it('lets bms scale: no fixed host port or container name, each replica found by DNS as a bms target', () => {
    const bms = service('bms');
    expect(bms.container_name).toBeUndefined();
    for (const port of bms.ports ?? []) expect(port, 'publish on an ephemeral host port').toMatch(/^(127\.0\.0\.1::)?3000$/);
    const config = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[]; type?: string; port: number }> }>;
    };
    const job = config.scrape_configs.find((j) => j.job_name === 'bms');
    expect(job?.dns_sd_configs).toEqual([expect.objectContaining({ names: ['bms'], type: 'A', port: 3000 })]);
  });

  it('publishes every other port on ${MEMSCOPE_BIND:-127.0.0.1} and a ${VAR:-default} host port', () => {
    for (const [name, s] of Object.entries(RAW.services)) {
      if (name === 'bms') continue;
      for (const port of s.ports ?? []) expect(port, name).toMatch(/^\$\{MEMSCOPE_BIND:-127\.0\.0\.1\}:\$\{[A-Z_]+_PORT:-\d+\}:\d+$/);
    }
  });

  it('pins every image to a release, Prometheus and Alertmanager to the lines the tests run (2.42, 0.25)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build !== undefined) continue;
      expect(s.image, name).toMatch(/^[a-z0-9/._-]+:v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/);
    }
    expect(service('prometheus').image).toMatch(/^prom\/prometheus:v2\.42\.\d+$/);
    expect(service('alertmanager').image).toMatch(/^prom\/alertmanager:v0\.25\.\d+$/);
    // The k6 the scripts run on is the k6 they are type-checked against.
    const types = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/k6/package.json'), 'utf8')) as { version: string };
    expect(service('k6').image).toBe(`grafana/k6:${types.version.split('.').slice(0, 2).join('.')}.0`);
  });

  it('starts a service only once what it depends on is healthy, and every such service has a healthcheck', () => {
    let edges = 0;
    for (const [name, s] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        edges++;
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
        expect(service(dependency).healthcheck?.test.length, `${dependency} has a healthcheck`).toBeGreaterThan(1);
      }
    }
    expect(edges).toBeGreaterThanOrEqual(6);
    for (const [name, s] of Object.entries(services)) if (name !== 'k6') expect(s.healthcheck, name).toBeDefined();
  });

  it('runs k6 only with --profile stress: the smoke script, tagged with a test id, remote-writing into Prometheus', () => {
    const k6 = service('k6');
    expect(k6.profiles).toEqual(['stress']);
    expect(k6.command).toEqual(['run', '--tag', 'testid=compose', '--out', 'experimental-prometheus-rw', '/scripts/smoke.ts']);
    expect(bindMounts(k6)).toContainEqual({ source: './load-tests', target: '/scripts', readOnly: true });
    expect(existsSync(join(ROOT, 'load-tests/smoke.ts'))).toBe(true);
    expect(k6.environment).toMatchObject({
      BASE_URL: 'http://bms:3000',
      K6_PROMETHEUS_RW_SERVER_URL: 'http://prometheus:9090/api/v1/write',
    });
    expect(k6.environment?.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM).toBeUndefined();
    const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/k6-remote-write-series.json'), 'utf8')) as { env: Record<string, string> };
    expect(k6.environment?.K6_PROMETHEUS_RW_TREND_STATS).toBe(fixture.env.K6_PROMETHEUS_RW_TREND_STATS);
  });

  it('sends Alertmanager\'s notifications to the alert-webhook service', () => {
    const port = service('alert-webhook').environment?.PORT;
    const config = parse(readFileSync(join(ROOT, 'deploy/alertmanager/alertmanager.yml'), 'utf8')) as {
      receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }>;
    };
    const urls = config.receivers.flatMap((r) => (r.webhook_configs ?? []).map((w) => w.url));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toBe(`http://alert-webhook:${port ?? '?'}/alerts`);
    expect(bindMounts(service('alertmanager'))).toContainEqual({ source: './deploy/alertmanager/alertmanager.yml', target: '/etc/alertmanager/alertmanager.yml', readOnly: true });
    const prometheus = parse(readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    expect(prometheus.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
  });
});
