import type { PromDuration } from './thresholds.js';

/** Severity, as in kubernetes-mixin: critical pages a person, warning is queue work, info is context. */
export type Severity = 'critical' | 'warning' | 'info';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: PromDuration;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A Prometheus rule group; `interval` absent means the global evaluation_interval. */
export interface RuleGroup<R extends RecordingRule | AlertingRule> {
  name: string;
  interval?: PromDuration;
  rules: R[];
}
