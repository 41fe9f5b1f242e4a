import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../src/dashboards/index.js';
import { ROOT } from '../helpers/child.js';
import { checkJsonTypes, PANEL_TYPES, type JsonCheck } from './schema-check.js';

interface PanelJson {
  type: string;
  title?: string;
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  targets?: unknown[];
  panels?: PanelJson[];
}

const dashboards = DASHBOARDS.map((d) => ({ file: d.file, json: JSON.parse(readFileSync(join(ROOT, 'dashboards', d.file), 'utf8')) as { panels?: PanelJson[] } }));

/** The dashboard as a whole, then each panel's options and field config against its plugin's types, each query. */
function checksFor(file: string, json: { panels?: PanelJson[] }): JsonCheck[] {
  const checks: JsonCheck[] = [{ label: file, type: 'GrafanaDashboard', value: json }];
  const panels = (json.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
  for (const p of panels) {
    const label = `${file} / ${p.title ?? '?'}`;
    checks.push({ label: `${label} options`, type: `Panels['${p.type}']['options']`, value: p.options ?? {} });
    checks.push({ label: `${label} field config`, type: `Panels['${p.type}']['custom']`, value: p.fieldConfig?.defaults?.custom ?? {} });
    for (const target of p.targets ?? []) checks.push({ label: `${label} query`, type: 'PromQuery', value: target });
  }
  return checks;
}

describe('generated dashboards against Grafana\'s schema (@grafana/schema)', () => {
  it('use only panel types whose options the check knows', () => {
    for (const d of dashboards) {
      for (const p of (d.json.panels ?? []).flatMap((x) => [x, ...(x.panels ?? [])])) expect(['row', ...PANEL_TYPES]).toContain(p.type);
    }
  });

  it('conform: dashboard, variables and annotations, each panel\'s options and field config, each query', () => {
    const checks = dashboards.flatMap((d) => checksFor(d.file, d.json));
    expect(checks.length).toBeGreaterThan(100);
    expect(checkJsonTypes(checks)).toEqual([]);
  });

  it('would fail a dashboard with an unknown key, a wrong type or a malformed panel', () => {
    const [first] = dashboards;
    const broken = { ...first!.json, refreshInterval: '30s', schemaVersion: '42' };
    const errors = checkJsonTypes([
      { label: 'unknown key and wrong type', type: 'GrafanaDashboard', value: broken },
      { label: 'bad legend', type: "Panels['timeseries']['options']", value: { legend: { displayMode: 'grid', placement: 'bottom', showLegend: true, calcs: [] } } },
      { label: 'query without expr', type: 'PromQuery', value: { refId: 'A', legend: '{{instance}}' } },
    ]);
    expect(errors.join('\n')).toMatch(/unknown key and wrong type: .*number/);
    expect(errors.join('\n')).toMatch(/bad legend: .*"grid"/);
    expect(errors.join('\n')).toMatch(/query without expr: /);
  });
});
