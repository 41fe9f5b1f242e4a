import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildDashboards, listPanelQueries } from '../../src/dashboards/index.js';
import * as series from '../../src/dashboards/series.js';
import { requireBinary } from '../helpers/prometheus.js';
import { allowedSeries, recordingRuleNames } from './allowed-series.js';
import { rangeFunctionWindows, selectors } from './promql.js';

const allowed = allowedSeries();
const queries = listPanelQueries();

/** The metric of each `label_values(metric{...}, label)` variable query. */
const variableQueries = buildDashboards().flatMap((d) =>
  (d.templating?.list ?? []).flatMap((v) => (v.type === 'query' && typeof v.query === 'string' ? [{ where: `${d.uid ?? ''} $${v.name}`, query: v.query }] : [])),
);

describe('series the dashboards query', () => {
  it('all exist: memscope exposition, recording rules, Prometheus itself or k6 remote write', () => {
    const used = queries.flatMap((q) => selectors(q.rawExpr).map((s) => ({ ...s, where: `${q.dashboardUid} / ${q.title} / ${q.refId}` })));
    expect(used.length).toBeGreaterThan(50);
    for (const s of used) expect(allowed.has(s.metric), `${s.metric} in ${s.where} exists nowhere`).toBe(true);
  });

  it('are filtered only by labels those series carry', () => {
    for (const q of queries) {
      for (const s of selectors(q.rawExpr)) {
        const labels = allowed.get(s.metric)?.labels;
        if (labels === null || labels === undefined) continue;
        for (const l of s.labels) expect(labels.has(l), `${s.metric} has no label ${l} (${q.dashboardUid} / ${q.title})`).toBe(true);
      }
    }
  });

  it('come from every source: exposition, recording rules, Prometheus and k6', () => {
    const sources = new Set(queries.flatMap((q) => selectors(q.rawExpr).map((s) => allowed.get(s.metric)?.source)));
    expect([...sources].sort()).toEqual(['exposition', 'k6', 'prometheus', 'recording rule']);
  });

  it('include the variables\' label_values() metrics', () => {
    expect(variableQueries.length).toBeGreaterThanOrEqual(8);
    for (const v of variableQueries) {
      const m = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(v.query);
      expect(m?.[1] !== undefined && allowed.has(m[1]), `${v.where}: ${v.query}`).toBe(true);
    }
  });

  it('are named in src/dashboards/series.ts, each of which exists', () => {
    const names = Object.values(series).flatMap((v) => (typeof v === 'string' ? [v] : []));
    for (const name of names) {
      const histogram = allowed.has(`${name}_count`) && allowed.has(`${name}_bucket`);
      expect(allowed.has(name) || histogram, name).toBe(true);
    }
  });

  it('include the recording rules file helper A generates', () => {
    expect(recordingRuleNames()).toContain(series.RULE_HEAP_OF_LIMIT);
    expect(recordingRuleNames()).toContain(series.RULE_RSS_OF_CONTAINER_LIMIT);
  });
});

describe('dashboard queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memscope-dashboards-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('all parse as PromQL (promtool check rules, Prometheus 2.42\'s parser)', () => {
    requireBinary('promtool', 'install it with: apt-get install -y --no-install-recommends prometheus');
    const rules = queries.map((q, i) => ({ record: `memscope_dashboard_query_${i}`, expr: q.expr }));
    const file = join(dir, 'queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }, { lineWidth: 0 }));
    const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
    expect(run.status).toBe(0);
  });

  it('would fail a query that does not parse', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'g', rules: [{ record: 'r', expr: 'sum by (job (up)' }] }] }));
    expect(spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' }).status).not.toBe(0);
  });
});

describe('selectors() and rangeFunctionWindows() (the test\'s own PromQL reading)', () => {
  it('find series and their matchers, not functions, grouping labels or strings', () => {
    expect(selectors('histogram_quantile(0.99, sum by (le, v8js_gc_type) (rate(v8js_gc_duration_seconds_bucket{job=~"$job", instance=~"a|b"}[$__rate_interval])))')).toEqual([
      { metric: 'v8js_gc_duration_seconds_bucket', labels: ['job', 'instance'] },
    ]);
    expect(selectors('a / on (job, instance) max by (job) (b{x="up"}) > 0.9 and c offset 5m')).toEqual([
      { metric: 'a', labels: [] },
      { metric: 'b', labels: ['x'] },
      { metric: 'c', labels: [] },
    ]);
    expect(selectors('topk(10, max without (pod) (max_over_time(instance:m:sum{y!~"z"}[1h])))')).toEqual([{ metric: 'instance:m:sum', labels: ['y'] }]);
  });

  it('read the window of each rate, irate and increase', () => {
    expect(rangeFunctionWindows('sum(rate(a[5m])) / sum(irate(b{c="]"}[$__rate_interval])) + increase(c[1h:1m])')).toEqual([
      { fn: 'rate', windows: ['5m'] },
      { fn: 'irate', windows: ['$__rate_interval'] },
      { fn: 'increase', windows: ['1h:1m'] },
    ]);
  });
});
