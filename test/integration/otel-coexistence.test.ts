import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Dashboard } from '@grafana/schema';
import { parse } from 'yaml';
import { listPanelQueries, substituteQuery, type PanelQuery } from '../../src/dashboards/index.js';
import { memscopeMetricShapes, toOtelExporterMetricName } from '../../src/exporter/metric-naming.js';
import { packTarball } from '../helpers/pack.js';
import { ROOT, runNode, type ChildRun } from '../helpers/child.js';
import { freePort } from '../helpers/ports.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { checkMetrics } from '../helpers/promtool.js';

// The finding [11/11] #2, as a user meets it: a service with its own MeterProvider, @opentelemetry/exporter-prometheus
// serving /metrics and @opentelemetry/instrumentation-runtime-node, and memscope on the same provider as
// docs/guides/existing-otel-sdk.md says (test/fixtures/otel-coexistence/service.mjs, which the guide quotes). The
// packed package is installed in a fresh directory beside the two OpenTelemetry packages at the versions this
// repository tests; the service's own endpoint is linted by promtool and scraped by a real Prometheus that loads the
// shipped otel-prometheus-exporter rules, and every query of the shipped otel-prometheus-exporter dashboards runs on it.

/** The guide's two programs, as the repo paths its excerpt markers name. */
const PROGRAMS = ['test/fixtures/otel-coexistence/service.mjs', 'test/fixtures/otel-coexistence/memscope-reader.mjs'];
const OTEL_PACKAGES = ['@opentelemetry/api', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus', '@opentelemetry/instrumentation-runtime-node'];
const RATE_INTERVAL = '5s';

const dir = mkdtempSync(join(tmpdir(), 'memscope-otel-coexistence-'));
const app = join(dir, 'service');
let service: ChildRun | undefined;
let prometheus: RunningPrometheus | undefined;
let load: NodeJS.Timeout | undefined;
let port = 0;
let metricsPort = 0;
let startedAt = 0;

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', npm_config_loglevel: 'error' } });
}

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
/** A file of the installed package, as a user's Grafana or Prometheus would read it. */
const installed = (...path: string[]): string => join(app, 'node_modules', 'memscope', ...path);

async function scrape(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
}

/** Sample names in an exposition (histograms as `_bucket`, `_sum`, `_count`). */
function sampleNames(exposition: string): Set<string> {
  return new Set(exposition.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => /^[^{ ]+/.exec(l)![0]));
}

