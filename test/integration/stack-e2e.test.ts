import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import type { Dashboard } from '@grafana/schema';
import { parse } from 'yaml';
import { LOAD_PROFILES } from '../../src/stress/load-profiles.js';
import { buildDashboards, listPanelQueries, substituteQuery, type PanelQuery } from '../../src/dashboards/index.js';
import { MEMORY_ALERTS } from '../../src/monitoring/alert-rules.js';
import { ALERTS_FILE, RULE_DIRS } from '../../src/monitoring/render-rules.js';
import { TEST, durationSeconds } from '../../src/monitoring/thresholds.js';
import { startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { ROOT, runNode, type ChildRun } from '../helpers/child.js';
import { constantLoadFrom, startConstantLoad, type LoadDriver, type TargetLoadStats } from '../helpers/load-driver.js';
import { rewriteAlertmanagerConfig, rewritePrometheusConfig } from '../helpers/prometheus-config.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { k6FixtureSeries, remoteWrite, type K6FixtureSeries } from '../helpers/remote-write.js';
import { startWebhookReceiver, type ReceivedAlert, type WebhookReceiver } from '../helpers/webhook-receiver.js';

// The monitoring stack end to end, as compose.yaml runs it but without Docker: a real Prometheus (Debian's 2.42) with
// deploy/prometheus/prometheus.yml — only the scrape targets, the Alertmanager address and the rule files (the test
// profile of the same generated rules, short windows) differ — scraping two real BMS services under the same load, one
// of them leaking; a real Alertmanager with deploy/alertmanager/alertmanager.yml delivering to a webhook receiver; and
// every query of every dashboard run against that Prometheus afterwards.

const MiB = 2 ** 20;
/** 1 MiB/s of heap objects: 16 times the SDK's minimum slope (64 KiB/s) and 32 times the rule's (32 KiB/s). */
const LEAK_BYTES_PER_SEC = MiB;
/**
 * The services run with Node's default heap limit (no --max-old-space-size: several GiB on this machine), as most
 * services run, so V8 spaces its major GCs as it does in production and the verdict has to hold on that cadence.
 * This machine has no cgroup limit, so a container limit (twice the heap limit) is injected through the SDK's container-limit source —
 * the only thing simulated here — to give the RSS ratio rules and panels real series to work on.
 */
/**
 * Twice the default heap limit (the services run with the same Node and flags as this test process): a container
 * limit under the heap limit is itself a finding (MemscopeHeapLimitAboveContainerLimit would rightly fire for both).
 */
const CONTAINER_LIMIT_BYTES = 2 * getHeapStatistics().heap_size_limit;
/**
 * The job store keeps the last 1,000 results by default (~33 KB each for these jobs): at this test's 2 jobs/s it
 * fills for over 8 minutes, during which a healthy service's post-GC heap rises ~64 KiB/s — a cache filling once,
 * which the production profile's 30 minute warm-up waits out and the test profile's short one cannot. 50 jobs fill
 * in 25 s, so both services reach their steady state before the rules start judging them.
 */
const STORE = { maxJobs: 50 };

/**
 * The verdict's target for a leak of 256 KiB/s or more: flagged within two minutes of its start on the default heap
 * limit (test/integration/leak-detection.test.ts, leak-verdict-real-services.test.ts; docs/leak-detection.md).
 */
const SDK_VERDICT_SECONDS = 120;
const GROUP_WAIT_SECONDS = 1;
const seconds = durationSeconds;
/** When the test profile says a leak is noticed: the SDK's verdict, the rule's warm-up and its deriv() window. */
const DETECTION_SECONDS = Math.max(SDK_VERDICT_SECONDS, seconds(TEST.leak.warmUp), seconds(TEST.leak.derivWindow));
/** ... then `for`, one evaluation of the rule group and Alertmanager's group_wait before the webhook hears of it. */
const EXPECTED_ALERT_SECONDS = DETECTION_SECONDS + seconds(TEST.leak.for) + seconds(TEST.evaluationInterval ?? '15s') + GROUP_WAIT_SECONDS;
const ALERT_MARGIN_SECONDS = 40;
/** The healthy service is watched this much longer than the leaking one needed to alert. */
const QUIET_MARGIN_SECONDS = 20;
/** Grafana's $__rate_interval at the deployed 15 s scrape interval (4 × 15 s); with 1 s scrapes a window holds 60 points. */
const RATE_INTERVAL = '1m';
/** The k6 fixture as k6 pushes it: every 5 s (K6_PROMETHEUS_RW_PUSH_INTERVAL in compose.yaml) for three minutes. */
const K6_PUSH_SECONDS = 5;
const K6_SPAN_SECONDS = 180;
/** The step of the panels' range queries. */
const STEP_SECONDS = 5;

const fromRoot = (path: string): string => join(ROOT, path);

/** The memory alerts, from the generated rule file (its `memscope-memory` group), not typed again here. */
const MEMORY_ALERT_NAMES: string[] = (() => {
  const doc = parse(readFileSync(fromRoot(`${RULE_DIRS.test}/${ALERTS_FILE}`), 'utf8')) as { groups: Array<{ name: string; rules: Array<{ alert?: string }> }> };
  const group = doc.groups.find((g) => g.name === 'memscope-memory');
  return [...new Set((group?.rules ?? []).flatMap((r) => (r.alert === undefined ? [] : [r.alert])))];
})();

// --- the services, each in its own process ---------------------------------------------------------------------

/**
 * Each service runs in its own Node process: in one process the leak would be in the healthy service's heap too
 * (V8's heap, GC and event loop are per process, and so are the series memscope exports). The program is the
 * service's own start-up (startBmsService from the built dist/, as `memscope serve` runs it) plus what this test
 * injects: the leak, the container limit, and — on the leaking service only — one failed container-limit read and
 * one phase ended without a start, so the probe-error and phase-misuse counters exist (both are created at their
 * first event, and their panels would otherwise have nothing to show).
 */
const SERVICE_PROGRAM = `
const [modulePath, optionsJson] = process.argv.slice(1);
const { startBmsService } = await import(modulePath);
const o = JSON.parse(optionsJson);
let limitReads = 0;
const service = await startBmsService({
  port: 0,
  drainTimeoutMs: 5000,
  faults: o.faults,
  store: o.store,
  memscope: {
    containerLimit: () => ({
      limitBytes: o.containerLimitBytes, cgroupVersion: 2, source: 'cgroup', file: '/sys/fs/cgroup/memory.max',
      ...(o.probeErrorOnce && limitReads++ === 0 ? { error: 'injected by the test: one unreadable read' } : {}),
    }),
  },
});
if (o.phaseMisuse) service.memscope.profiler.markPhaseEnd('never-started');
process.once('SIGTERM', () => { void service.close().then(() => process.exit(0)); });
console.log('listening ' + service.url);
`;

interface ServiceProcess {
  name: string;
  url: string;
  /** `host:port`: the `instance` label Prometheus gives it. */
  instance: string;
  startedAt: number;
  run: ChildRun;
}

interface ServiceOptions {
  faults: { leakBytesPerSec?: number; leakKind?: 'heap' | 'buffer' };
  containerLimitBytes: number;
  store: { maxJobs: number };
  probeErrorOnce?: boolean;
  phaseMisuse?: boolean;
}

async function startService(name: string, options: ServiceOptions, started: ServiceProcess[]): Promise<ServiceProcess> {
  const startedAt = Date.now();
  const modulePath = pathToFileURL(fromRoot('dist/bms/service/bms-service.js')).href;
  const run = runNode(['--input-type=module', '-e', SERVICE_PROGRAM, modulePath, JSON.stringify(options)]);
  const service: ServiceProcess = { name, url: '', instance: '', startedAt, run };
  started.push(service);
  const [, url = ''] = await run.waitForLine(/listening (http:\/\/\S+)/);
  return Object.assign(service, { url, instance: new URL(url).host });
}

async function stopService(service: ServiceProcess): Promise<void> {
  const { child, done } = service.run;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

// --- the stack --------------------------------------------------------------------------------------------------

const services: ServiceProcess[] = [];
let leaky: ServiceProcess;
let healthy: ServiceProcess;
let load: LoadDriver | undefined;
let webhook: WebhookReceiver | undefined;
let alertmanager: RunningAlertmanager | undefined;
let prometheus: RunningPrometheus | undefined;
let suiteStartedAt = 0;
/** When the webhook received the leak alert, seconds after the leaking service started. */
let leakAlertSeconds: number | undefined;
const profile = LOAD_PROFILES.average;

beforeAll(async () => {
  suiteStartedAt = Date.now();
  // Everything that does not depend on anything else starts at once; allSettled, so a failure never leaves a
  // half-started piece behind that afterAll does not know of.
  const same = { containerLimitBytes: CONTAINER_LIMIT_BYTES, store: STORE };
  const started = await Promise.allSettled([
    startService('leaking', { ...same, faults: { leakBytesPerSec: LEAK_BYTES_PER_SEC, leakKind: 'heap' }, probeErrorOnce: true, phaseMisuse: true }, services),
    startService('healthy', { ...same, faults: {} }, services),
    (async () => {
      webhook = await startWebhookReceiver();
      alertmanager = await startAlertmanager({
        config: rewriteAlertmanagerConfig(readFileSync(fromRoot('deploy/alertmanager/alertmanager.yml'), 'utf8'), {
          webhookUrl: webhook.url,
          groupWait: `${GROUP_WAIT_SECONDS}s`,
          groupInterval: '5s',
        }),
      });
    })(),
  ]);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  [leaky, healthy] = services as [ServiceProcess, ServiceProcess];

  // The same traffic to both from the start: a tenth of the `average` profile's peak (2 jobs/s of 50-300 points).
  load = startConstantLoad({ targets: [leaky.url, healthy.url], ...constantLoadFrom(profile, 0.1) });

  prometheus = await startPrometheus({
    config: rewritePrometheusConfig(readFileSync(fromRoot('deploy/prometheus/prometheus.yml'), 'utf8'), {
      targets: [leaky.instance, healthy.instance],
      // The deployed glob, pointed at the test profile's copy of the generated rules.
      ruleFiles: [fromRoot(`${RULE_DIRS.test}/*.yml`)],
      alertmanager: alertmanager!.address,
      // 1 s instead of 15 s: the test profile's windows are 1 minute long, so a scrape every second gives deriv()
      // and rate() sixty points per window (four at 15 s), and a new sample reaches the rules within a second. The
      // rule groups set their own 5 s evaluation interval; the global one only matters for groups that do not.
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    }),
  });
}, 60_000);

afterAll(async () => {
  const finalLoad = await load?.stop();
  await Promise.allSettled([prometheus?.stop(), alertmanager?.stop(), webhook?.close(), ...services.map(stopService)]);
  console.log(
    `stack-e2e: leak alert at ${leakAlertSeconds ?? 'never'} s after the leaking service started (expected ~${EXPECTED_ALERT_SECONDS} s); ` +
      `whole file ${((Date.now() - suiteStartedAt) / 1000).toFixed(1)} s; load: ${JSON.stringify(finalLoad?.map(({ errors: _, ...s }) => s))}`,
  );
}, 60_000);

// --- assertions -------------------------------------------------------------------------------------------------

const isLeakAlertOf = (service: ServiceProcess) => (a: ReceivedAlert): boolean =>
  a.status === 'firing' && a.labels.alertname === 'MemscopeMemoryLeakSuspected' && a.labels.instance === service.instance;

describe('the monitoring stack end to end (real Prometheus, Alertmanager, BMS services)', () => {
  it('delivers MemscopeMemoryLeakSuspected for the leaking service through Alertmanager to the webhook', { timeout: (EXPECTED_ALERT_SECONDS + ALERT_MARGIN_SECONDS + 10) * 1000 }, async () => {
    const deadline = leaky.startedAt + (EXPECTED_ALERT_SECONDS + ALERT_MARGIN_SECONDS) * 1000;
    // The leak is of heap objects, so the alert naming the heap is the one that must come (RSS may alert as well).
    const alert = await webhook!.waitForAlert((a) => isLeakAlertOf(leaky)(a) && a.labels.memscope_memory_type === 'heap', deadline - Date.now());
    const first = webhook!.alerts().find(isLeakAlertOf(leaky))!;
    leakAlertSeconds = Math.round((first.receivedAt - leaky.startedAt) / 100) / 10;
    console.log(`leak alert: first at ${leakAlertSeconds} s (${first.labels.memscope_memory_type}), heap at ${(alert.receivedAt - leaky.startedAt) / 1000} s`);

    expect(alert.labels).toMatchObject({ alertname: 'MemscopeMemoryLeakSuspected', job: 'bms', instance: leaky.instance, severity: 'warning' });
    // Routed as deploy/alertmanager/alertmanager.yml routes warnings: queue work.
    expect(alert.receiver).toBe('ticket');
    const anchor = /\/docs\/runbook\.md#([a-z]+)$/.exec(alert.annotations.runbook_url ?? '')?.[1];
    expect(anchor, alert.annotations.runbook_url).toBe('memscopememoryleaksuspected');
    expect(readFileSync(fromRoot('docs/runbook.md'), 'utf8')).toContain('\n## MemscopeMemoryLeakSuspected\n');
    expect(alert.annotations.summary).toBeTruthy();
    expect(webhook!.rejected()).toEqual([]);
    // Alertmanager holds it as active (neither silenced nor inhibited) and sends it to that receiver.
    const held = (await alertmanager!.alerts()).find((a) => a.fingerprint === alert.fingerprint);
    expect(held?.status.state).toBe('active');
    expect(held?.receivers.map((r) => r.name)).toEqual(['ticket']);
  });

  it('fires no memory alert for the healthy service under the same load, watched past detection + for + margin', { timeout: (EXPECTED_ALERT_SECONDS + ALERT_MARGIN_SECONDS + QUIET_MARGIN_SECONDS + 30) * 1000 }, async () => {
    expect(MEMORY_ALERT_NAMES.toSorted()).toEqual([...MEMORY_ALERTS].toSorted());
    const memoryAlerts = `alertname=~"${MEMORY_ALERT_NAMES.join('|')}"`;
    /** Every ALERTS series of `service` in the state given, over the last `window`, with how many evaluations it was seen in. */
    const alertsOf = async (service: ServiceProcess, state: 'firing' | 'pending', window: string): Promise<string[]> =>
      (await prometheus!.query(`count_over_time(ALERTS{job="bms", instance="${service.instance}", alertstate="${state}", ${memoryAlerts}}[${window}])`))
        .map((s) => `${s.metric.alertname ?? '?'}{memscope_memory_type="${s.metric.memscope_memory_type ?? ''}"} ${state} in ${s.value[1]} evaluations`);
    const sinceStart = (service: ServiceProcess): string => `${Math.ceil((Date.now() - service.startedAt) / 1000) + 5}s`;
    const fromWebhook = (): ReceivedAlert[] => webhook!.alerts().filter((a) => a.labels.instance === healthy.instance);

    // At least as long as the leaking service needed (or was allowed) to alert, plus a margin; checked every few
    // seconds on the way so that a false alarm fails at once.
    const watchedSeconds = Math.max(EXPECTED_ALERT_SECONDS, leakAlertSeconds ?? EXPECTED_ALERT_SECONDS + ALERT_MARGIN_SECONDS) + QUIET_MARGIN_SECONDS;
    const until = healthy.startedAt + watchedSeconds * 1000;
    for (;;) {
      const firing = await alertsOf(healthy, 'firing', sinceStart(healthy));
      const why = firing.length === 0 ? '' : `\nthe leak rule's inputs for it (seconds after its start = value):\n${await leakRuleInputs(healthy)}`;
      expect(firing, `memory alerts firing for the healthy service${why}`).toEqual([]);
      expect(fromWebhook(), 'notifications about the healthy service').toEqual([]);
      if (Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    // The same query sees the leaking service's alert, so its empty answer for the healthy one means something.
    expect((await alertsOf(leaky, 'firing', sinceStart(leaky))).join('\n')).toContain('MemscopeMemoryLeakSuspected');
    // Not even a non-memory alert fired for the healthy service over the whole run.
    expect((await prometheus!.query(`count_over_time(ALERTS{instance="${healthy.instance}", alertstate="firing"}[${sinceStart(healthy)}])`)).map((s) => s.metric)).toEqual([]);
    // ... and the rules had data to judge it by: the ratios they compare exist for it.
    for (const series of ['instance:memscope_heap_used_ratio:limit', 'instance:memscope_rss_used_ratio:container_limit', 'instance:memscope_heap_limit_ratio:container_limit', 'instance:memscope_gc_time_ratio:rate', 'instance_memscope_memory_type:memscope_memory_post_gc_bytes:deriv']) {
      expect(await prometheus!.query(`${series}{instance="${healthy.instance}"}`), series).not.toEqual([]);
    }
    // Pending is not an alert (`for` exists to absorb it), but how close the healthy service came is worth knowing.
    const pending = await alertsOf(healthy, 'pending', sinceStart(healthy));
    console.log(
      `healthy service watched for ${((Date.now() - healthy.startedAt) / 1000).toFixed(1)} s: no memory alert fired; ` +
        `pending on the way (rules evaluated every ${TEST.evaluationInterval ?? '?'}): ${pending.join(', ') || 'none'}`,
    );
  });

  it('returns data for every panel query of every dashboard, the Stress test ones from k6 series written remotely', { timeout: 60_000 }, async () => {
    const fixture = JSON.parse(readFileSync(fromRoot('test/fixtures/k6-remote-write-series.json'), 'utf8')) as { series: K6FixtureSeries[] };
    await remoteWrite(prometheus!.url, k6FixtureSeries(fixture, { endMs: Date.now(), spanSeconds: K6_SPAN_SECONDS, stepSeconds: K6_PUSH_SECONDS }));
    await prometheus!.waitFor('k6_vus', (r) => r.length > 0, 10_000);

    // The whole run, in steps that end exactly now: the newest sample (the alert that just fired) is in the answer.
    const end = Date.now() / 1000;
    const start = end - Math.ceil((end - Math.min(leaky.startedAt, healthy.startedAt) / 1000) / STEP_SECONDS) * STEP_SECONDS;
    const failures: string[] = [];
    let checked = 0;
    for (const dashboard of buildDashboards()) {
      const { values, formatted } = await resolveVariables(dashboard, start, end);
      expectVariables(dashboard, values, fixture);
      for (const query of listPanelQueries({ dashboards: [dashboard], variables: formatted, rateInterval: RATE_INTERVAL })) {
        checked++;
        const problem = await checkQuery(query, start, end);
        if (problem !== undefined) {
          failures.push(`${query.dashboardTitle} / ${query.kind} "${query.title}" (id ${query.panelId}, ${query.refId}${query.instant ? ', instant' : ''}): ${query.expr} -> ${problem}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(failures, `panel queries without data:\n${failures.join('\n')}`).toEqual([]);
  });

  it('served both services the same load, within the profile\'s error budget', () => {
    const [onLeaky, onHealthy] = load!.stats() as [TargetLoadStats, TargetLoadStats];
    expect(onLeaky.submitted).toBe(onHealthy.submitted);
    expect(onHealthy.submitted).toBeGreaterThan(100);
    for (const target of [onLeaky, onHealthy]) {
      expect(target.errorCount / target.submitted, `${target.url}: ${target.errors.join('\n')}`).toBeLessThanOrEqual(profile.thresholds.httpReqFailedRate);
      expect(target.succeeded).toBeGreaterThan(0.9 * target.submitted);
    }
  });
});

/** The leak rule's inputs for one service over its life, one line per series, for a failure message. */
async function leakRuleInputs(service: ServiceProcess): Promise<string> {
  const start = service.startedAt / 1000;
  const lines: string[] = [];
  for (const name of ['memscope_leak_suspected', 'instance_memscope_memory_type:memscope_memory_post_gc_bytes:deriv']) {
    const expr = encodeURIComponent(`${name}{instance="${service.instance}"}`);
    const data = await prometheus!.api<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>(
      `/api/v1/query_range?query=${expr}&start=${start}&end=${Date.now() / 1000}&step=${STEP_SECONDS}`,
    );
    for (const series of data.result) {
      const points = series.values.map(([t, v]) => `${Math.round(t - start)}=${Math.round(Number(v))}`);
      lines.push(`${name}{memscope_memory_type="${series.metric.memscope_memory_type ?? ''}"}: ${points.join(' ')}`);
    }
  }
  return lines.join('\n');
}

// --- dashboards -------------------------------------------------------------------------------------------------

/**
 * The values of a dashboard's query variables, found the way Grafana finds them: `label_values(selector, label)` is
 * Prometheus' label-values API with the selector as `match[]`, earlier variables substituted into later ones. Every
 * value found is selected, so every query runs against every instance and phase, and each is formatted as Grafana's
 * Prometheus data source formats it (`formatted`, what the queries receive).
 */
async function resolveVariables(dashboard: Dashboard, start: number, end: number): Promise<{ values: Record<string, string[]>; formatted: Record<string, string> }> {
  const values: Record<string, string[]> = {};
  const formatted: Record<string, string> = {};
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    // Stored as a string, or as `{ query }` by newer Grafana versions.
    const raw = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const query = typeof raw === 'string' ? raw : '';
    const m = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(query.trim());
    if (m === null) throw new Error(`${dashboard.uid ?? ''}: variable ${variable.name} is not a label_values() query: ${query}`);
    const [, selector, label = ''] = m;
    const match = selector === undefined ? '' : `&match[]=${encodeURIComponent(substituteQuery(selector, { variables: formatted }))}`;
    const found = await prometheus!.api<string[]>(`/api/v1/label/${label}/values?start=${start}&end=${end}${match}`);
    values[variable.name] = found;
    formatted[variable.name] = variable.multi === true || variable.includeAll === true ? grafanaMultiValue(found) : (found[0] ?? '');
  }
  return { values, formatted };
}

/**
 * Grafana's Prometheus data source for a multi-value selection: `(a|b)`, every value regex-escaped with a doubled
 * backslash (`prometheusSpecialRegexEscape`: the regex `127\.0` written inside a PromQL string is `"127\\.0"`).
 * substituteQuery's array form escapes with a single backslash, which Prometheus rejects (`"127\.0"`: unknown escape
 * sequence), so the values are formatted here and handed over as the regex string it inserts unchanged.
 */
function grafanaMultiValue(values: readonly string[]): string {
  // A backslash becomes four (an escaped backslash in the regex, each doubled in the string), any other regex
  // metacharacter gets two in front.
  const escaped = values.map((v) => v.replace(/\\/g, '\\\\\\\\').replace(/[\^$*+?.()|[\]{}]/g, '\\\\$&'));
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

function expectVariables(dashboard: Dashboard, values: Record<string, string[]>, fixture: { series: K6FixtureSeries[] }): void {
  const expected: Record<string, string[]> = {
    job: ['bms'],
    instance: [leaky.instance, healthy.instance].toSorted(),
    testid: [...new Set(fixture.series.map((s) => s.labels.testid ?? ''))],
  };
  for (const [name, found] of Object.entries(values)) {
    const want = expected[name];
    if (want === undefined) expect(found, `${dashboard.uid ?? ''}: $${name}`).not.toEqual([]);
    else expect(found.toSorted(), `${dashboard.uid ?? ''}: $${name}`).toEqual(want);
  }
}

interface PromSeries { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }

/**
 * Runs a query as Grafana would — a range query over the whole run for a graph or stat panel and an annotation, an
 * instant one for an instant panel — and returns what is wrong with the answer, or undefined when at least one series
 * has a finite value.
 */
async function checkQuery(query: PanelQuery, start: number, end: number): Promise<string | undefined> {
  const expr = encodeURIComponent(query.expr);
  let data: { resultType: string; result: PromSeries[] | [number, string] };
  try {
    data = query.instant
      ? await prometheus!.api(`/api/v1/query?query=${expr}&time=${end}`)
      : await prometheus!.api(`/api/v1/query_range?query=${expr}&start=${start}&end=${end}&step=${STEP_SECONDS}`);
  } catch (error) {
    return `query failed: ${(error as Error).message}`;
  }
  if (data.resultType === 'scalar') return Number.isFinite(Number((data.result as [number, string])[1])) ? undefined : `scalar ${JSON.stringify(data.result)}`;
  const series = data.result as PromSeries[];
  const finite = series.some((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => Number.isFinite(Number(v))));
  if (finite) return undefined;
  return series.length === 0 ? 'no series' : `${series.length} series, none with a finite value: ${JSON.stringify(series).slice(0, 300)}`;
}
