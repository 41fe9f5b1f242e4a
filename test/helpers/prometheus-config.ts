import { parse, stringify } from 'yaml';

/**
 * Turns deploy/prometheus/prometheus.yml (written for docker compose) into the configuration of a Prometheus run by a
 * test: the service's job scrapes given addresses instead of resolving the compose service name, rule files and the
 * Alertmanager come from the test. Everything else — the job name, metrics path, intervals, the rest of the file —
 * stays as deployed, so the end-to-end test exercises the real configuration.
 */
export interface PrometheusConfigOverrides {
  /** `host:port` of each replica of the service; replaces the job's service discovery with `static_configs`. */
  targets: readonly string[];
  /** Rule files (absolute paths or globs); replaces `rule_files`. @default the file's own */
  ruleFiles?: readonly string[];
  /** `host:port` of an Alertmanager; `null` removes `alerting`. @default the file's own */
  alertmanager?: string | null;
  /** The service's job. @default 'bms' */
  job?: string;
  /**
   * Other scrape jobs (Prometheus itself, Alertmanager) point at compose host names that do not resolve outside
   * compose, so they are dropped unless kept on purpose.
   * @default 'drop'
   */
  otherJobs?: 'keep' | 'drop';
  /** Overrides `global.scrape_interval` (tests scrape every second or two). @default the file's own */
  scrapeInterval?: string;
  /** Overrides `global.evaluation_interval`. @default the file's own */
  evaluationInterval?: string;
}

/** Marks a rewritten file, so nobody mistakes it for the deployed one under deploy/. */
const HEADER = '# rewritten for a test by test/helpers/prometheus-config.ts from the one under deploy/\n';
const SD_KEYS = /_sd_configs$|^static_configs$/;

export function rewritePrometheusConfig(text: string, overrides: PrometheusConfigOverrides): string {
  const config = parse(text) as Record<string, unknown>;
  const job = overrides.job ?? 'bms';
  const jobs = (config.scrape_configs ?? []) as Array<Record<string, unknown>>;
  const found = jobs.findIndex((j) => j.job_name === job);
  if (found < 0) throw new Error(`prometheus.yml has no scrape job named ${JSON.stringify(job)}`);
  if (overrides.targets.length === 0) throw new Error('targets must list at least one host:port');

  const service = {
    ...Object.fromEntries(Object.entries(jobs[found]!).filter(([key]) => !SD_KEYS.test(key))),
    static_configs: [{ targets: [...overrides.targets] }],
  };
  config.scrape_configs = (overrides.otherJobs ?? 'drop') === 'keep' ? jobs.with(found, service) : [service];

  if (overrides.ruleFiles !== undefined) config.rule_files = [...overrides.ruleFiles];
  if (overrides.alertmanager === null) delete config.alerting;
  else if (overrides.alertmanager !== undefined) {
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: [overrides.alertmanager] }] }] };
  }
  const global = (config.global ?? {}) as Record<string, unknown>;
  if (overrides.scrapeInterval !== undefined) global.scrape_interval = overrides.scrapeInterval;
  if (overrides.evaluationInterval !== undefined) global.evaluation_interval = overrides.evaluationInterval;
  config.global = global;
  return `${HEADER}${stringify(config, { lineWidth: 0 })}`;
}

export interface AlertmanagerConfigOverrides {
  /** Where every receiver posts instead of the compose `alert-webhook` service. */
  webhookUrl: string;
  /** Shortens the root route's timings (and every child's that sets its own) so a test sees notifications quickly. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

/**
 * deploy/alertmanager/alertmanager.yml with every webhook pointed at `webhookUrl` and, optionally, shorter timings;
 * routes, receivers and inhibit rules stay as deployed.
 */
export function rewriteAlertmanagerConfig(text: string, overrides: AlertmanagerConfigOverrides): string {
  const config = parse(text) as {
    route: Record<string, unknown> & { routes?: Array<Record<string, unknown>> };
    receivers: Array<{ webhook_configs?: Array<{ url: string }> }>;
  };
  let webhooks = 0;
  for (const receiver of config.receivers) {
    for (const hook of receiver.webhook_configs ?? []) {
      hook.url = overrides.webhookUrl;
      webhooks++;
    }
  }
  if (webhooks === 0) throw new Error('alertmanager.yml has no webhook receiver to point at the test');
  const timings = { group_wait: overrides.groupWait, group_interval: overrides.groupInterval, repeat_interval: overrides.repeatInterval };
  for (const route of [config.route, ...(config.route.routes ?? [])]) {
    for (const [key, value] of Object.entries(timings)) {
      if (value !== undefined && (route === config.route || key in route)) route[key] = value;
    }
  }
  return `${HEADER}${stringify(config, { lineWidth: 0 })}`;
}
