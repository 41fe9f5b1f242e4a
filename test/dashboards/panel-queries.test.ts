import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, listPanelQueries, substituteQuery } from '../../src/dashboards/index.js';
import { ROOT } from '../helpers/child.js';

const fromFiles = DASHBOARDS.map((d) => JSON.parse(readFileSync(join(ROOT, 'dashboards', d.file), 'utf8')) as Dashboard);

describe('listPanelQueries', () => {
  it('lists every target of every panel and every annotation query, named by dashboard, panel and refId', () => {
    const queries = listPanelQueries({ dashboards: fromFiles });
    let targets = 0;
    for (const d of fromFiles) {
      for (const p of (d.panels ?? []) as Array<{ targets?: unknown[]; panels?: Array<{ targets?: unknown[] }> }>) {
        targets += (p.targets ?? []).length + (p.panels ?? []).reduce((n, nested) => n + (nested.targets ?? []).length, 0);
      }
    }
    const annotations = fromFiles.reduce((n, d) => n + (d.annotations?.list ?? []).length, 0);
    expect(queries.filter((q) => q.kind === 'panel')).toHaveLength(targets);
    expect(queries.filter((q) => q.kind === 'annotation')).toHaveLength(annotations);
    const keys = queries.map((q) => `${q.dashboardUid}/${q.panelId}/${q.refId}/${q.kind}/${q.title}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(queries.find((q) => q.title === 'RSS against the container limit' && q.refId === 'C')).toMatchObject({
      dashboardUid: 'memscope-memory-overview',
      instant: false,
      expr: 'memscope_container_memory_limit_bytes{job=~"bms", instance=~".+"}',
    });
  });

  it('defaults to the generated dashboards, which equal the files', () => {
    expect(listPanelQueries()).toEqual(listPanelQueries({ dashboards: fromFiles }));
  });

  it('leaves no Grafana variable unexpanded', () => {
    for (const q of listPanelQueries({ rateInterval: '2m', range: '30m' })) {
      expect(q.expr, `${q.dashboardUid} / ${q.title}`).not.toMatch(/\$|\[\[/);
    }
  });

  it('marks instant queries (the top-k bar gauges)', () => {
    const top = listPanelQueries().filter((q) => q.instant);
    expect(top.map((q) => q.title)).toEqual(['Top phases by heap growth', 'Top phases by peak RSS']);
    expect(top[0]?.expr).toContain('[1h]');
  });
});

describe('substituteQuery', () => {
  it('replaces $__rate_interval, $__interval and $__range with the given durations', () => {
    expect(substituteQuery('rate(a[$__rate_interval]) + b[$__range] + c[${__interval}]', { rateInterval: '30s', range: '6h', interval: '5s' })).toBe(
      'rate(a[30s]) + b[6h] + c[5s]',
    );
  });

  it('inserts a string value as the regex it is, and an array as Grafana\'s escaped (a|b)', () => {
    expect(substituteQuery('x{job=~"$job", instance=~"${instance}"}', { variables: { job: 'bms|api', instance: ['10.0.0.1:3000', 'h-2:3000'] } })).toBe(
      'x{job=~"bms|api", instance=~"(10\\\\.0\\\\.0\\\\.1:3000|h-2:3000)"}',
    );
    expect(substituteQuery('x{phase=~"[[phase]]"}', { variables: { phase: ['parse'] } })).toBe('x{phase=~"parse"}');
  });

  it('throws on a variable without a value and on a duration Prometheus would reject', () => {
    expect(() => substituteQuery('x{a="$nope"}')).toThrow(/no value for the Grafana variable \$nope/);
    expect(() => substituteQuery('x{a=~"$job"}', { variables: { job: [] } })).toThrow(/at least one value/);
    expect(() => substituteQuery('rate(x[$__rate_interval])', { rateInterval: '1 minute' })).toThrow(/rateInterval must be a Prometheus duration/);
  });
});