beforeAll(async () => {
  mkdirSync(app);
  const tarball = basename(packTarball(dir));
  sh('npm', ['init', '-y'], app);
  sh('npm', ['pkg', 'set', 'type=module'], app);
  sh('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball), ...OTEL_PACKAGES.map((p) => `${p}@${versionOf(p)}`)], app);
  for (const path of PROGRAMS) copyFileSync(join(ROOT, path), join(app, basename(path)));

  [port, metricsPort] = [await freePort(), await freePort()];
  startedAt = Date.now() / 1000;
  service = runNode(['service.mjs'], { cwd: app, env: { PORT: String(port), METRICS_PORT: String(metricsPort) } });
  await service.waitForLine(/orders on http/);
  // Steady traffic: phases, allocations and so GCs, while Prometheus scrapes.
  const order = (): void => { void fetch(`http://127.0.0.1:${port}/`).then((r) => r.arrayBuffer()).catch(() => undefined); };
  for (let i = 0; i < 50; i++) order();
  load = setInterval(order, 50);

  const ruleDir = installed('deploy', 'prometheus', 'rules', 'otel-prometheus-exporter');
  const ruleFiles = Object.fromEntries(readdirSync(ruleDir).map((f) => [f, readFileSync(join(ruleDir, f), 'utf8')]));
  prometheus = await startPrometheus({
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${Object.keys(ruleFiles).map((f) => JSON.stringify(f)).join(', ')}]`,
      'scrape_configs:',
      `  - { job_name: bms, static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }] }`,
    ].join('\n'),
    files: ruleFiles,
  });
  // Rates need a few points in their window; the heap-limit ratio needs both of its sides.
  await prometheus.waitFor('count(v8js_memory_heap_used)', (r) => r.length > 0, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 12_000));
}, 300_000);

afterAll(async () => {
  if (load !== undefined) clearInterval(load);
  await prometheus?.stop();
  if (service !== undefined) {
    service.child.kill('SIGTERM');
    await service.done;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('memscope beside @opentelemetry/exporter-prometheus and instrumentation-runtime-node', () => {
  it('serves every family once on the service\'s own endpoint: promtool check metrics finds nothing', async () => {
    const exposition = await scrape();
    expect(checkMetrics(exposition).findings).toEqual([]);
    const helps = exposition.split('\n').filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2]);
    expect(helps.length).toBeGreaterThan(30);
    expect(new Set(helps).size).toBe(helps.length);
    // The runtime families come from runtime-node alone; memscope's own are there, under the exporter's names.
    const oldSpace = exposition.split('\n').filter((l) => l.startsWith('v8js_memory_heap_used{') && l.includes('"old_space"'));
    expect(oldSpace).toHaveLength(1);
    expect(oldSpace[0]).toContain('otel_scope_name="@opentelemetry/instrumentation-runtime-node"');
    expect(exposition).toMatch(/^process_memory_usage\{otel_scope_name="memscope"\} \d+/m);
    expect(exposition).toMatch(/^memscope_phase_duration_count\{memscope_phase_name="order",otel_scope_name="memscope"\} \d+/m);
  });

  it('counts each heap space once in Prometheus, so sums over spaces are the heap', async () => {
    const perSpace = await prometheus!.query('count by (v8js_heap_space_name) (v8js_memory_heap_used)');
    expect(perSpace.length).toBeGreaterThan(3);
    for (const sample of perSpace) expect(sample.value[1], sample.metric.v8js_heap_space_name).toBe('1');
    expect(await prometheus!.query('count(v8js_gc_duration_count) by (v8js_gc_type) > 1')).toEqual([]);
  });

  it('loads the shipped rules for these names; every rule evaluates and every recording rule whose inputs exist records', async () => {
    const { groups } = await prometheus!.api<{ groups: Array<{ rules: Array<{ name: string; type: string; query: string; health: string; lastError?: string }> }> }>('/api/v1/rules');
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(15);
    for (const rule of rules) expect(rule.health, `${rule.name}: ${rule.lastError ?? ''}`).toBe('ok');
    const present = sampleNames(await scrape());
    const recorded: string[] = [];
    for (const rule of rules.filter((r) => r.type === 'recording')) {
      const inputs = seriesIn(rule.query);
      if (!inputs.every((name) => present.has(name) || recorded.includes(name))) continue;
      const result = await prometheus!.query(rule.name);
      expect(result.length, `${rule.name} = ${rule.query}`).toBeGreaterThan(0);
      recorded.push(rule.name);
    }
    // Heap, committed heap, heap of its limit, GC time and GC rate, the post-GC trend at least (the container ones need a limit).
    expect(recorded.length).toBeGreaterThanOrEqual(5);
  });

  it('returns data for every query of the shipped dashboards whose series the service exports', async () => {
    const present = sampleNames(await scrape());
    const rulesDoc = readdirSync(installed('deploy', 'prometheus', 'rules', 'otel-prometheus-exporter')).flatMap((f) =>
      (parse(readFileSync(installed('deploy', 'prometheus', 'rules', 'otel-prometheus-exporter', f), 'utf8')) as { groups: Array<{ rules: Array<{ record?: string }> }> })
        .groups.flatMap((g) => g.rules.map((r) => r.record)).filter((r): r is string => r !== undefined));
    present.add('up'); // Prometheus' own, for the target
    for (const record of rulesDoc) if ((await prometheus!.query(record)).length > 0) present.add(record);
    const dashboardDir = installed('dashboards', 'otel-prometheus-exporter');
    const dashboards = readdirSync(dashboardDir).map((f) => JSON.parse(readFileSync(join(dashboardDir, f), 'utf8')) as Dashboard);
    expect(dashboards.map((d) => d.uid).sort()).toEqual(['memscope-memory-overview-otel', 'memscope-phases-otel', 'memscope-stress-test-otel']);

    const known = knownSeries(rulesDoc);
    const end = Date.now() / 1000;
    const failures: string[] = [];
    const withoutSeries: string[] = [];
    let checked = 0;
    for (const dashboard of dashboards) {
      for (const variable of dashboard.templating?.list ?? []) {
        if (variable.type !== 'query') continue;
        const raw = typeof variable.query === 'string' ? variable.query : (variable.query as { query?: string } | undefined)?.query;
        const selector = /^label_values\((.+),\s*\w+\)$/.exec(raw ?? '')?.[1];
        if (selector === undefined || selector.startsWith('k6_')) continue;
        const found = await prometheus!.query(substituteQuery(selector, { variables: { job: 'bms', instance: '.+' } }));
        if (found.length === 0) failures.push(`${dashboard.uid ?? ''}: variable ${variable.name}: ${raw ?? ''} -> no series`);
      }
      for (const query of listPanelQueries({ dashboards: [dashboard], rateInterval: RATE_INTERVAL, interval: '1s', range: '1m' })) {
        const names = seriesIn(query.expr);
        const unknown = names.filter((n) => !known.has(n) && !n.startsWith('k6_'));
        if (names.length === 0 || unknown.length > 0) {
          failures.push(`${describeQuery(query)}: names no series these dashboards may use (${unknown.join(', ') || 'none at all'})`);
          continue;
        }
        if (!names.every((n) => present.has(n))) {
          withoutSeries.push(`${query.title}: ${names.filter((n) => !present.has(n)).join(', ')}`);
          continue;
        }
        checked++;
        const problem = await checkQuery(query, startedAt, end);
        if (problem !== undefined) failures.push(`${describeQuery(query)} -> ${problem}`);
      }
    }
    console.log(`${checked} dashboard queries returned data; without their series here: ${withoutSeries.join('; ')}`);
    expect(failures, failures.join('\n')).toEqual([]);
    // Most of the memory and phase panels have their series here; k6's, the alerts', the container limit's and the
    // leak verdict's (after its warm-up) are the ones a fresh, healthy, uncontained service does not have.
    expect(checked).toBeGreaterThan(25);
    for (const missing of withoutSeries) expect(missing).toMatch(/k6_|ALERTS|container_limit|container_memory_limit|leak_slope|leak_suspected|exhaustion_forecast|heap_measurements/);
  });
});

describe('docs/guides/existing-otel-sdk.md', () => {
  it('shows only code this test runs: every block is a verbatim excerpt of a program above', () => {
    const guide = readFileSync(join(ROOT, 'docs', 'guides', 'existing-otel-sdk.md'), 'utf8');
    const blocks = [...guide.matchAll(/(?:<!-- (\w+): (\S+) -->\n)?```\w*\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThan(3);
    for (const [, kind, path, code] of blocks) {
      expect(kind, code).toBe('excerpt');
      expect(PROGRAMS).toContain(path);
      expect(`\n${readFileSync(join(ROOT, path!), 'utf8')}`).toContain(`\n${code!}`);
    }
  });
});

