import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERTMANAGER_UID, PROMETHEUS_UID } from '../../src/dashboards/index.js';
import { ROOT } from '../helpers/child.js';
import { bindMounts, COMPOSE } from './compose-file.js';

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  access: string;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
}
const read = (path: string): unknown => parse(readFileSync(join(ROOT, path), 'utf8'));
const { datasources } = read('deploy/grafana/provisioning/datasources/memscope.yaml') as { apiVersion: number; datasources: Datasource[] };
const { providers } = read('deploy/grafana/provisioning/dashboards/memscope.yaml') as {
  providers: Array<{ type: string; folder: string; allowUiUpdates: boolean; options: { path: string } }>;
};
const grafana = COMPOSE.services.grafana!;

/** Where compose publishes a service inside the stack's network: http://<service>:<container port>. */
function containerPorts(service: string): string[] {
  return (COMPOSE.services[service]?.ports ?? []).map((p) => p.split(':').at(-1) ?? '');
}

describe('Grafana provisioning', () => {
  it('provisions Prometheus (the default) and Alertmanager under the uids the dashboards use', () => {
    expect(datasources.map((d) => [d.uid, d.type])).toEqual([
      [PROMETHEUS_UID, 'prometheus'],
      [ALERTMANAGER_UID, 'alertmanager'],
    ]);
    expect(datasources.filter((d) => d.isDefault === true).map((d) => d.uid)).toEqual([PROMETHEUS_UID]);
    expect(datasources.find((d) => d.type === 'prometheus')?.jsonData?.alertmanagerUid).toBe(ALERTMANAGER_UID);
  });

  it('points each data source at its compose service, through Grafana\'s server (proxy access)', () => {
    for (const d of datasources) {
      const url = new URL(d.url);
      expect(Object.keys(COMPOSE.services)).toContain(url.hostname);
      expect(containerPorts(url.hostname)).toContain(url.port);
      expect(d.access).toBe('proxy');
    }
  });

  it('tells Grafana the scrape interval, so $__rate_interval spans at least four scrapes', () => {
    const prometheus = read('deploy/prometheus/prometheus.yml') as { global: { scrape_interval: string } };
    expect(datasources.find((d) => d.uid === PROMETHEUS_UID)?.jsonData?.timeInterval).toBe(prometheus.global.scrape_interval);
  });

  it('reads the dashboards from where compose mounts dashboards/, read-only in the UI', () => {
    expect(providers).toHaveLength(1);
    const [provider] = providers;
    expect(provider?.type).toBe('file');
    expect(provider?.allowUiUpdates).toBe(false);
    expect(bindMounts(grafana)).toEqual(
      expect.arrayContaining([
        { source: './dashboards', target: provider?.options.path, readOnly: true },
        { source: './deploy/grafana/provisioning', target: '/etc/grafana/provisioning', readOnly: true },
      ]),
    );
  });

  it('lets anyone look and nobody edit anonymously, and opens on the memory overview', () => {
    expect(grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer', GF_USERS_ALLOW_SIGN_UP: 'false' });
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    const path = providers[0]?.options.path ?? '?';
    expect(home.startsWith(`${path}/`)).toBe(true);
    expect(existsSync(join(ROOT, 'dashboards', home.slice(path.length + 1)))).toBe(true);
  });
});
