import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { MEMORY_ALERTS } from '../../src/monitoring/alert-rules.js';
import { ALERTS_FILE, RECORDING_FILE, RULE_DIRS } from '../../src/monitoring/render-rules.js';
import { rewriteAlertmanagerConfig, rewritePrometheusConfig } from '../helpers/prometheus-config.js';
import { fromRoot, readText, tool } from './tools.js';

const PROMETHEUS_YML = readText('deploy/prometheus/prometheus.yml');
const ALERTMANAGER_YML = readText('deploy/alertmanager/alertmanager.yml');
const dir = mkdtempSync(join(tmpdir(), 'memscope-configs-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Writes `text` into the temp dir and returns its path. */
function temp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface PromConfig {
  global: Record<string, string>;
  rule_files: string[];
  alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  scrape_configs: Array<Record<string, unknown> & { job_name: string }>;
}

describe('deploy/prometheus/prometheus.yml', () => {
  const config = parse(PROMETHEUS_YML) as PromConfig;

  it('passes promtool check config as deployed', () => {
    const run = tool('promtool', ['check', 'config', fromRoot('deploy/prometheus/prometheus.yml')]);
    expect(run.status, run.output).toBe(0);
  });

  it('passes promtool check config with its rule files resolved to the generated ones, every rule loading', () => {
    const resolved = { ...config, rule_files: config.rule_files.map((f) => f.replace('/etc/prometheus/rules', fromRoot(RULE_DIRS.production))) };
    const run = tool('promtool', ['check', 'config', temp('resolved.yml', stringify(resolved))]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS: 2 rule files found');
    expect(run.output).toContain(`${ALERTS_FILE}\n  SUCCESS: 14 rules found`);
    expect(run.output).toContain(`${RECORDING_FILE}\n  SUCCESS: 8 rules found`);
  });

  it('scrapes every bms replica through DNS service discovery, Prometheus itself and Alertmanager, every 15s', () => {
    expect(config.global).toMatchObject({ scrape_interval: '15s', evaluation_interval: '15s' });
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(config.alerting?.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(['bms', 'prometheus', 'alertmanager']);
    expect(config.scrape_configs[0]!.dns_sd_configs).toEqual([{ names: ['bms'], type: 'A', port: 3000, refresh_interval: '15s' }]);
  });
});

describe('rewritePrometheusConfig', () => {
  it('points the bms job at static targets, rule files and an Alertmanager, and passes promtool check config', () => {
    const rules = [ALERTS_FILE, RECORDING_FILE].map((f) => temp(f, readText(`${RULE_DIRS.test}/${f}`)));
    const text = rewritePrometheusConfig(PROMETHEUS_YML, {
      targets: ['127.0.0.1:41001', '127.0.0.1:41002'], ruleFiles: rules, alertmanager: '127.0.0.1:41003', scrapeInterval: '1s',
    });
    const out = parse(text) as PromConfig;
    expect(out.scrape_configs).toEqual([{ job_name: 'bms', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:41001', '127.0.0.1:41002'] }] }]);
    expect(out.rule_files).toEqual(rules);
    expect(out.alerting?.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['127.0.0.1:41003']);
    expect(out.global).toEqual({ scrape_interval: '1s', evaluation_interval: '15s' });
    expect(text.split('\n')[0]).toMatch(/^# rewritten for a test/);

    const run = tool('promtool', ['check', 'config', temp('rewritten.yml', text)]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS: 2 rule files found');
  });

  it('keeps the other jobs when asked, and removes alerting when the Alertmanager is null', () => {
    const out = parse(rewritePrometheusConfig(PROMETHEUS_YML, { targets: ['a:1'], otherJobs: 'keep', alertmanager: null })) as PromConfig;
    expect(out.scrape_configs.map((j) => j.job_name)).toEqual(['bms', 'prometheus', 'alertmanager']);
    expect(out.alerting).toBeUndefined();
    expect(out.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });

  it('throws when the job does not exist or no target is given', () => {
    expect(() => rewritePrometheusConfig(PROMETHEUS_YML, { targets: ['a:1'], job: 'nope' })).toThrow(/no scrape job named "nope"/);
    expect(() => rewritePrometheusConfig(PROMETHEUS_YML, { targets: [] })).toThrow(/at least one/);
  });
});

describe('deploy/alertmanager/alertmanager.yml', () => {
  interface AmConfig {
    route: { receiver: string; group_by: string[] };
    receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }>;
    inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
  }
  const config = parse(ALERTMANAGER_YML) as AmConfig;
  const routeOf = (file: string, ...labels: string[]): string =>
    tool('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels]).output.split('\n')[0]!.trim();

  it('passes amtool check-config', () => {
    const run = tool('amtool', ['check-config', fromRoot('deploy/alertmanager/alertmanager.yml')]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('3 inhibit rules');
  });

  it('routes critical to page, warning to ticket and info to context, grouped by alertname, job and instance', () => {
    const file = fromRoot('deploy/alertmanager/alertmanager.yml');
    expect(routeOf(file, 'alertname=MemscopeHeapNearLimit', 'severity=critical')).toBe('page');
    expect(routeOf(file, 'alertname=MemscopeHeapNearLimit', 'severity=warning')).toBe('ticket');
    expect(routeOf(file, 'alertname=MemscopePhaseMemoryJump', 'severity=info')).toBe('context');
    expect(config.route.group_by).toEqual(['alertname', 'job', 'instance']);
    for (const r of config.receivers) expect(r.webhook_configs?.[0]?.url, r.name).toBe('http://alert-webhook:8080/alerts');
  });

  it('lets a critical inhibit its warning, a down target its memory alerts, a missing job its down targets', () => {
    const [levels, down, missing] = config.inhibit_rules;
    expect(levels).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'job', 'instance'] });
    expect(down?.source_matchers).toEqual(['alertname="MemscopeTargetDown"']);
    expect(down?.target_matchers).toEqual([`alertname=~"${MEMORY_ALERTS.join('|')}"`]);
    expect(down?.equal).toEqual(['job', 'instance']);
    expect(missing).toEqual({ source_matchers: ['alertname="MemscopeJobMissing"'], target_matchers: ['alertname="MemscopeTargetDown"'], equal: ['job'] });
  });
});

describe('rewriteAlertmanagerConfig', () => {
  it('points every receiver at the test webhook, shortens the timings, and passes amtool check-config', () => {
    const text = rewriteAlertmanagerConfig(ALERTMANAGER_YML, { webhookUrl: 'http://127.0.0.1:41004/hook', groupWait: '1s', groupInterval: '2s' });
    const out = parse(text) as { route: Record<string, unknown> & { routes: Array<Record<string, unknown>> }; receivers: Array<{ webhook_configs: Array<{ url: string }> }> };
    expect(out.receivers.flatMap((r) => r.webhook_configs.map((w) => w.url))).toEqual(Array(3).fill('http://127.0.0.1:41004/hook'));
    expect(out.route).toMatchObject({ group_wait: '1s', group_interval: '2s', repeat_interval: '4h' });
    expect(out.route.routes[0]).toMatchObject({ receiver: 'page', group_wait: '1s', repeat_interval: '1h' });
    expect(out.route.routes[1]).not.toHaveProperty('group_wait');
    const run = tool('amtool', ['check-config', temp('alertmanager.yml', text)]);
    expect(run.status, run.output).toBe(0);
  });
});
