import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPrometheusRule, IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IConfigMap, IService } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../src/dashboards/index.js';
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION, resolveKubernetesOptions } from '../../src/kubernetes/index.js';
import { ALERTS_FILE, RECORDING_FILE, RULE_DIRS } from '../../src/monitoring/render-rules.js';
import { ROOT } from '../helpers/child.js';
import { committedObjects } from '../helpers/kubernetes.js';

const objects = committedObjects().map((o) => o.object);
const service = objects.find((o) => o.kind === 'Service') as unknown as IService;
const monitor = objects.find((o) => o.kind === 'ServiceMonitor') as unknown as IServiceMonitor;
const rule = objects.find((o) => o.kind === 'PrometheusRule') as unknown as IPrometheusRule;
const release = { release: resolveKubernetesOptions().prometheusRelease };

describe('the ServiceMonitor (deploy/kubernetes/app/20-monitoring.yaml)', () => {
  it('selects the BMS Service in its namespace and scrapes its http port at /metrics every 15 s', () => {
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels ?? {})) expect(service.metadata?.labels?.[key], key).toBe(value);
    expect(monitor.spec.namespaceSelector?.matchNames).toEqual([service.metadata?.namespace]);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }]);
    expect(service.spec?.ports?.map((p) => p.name)).toContain(monitor.spec.endpoints[0]?.port);
  });

  it('carries the label the Prometheus Operator\'s Prometheus selects it by, as the PrometheusRule does', () => {
    expect(monitor.metadata?.labels).toMatchObject(release);
    expect(rule.metadata?.labels).toMatchObject(release);
  });
});

describe('the PrometheusRule', () => {
  it('holds exactly the rule groups of deploy/prometheus/rules/ (one source: src/monitoring, production profile)', () => {
    const groups = [RECORDING_FILE, ALERTS_FILE].flatMap(
      (file) => (parse(readFileSync(join(ROOT, RULE_DIRS.production, file), 'utf8')) as { groups: unknown[] }).groups,
    );
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(rule.spec.groups).toEqual(groups);
  });

  it('keeps every alert\'s severity, summary, description, for and runbook_url', () => {
    const alerts = rule.spec.groups?.flatMap((g) => g.rules ?? []).filter((r) => r.alert !== undefined) ?? [];
    expect(alerts.length).toBeGreaterThan(5);
    for (const alert of alerts) {
      expect(alert.labels?.severity, alert.alert).toMatch(/^(critical|warning|info)$/);
      expect(alert.for, alert.alert).toBeTruthy();
      expect(Object.keys(alert.annotations ?? {}).sort(), alert.alert).toEqual(['description', 'runbook_url', 'summary']);
    }
  });
});

describe('the dashboard ConfigMaps (deploy/kubernetes/app/30-dashboards.yaml)', () => {
  const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined) as unknown as IConfigMap[];

  it('hold every dashboard of dashboards/, byte for byte, one per ConfigMap', () => {
    expect(maps.map((m) => Object.keys(m.data ?? {})).flat().sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
    for (const map of maps) {
      for (const [file, text] of Object.entries(map.data ?? {})) expect(text, file).toBe(readFileSync(join(ROOT, 'dashboards', file), 'utf8'));
    }
  });

  it('carry the Grafana sidecar\'s label and folder annotation', () => {
    for (const map of maps) {
      expect(map.metadata?.labels).toMatchObject(GRAFANA_DASHBOARD_LABEL);
      expect(map.metadata?.annotations).toEqual({ [GRAFANA_FOLDER_ANNOTATION]: 'memscope' });
    }
  });
});
