import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/child.js';

/**
 * Every series a dashboard may query, with the labels it carries (`null`: not known, any label accepted), from the
 * four places series come from. A query of anything else would draw an empty panel.
 */
export type AllowedSeries = Map<string, { source: string; labels: Set<string> | null }>;

/** Labels Prometheus adds to every scraped series: the target's. */
const TARGET_LABELS = ['job', 'instance'];

export const RECORDING_RULES_FILE = 'deploy/prometheus/rules/memscope-recording.yml';
export const K6_FIXTURE = 'test/fixtures/k6-remote-write-series.json';

export function allowedSeries(): AllowedSeries {
  const allowed: AllowedSeries = new Map();
  const add = (name: string, source: string, labels: Iterable<string> | null): void => {
    const known = allowed.get(name);
    if (known?.labels && labels !== null) for (const l of labels) known.labels.add(l);
    else if (known === undefined) allowed.set(name, { source, labels: labels === null ? null : new Set(labels) });
  };

  // memscope's exposition: `name type {label,...}` per family; histograms are stored as their three series.
  for (const line of readFileSync(join(ROOT, 'test/golden/exposition.txt'), 'utf8').split('\n')) {
    const m = /^(\S+) (\S+) \{([^}]*)\}$/.exec(line.trim());
    if (m === null) continue;
    const [, name = '', type, list = ''] = m;
    const labels = [...list.split(',').filter((l) => l !== ''), ...TARGET_LABELS];
    if (type === 'histogram') {
      add(`${name}_bucket`, 'exposition', [...labels, 'le']);
      add(`${name}_sum`, 'exposition', labels);
      add(`${name}_count`, 'exposition', labels);
    } else add(name, 'exposition', labels);
  }

  // Prometheus' own: one `up` per target, and ALERTS for every pending or firing alert (alert labels vary by rule).
  add('up', 'prometheus', TARGET_LABELS);
  for (const name of ['scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']) {
    add(name, 'prometheus', TARGET_LABELS);
  }
  add('ALERTS', 'prometheus', null);

  // The recording rules helper A generates (their output labels depend on each rule's grouping).
  for (const name of recordingRuleNames()) add(name, 'recording rule', null);

  // k6's remote-write output.
  const k6 = JSON.parse(readFileSync(join(ROOT, K6_FIXTURE), 'utf8')) as { series: Array<{ name: string; labels: Record<string, string> }> };
  for (const s of k6.series) add(s.name, 'k6', Object.keys(s.labels));
  return allowed;
}

export function recordingRuleNames(): string[] {
  const path = join(ROOT, RECORDING_RULES_FILE);
  if (!existsSync(path)) return [];
  const doc = parse(readFileSync(path, 'utf8')) as { groups?: Array<{ rules?: Array<{ record?: string }> }> };
  return (doc.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((r) => (r.record === undefined ? [] : [r.record])));
}