describe("memscope's own PrometheusReader on the service's provider, beside instrumentation-runtime-node", () => {
  it('serves every family once, lint-clean, under the names the shipped dashboards and rules use', { timeout: 60_000 }, async () => {
    const readerPort = await freePort();
    const reader = runNode(['memscope-reader.mjs'], { cwd: app, env: { METRICS_PORT: String(readerPort) } });
    try {
      await reader.waitForLine(/metrics on http/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exposition = await (await fetch(`http://127.0.0.1:${readerPort}/metrics`)).text();
      expect(checkMetrics(exposition).findings).toEqual([]);
      const oldSpace = exposition.split('\n').filter((l) => l.startsWith('v8js_memory_heap_used_bytes{') && l.includes('"old_space"'));
      expect(oldSpace).toHaveLength(1);
      expect(exposition).toMatch(/^process_memory_usage_bytes \d+/m);
      expect(exposition).toMatch(/^memscope_phase_duration_seconds_count\{memscope_phase_name="tick"\} \d+/m);
    } finally {
      reader.child.kill('SIGTERM');
      const done = await reader.done;
      expect(done.stderr).not.toContain('MEMSCOPE_W_METRIC_CONFLICT');
      expect(done.code).toBe(0);
    }
  });
});

/** Every series name a dashboard may query here: memscope's under the exporter's names, the rules', k6's, Prometheus'. */
function knownSeries(records: string[]): Set<string> {
  const known = new Set<string>(['up', 'ALERTS', ...records]);
  for (const shape of memscopeMetricShapes()) {
    const name = toOtelExporterMetricName(shape.name, shape.type, shape.monotonic);
    known.add(name);
    for (const suffix of ['_bucket', '_sum', '_count']) known.add(`${name}${suffix}`);
  }
  return known;
}

// Keywords, and the aggregation operators (written `sum by (...) (...)`, so not always right before a parenthesis).
const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'le',
]);

/**
 * The series names in a PromQL expression: identifiers that are not functions (followed by `(`), label names (inside
 * braces or a by/on list) or keywords. A name written the otlp way (`process_memory_usage_bytes`) comes out too and
 * fails the caller's check, which is what it should do here.
 */
function seriesIn(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const noMatchers = noStrings.replace(/\{[^}]*\}/g, '{}');
  const noLists = noMatchers.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1()');
  const noRanges = noLists.replace(/\[[^\]]*\]/g, '[]');
  const names = new Set<string>();
  for (const m of noRanges.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const token = m[0];
    const after = noRanges.slice(m.index + token.length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(token.toLowerCase())) continue;
    names.add(token);
  }
  return [...names];
}

function describeQuery(query: PanelQuery): string {
  return `${query.dashboardTitle} / ${query.kind} "${query.title}" (${query.refId}): ${query.expr}`;
}

interface PromSeries { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }

/** Runs a query as Grafana would (range, or instant for instant panels); undefined when a series has a finite value. */
async function checkQuery(query: PanelQuery, start: number, end: number): Promise<string | undefined> {
  const expr = encodeURIComponent(query.expr);
  let data: { resultType: string; result: PromSeries[] | [number, string] };
  try {
    data = query.instant
      ? await prometheus!.api(`/api/v1/query?query=${expr}&time=${end}`)
      : await prometheus!.api(`/api/v1/query_range?query=${expr}&start=${start}&end=${end}&step=1`);
  } catch (error) {
    return `query failed: ${(error as Error).message}`;
  }
  if (data.resultType === 'scalar') return Number.isFinite(Number((data.result as [number, string])[1])) ? undefined : 'no finite scalar';
  const series = data.result as PromSeries[];
  const finite = series.some((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => Number.isFinite(Number(v))));
  return finite ? undefined : series.length === 0 ? 'no series' : `${series.length} series, none finite`;
}
