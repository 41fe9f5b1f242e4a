import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { AVAILABILITY_ALERTS, MEMORY_ALERTS, RUNBOOK_BASE } from '../../src/monitoring/alert-rules.js';
import { RECORDED_SERIES } from '../../src/monitoring/recording-rules.js';
import { ALERTS_FILE, GENERATED_MARKER, RECORDING_FILE, RULE_DIRS, allRuleFiles } from '../../src/monitoring/render-rules.js';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../src/monitoring/rule-types.js';
import { fromRoot, readText, readYaml, tool } from './tools.js';

type AnyRule = AlertingRule | RecordingRule;
const rulesOf = (path: string): AnyRule[] => (readYaml(path) as { groups: RuleGroup<AnyRule>[] }).groups.flatMap((g) => g.rules);
const alertsOf = (path: string): AlertingRule[] => rulesOf(path).filter((r): r is AlertingRule => 'alert' in r);

const PRODUCTION_ALERTS = `${RULE_DIRS.production}/${ALERTS_FILE}`;
const PRODUCTION_RECORDING = `${RULE_DIRS.production}/${RECORDING_FILE}`;
const GENERATED = allRuleFiles();
const UNIT_TESTS = readdirSync(fromRoot('test/rules')).filter((f) => f.endsWith('.test.yml')).sort();

describe('generated rule files', () => {
  it('are what scripts/generate-rules.ts writes today (regenerating changes nothing)', () => {
    for (const file of GENERATED) {
      expect(readText(file.path), `${file.path} is stale: run npx tsx scripts/generate-rules.ts`).toBe(file.text);
    }
    expect(GENERATED.map((f) => f.path).sort()).toEqual([
      'deploy/prometheus/rules/memscope-alerts.yml', 'deploy/prometheus/rules/memscope-recording.yml',
      'test/rules/generated/memscope-alerts.yml', 'test/rules/generated/memscope-recording.yml',
    ]);
  });

  it('say in their first line that they are generated', () => {
    for (const file of GENERATED) expect(file.text.split('\n')[0]).toBe(GENERATED_MARKER);
  });

  it('pass promtool check rules', () => {
    const run = tool('promtool', ['check', 'rules', ...GENERATED.map((f) => fromRoot(f.path))]);
    expect(run.output).not.toMatch(/FAILED|error/i);
    expect(run.status, run.output).toBe(0);
    expect(run.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(GENERATED.length);
  });

  it('hold every alert of the two lists, and no other', () => {
    const names = [...new Set(alertsOf(PRODUCTION_ALERTS).map((a) => a.alert))].sort();
    expect(names).toEqual([...MEMORY_ALERTS, ...AVAILABILITY_ALERTS].sort());
    expect(rulesOf(PRODUCTION_RECORDING).map((r) => (r as RecordingRule).record)).toEqual([...RECORDED_SERIES]);
  });

  it('give every alert a severity, a for, a summary, a description and a runbook_url', () => {
    for (const a of alertsOf(PRODUCTION_ALERTS)) {
      expect(['critical', 'warning', 'info'], a.alert).toContain(a.labels.severity);
      expect(a.for, a.alert).toMatch(/^\d+[smhd]$/);
      expect(a.annotations.summary.length, a.alert).toBeGreaterThan(10);
      // Per-instance alerts name the instance; a job-level alert (its job a static label) names the job.
      if (a.labels.job === undefined) expect(a.annotations.description, a.alert).toContain('{{ $labels.instance }}');
      else expect(a.annotations.description, a.alert).toContain(`job ${a.labels.job}`);
      expect(a.annotations.runbook_url, a.alert).toBe(`${RUNBOOK_BASE}#${a.alert.toLowerCase()}`);
    }
  });

  it('differ between the production and test profiles only in numbers', () => {
    const numbersOut = (rule: AnyRule): string => JSON.stringify(rule).replace(/\d+(\.\d+)?(e[+-]?\d+)?(s|m|h|d)?\b/g, 'N');
    const production = rulesOf(PRODUCTION_ALERTS).concat(rulesOf(PRODUCTION_RECORDING)).map(numbersOut);
    const test = rulesOf(`${RULE_DIRS.test}/${ALERTS_FILE}`).concat(rulesOf(`${RULE_DIRS.test}/${RECORDING_FILE}`)).map(numbersOut);
    expect(test).toEqual(production);
  });
});

describe('rule expressions', () => {
  /** name -> label names, from the golden exposition the exporter test pins. */
  const golden = new Map(
    readText('test/golden/exposition.txt').trim().split('\n').map((line) => {
      const [name, type, labels] = line.split(' ');
      return [name!, { type: type!, labels: new Set(labels!.slice(1, -1).split(',').filter((l) => l !== '')) }] as const;
    }),
  );
  const family = (name: string): { type: string; labels: Set<string> } | undefined =>
    golden.get(name) ?? (/_(bucket|sum|count)$/.test(name) ? golden.get(name.replace(/_(bucket|sum|count)$/, '')) : undefined);
  const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset']);

  /** Selectors of a PromQL expression: grouping clauses, ranges and function names taken out. */
  function selectors(expr: string): Array<{ name: string; labels: string[] }> {
    const bare = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    return [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])\s*(\{[^}]*\})?(?!\s*\()/g)]
      .filter((m) => !KEYWORDS.has(m[1]!))
      .map((m) => ({ name: m[1]!, labels: [...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!) }));
  }

  it('read only series the exporter emits (test/golden/exposition.txt), recorded series and up, with their labels', () => {
    const used = new Set<string>();
    for (const rule of [...rulesOf(PRODUCTION_RECORDING), ...rulesOf(PRODUCTION_ALERTS)]) {
      for (const { name, labels } of selectors(rule.expr)) {
        used.add(name);
        if (name === 'up' || (RECORDED_SERIES as readonly string[]).includes(name)) continue;
        const f = family(name);
        expect(f, `${name} in ${rule.expr}`).toBeDefined();
        for (const label of labels) expect([...f!.labels, 'job', 'instance', 'le'], `${name}{${label}}`).toContain(label);
      }
    }
    // The extraction itself is checked: it must see the series the rules are known to read.
    expect([...used]).toEqual(expect.arrayContaining([
      'v8js_memory_heap_used_bytes', 'memscope_container_memory_limit_bytes', 'v8js_gc_duration_seconds_sum',
      'memscope_leak_suspected', 'memscope_process_start_time_seconds', 'memscope_phase_memory_delta_bytes', 'up',
      'memscope_probe_errors_total', 'instance:memscope_heap_used_ratio:limit',
    ]));
    expect(selectors('sum by (job) (rate(x_total{a="1"}[5m])) > 1e9 and on (job) y')).toEqual([
      { name: 'x_total', labels: ['a'] }, { name: 'y', labels: [] },
    ]);
  });
});

