import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS, GENERATED_MARKER, listPanelQueries, PROMETHEUS_UID, renderDashboard } from '../../src/dashboards/index.js';
import { ROOT } from '../helpers/child.js';
import { rangeFunctionWindows } from './promql.js';

const files = DASHBOARDS.map((d) => ({ ...d, text: readFileSync(join(ROOT, 'dashboards', d.file), 'utf8') }));
const parsed = files.map((f) => ({ ...f, json: JSON.parse(f.text) as Dashboard & Record<string, unknown> }));

interface PanelJson {
  type: string;
  title?: string;
  fieldConfig?: { defaults?: { unit?: unknown } };
  panels?: PanelJson[];
}
const panelsOf = (d: Dashboard): PanelJson[] =>
  ((d.panels ?? []) as PanelJson[]).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');

describe('dashboards/*.json', () => {
  it('are exactly what src/dashboards generates, so regenerating changes nothing', () => {
    for (const f of files) expect(f.text, `dashboards/${f.file} is stale: npx tsx scripts/generate-dashboards.ts`).toBe(renderDashboard(f.build()));
  });

  it('are all generated: the generator finds nothing missing, stale or left over', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-dashboards.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const onDisk = readdirSync(join(ROOT, 'dashboards')).filter((f) => f.endsWith('.json')).sort();
    expect(onDisk).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });

  it('come out byte for byte the same on every build (no clock, no randomness)', () => {
    for (const d of DASHBOARDS) expect(renderDashboard(d.build())).toBe(renderDashboard(d.build()));
  });

  it('keep their uids, which links and bookmarks point at', () => {
    expect(parsed.map((d) => d.json.uid)).toEqual(['memscope-memory-overview', 'memscope-phases', 'memscope-stress-test']);
    for (const d of parsed) {
      expect(d.file).toBe(`${d.json.uid ?? ''}.json`);
      expect(d.json.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    }
  });

  it('say they are generated in their first key, the description Grafana keeps', () => {
    for (const d of parsed) {
      expect(Object.keys(d.json)[0]).toBe('description');
      expect(d.json.description).toMatch(new RegExp(`^${GENERATED_MARKER}`));
    }
  });

  it('carry no import-only placeholders', () => {
    for (const f of files) {
      expect(f.text).not.toMatch(/"__inputs"|"__requires"|"__elements"|\$\{DS_/);
    }
  });

  it('give every panel a unit', () => {
    for (const d of parsed) {
      const panels = panelsOf(d.json);
      expect(panels.length).toBeGreaterThan(5);
      for (const p of panels) expect(p.fieldConfig?.defaults?.unit, `${d.file}: ${p.title ?? ''}`).toEqual(expect.stringMatching(/^\S+$/));
    }
  });

  it('take every rate(), irate() and increase() over $__rate_interval', () => {
    const calls = listPanelQueries().flatMap((q) => rangeFunctionWindows(q.rawExpr).map((c) => ({ ...c, where: `${q.dashboardUid} / ${q.title} / ${q.refId}` })));
    expect(calls.length).toBeGreaterThan(10);
    for (const c of calls) expect(c.windows, `${c.fn}() in ${c.where}`).toEqual(['$__rate_interval']);
  });
});

describe('dashboard data sources', () => {
  const provisioned = parse(readFileSync(join(ROOT, 'deploy/grafana/provisioning/datasources/memscope.yaml'), 'utf8')) as {
    datasources: Array<{ name: string; uid: string; type: string }>;
  };
  const byUid = new Map(provisioned.datasources.map((d) => [d.uid, d]));

  it('default to the Prometheus the provisioning creates', () => {
    expect(byUid.get(PROMETHEUS_UID)?.type).toBe('prometheus');
    for (const d of parsed) {
      const variable = d.json.templating?.list?.find((v) => v.type === 'datasource');
      expect(variable?.name).toBe('datasource');
      expect(variable?.query).toBe('prometheus');
      expect(variable?.current?.value).toBe(PROMETHEUS_UID);
      expect(variable?.current?.text).toBe(byUid.get(PROMETHEUS_UID)?.name);
    }
  });

  it('are referenced only through that variable or by a provisioned uid of the right type', () => {
    for (const d of parsed) {
      const refs = datasourceRefs(d.json);
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) {
        if (ref.uid === '${datasource}') expect(ref.type).toBe('prometheus');
        else expect(byUid.get(ref.uid ?? '')?.type, `${d.file}: data source ${JSON.stringify(ref)}`).toBe(ref.type);
      }
    }
  });
});

/** Every `datasource` value anywhere in the JSON; a bare string (a data source *name*, import style) fails. */
function datasourceRefs(node: unknown): Array<{ type?: string; uid?: string }> {
  if (Array.isArray(node)) return node.flatMap(datasourceRefs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key !== 'datasource') return datasourceRefs(value);
    expect(typeof value, 'a data source is referenced by { type, uid }').toBe('object');
    return [value as { type?: string; uid?: string }];
  });
}