describe('docs/runbook.md', () => {
  const runbook = readText('docs/runbook.md');
  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
  const sections = [...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
  const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

  it('has a section for every runbook_url, and an alert for every section', () => {
    const alerts = alertsOf(PRODUCTION_ALERTS);
    for (const a of alerts) expect([...anchors], a.alert).toContain(a.annotations.runbook_url.split('#')[1]);
    expect(sections.sort()).toEqual([...new Set(alerts.map((a) => a.alert))].sort());
  });

  it('says in each section what the alert means, how to confirm it and what to do', () => {
    for (const body of runbook.split(/^## /m).slice(1)) {
      const title = body.split('\n')[0];
      for (const part of ['**What it means.**', '**Confirm it.**', '**What to do.**']) expect(body, `${title}: ${part}`).toContain(part);
    }
  });

  it('links only to anchors it has', () => {
    for (const m of runbook.matchAll(/\]\(#([^)]+)\)/g)) expect([...anchors]).toContain(m[1]);
  });
});

describe('promtool unit tests (test/rules/*.test.yml)', () => {
  it.each(UNIT_TESTS)('%s passes promtool test rules', (file) => {
    const run = tool('promtool', ['test', 'rules', file], fromRoot('test/rules'));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('show each alert and severity on both sides of its for, firing with its labels and annotations', () => {
    interface ExpAlert { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }
    interface TestFile { rule_files: string[]; tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: ExpAlert[] }> }> }
    const cases = UNIT_TESTS.map((f) => readYaml(`test/rules/${f}`) as TestFile)
      .filter((t) => t.rule_files.some((r) => r.includes('deploy/prometheus/rules')))
      .flatMap((t) => t.tests.flatMap((g) => g.alert_rule_test ?? []));
    for (const rule of alertsOf(PRODUCTION_ALERTS)) {
      const severity = rule.labels.severity;
      const named = cases.filter((c) => c.alertname === rule.alert);
      const firing = named.flatMap((c) => c.exp_alerts ?? []).filter((a) => a.exp_labels?.severity === severity);
      expect(firing.length, `${rule.alert} (${severity}) is never shown firing`).toBeGreaterThan(0);
      for (const a of firing) expect(Object.keys(a.exp_annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      const silent = named.filter((c) => !(c.exp_alerts ?? []).some((a) => a.exp_labels?.severity === severity));
      expect(silent.length, `${rule.alert} (${severity}) is never shown not firing`).toBeGreaterThan(0);
    }
  });

  it('fail when an expectation is wrong (the runner is not vacuous)', () => {
    const parsed = parse(readText('test/rules/heap-near-limit.test.yml').replace('has used 88%', 'has used 87%')) as { rule_files: string[] };
    parsed.rule_files = parsed.rule_files.map((r) => fromRoot(r.replace('../../', '')));
    const dir = mkdtempSync(join(tmpdir(), 'memscope-rules-'));
    try {
      writeFileSync(join(dir, 'wrong.test.yml'), stringify(parsed));
      const run = tool('promtool', ['test', 'rules', 'wrong.test.yml'], dir);
      expect(run.status).toBe(1);
      expect(run.output).toContain('FAILED');
      expect(run.output).toContain('has used 87%');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
