import type { Dashboard } from '@grafana/schema';
import { buildDashboards } from './registry.js';

/** One PromQL query of a dashboard, ready to run against Prometheus. */
export interface PanelQuery {
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  /** `panel` for a panel's target, `annotation` for an annotation query. */
  readonly kind: 'panel' | 'annotation';
  /** The panel id (0 for an annotation). */
  readonly panelId: number;
  /** The panel title, or the annotation name. */
  readonly title: string;
  readonly refId: string;
  /** Whether Grafana runs it as an instant query (one value at the end of the range) rather than a range query. */
  readonly instant: boolean;
  /** As the dashboard stores it, Grafana variables and all. */
  readonly rawExpr: string;
  /** With every variable replaced: what Prometheus receives. */
  readonly expr: string;
}

export interface ListPanelQueriesOptions {
  /** The dashboards to read (parsed dashboards/*.json, for instance). @default every generated dashboard */
  readonly dashboards?: readonly Dashboard[];
  /**
   * Values of the dashboard variables, by name without `$`. Every query uses them inside regex matchers
   * (`job=~"$job"`): a string is inserted as it is (a regex, so `.+` means all); an array becomes Grafana's
   * multi-value form `(a|b)`, each value regex-escaped.
   * @default { job: 'bms', instance: '.+', phase: '.+', testid: '.+' }
   */
  readonly variables?: Readonly<Record<string, string | readonly string[]>>;
  /** Replaces `$__rate_interval` (Grafana: max(4 × scrape interval, step + scrape interval)). @default '1m' */
  readonly rateInterval?: string;
  /** Replaces `$__interval`. @default '15s' */
  readonly interval?: string;
  /** Replaces `$__range`, the dashboard's time range. @default '1h' */
  readonly range?: string;
}

const DEFAULT_VARIABLES: Readonly<Record<string, string>> = { job: 'bms', instance: '.+', phase: '.+', testid: '.+' };
// $name, ${name} and [[name]], the three forms Grafana expands; `__` names are Grafana's built-ins.
const VARIABLE = /\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g;
const DURATION = /^\d+(ms|s|m|h|d|w|y)$/;

interface PanelLike {
  id?: number;
  title?: string;
  type?: string;
  targets?: Array<Record<string, unknown>>;
  panels?: PanelLike[];
}

/**
 * Every PromQL query of the given dashboards — panels (nested rows included) and annotations — with Grafana's
 * variables substituted, so a test can run each one against a real Prometheus. Throws on a variable it has no value
 * for: a query that cannot be expanded is a dashboard bug, not something to skip.
 */
export function listPanelQueries(options: ListPanelQueriesOptions = {}): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const dashboard of options.dashboards ?? buildDashboards()) {
    const base = { dashboardUid: dashboard.uid ?? '', dashboardTitle: dashboard.title ?? '' };
    const visit = (panel: PanelLike): void => {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string') continue;
        const rawExpr = target.expr;
        out.push({
          ...base,
          kind: 'panel',
          panelId: panel.id ?? 0,
          title: panel.title ?? '',
          refId: typeof target.refId === 'string' ? target.refId : '',
          instant: target.instant === true && target.range !== true,
          rawExpr,
          expr: substituteQuery(rawExpr, options),
        });
      }
      for (const nested of panel.panels ?? []) visit(nested);
    };
    for (const panel of (dashboard.panels ?? []) as PanelLike[]) visit(panel);
    for (const annotation of dashboard.annotations?.list ?? []) {
      const target = annotation.target as { expr?: unknown; refId?: unknown } | undefined;
      if (typeof target?.expr !== 'string') continue;
      out.push({
        ...base,
        kind: 'annotation',
        panelId: 0,
        title: annotation.name,
        refId: typeof target.refId === 'string' ? target.refId : 'Anno',
        instant: false,
        rawExpr: target.expr,
        expr: substituteQuery(target.expr, options),
      });
    }
  }
  return out;
}

/** Expands Grafana's variables in one expression the way {@link listPanelQueries} does. */
export function substituteQuery(expr: string, options: ListPanelQueriesOptions = {}): string {
  const builtins: Record<string, string> = {
    __rate_interval: duration('rateInterval', options.rateInterval ?? '1m'),
    __interval: duration('interval', options.interval ?? '15s'),
    __range: duration('range', options.range ?? '1h'),
  };
  const variables = { ...DEFAULT_VARIABLES, ...options.variables };
  return expr.replace(VARIABLE, (_match, braced?: string, plain?: string, bracketed?: string) => {
    const name = braced ?? plain ?? bracketed ?? '';
    const builtin = builtins[name];
    if (builtin !== undefined) return builtin;
    const value = variables[name];
    if (value === undefined) throw new Error(`no value for the Grafana variable $${name} in: ${expr}`);
    if (typeof value === 'string') return value;
    if (value.length === 0) throw new Error(`the Grafana variable $${name} needs at least one value`);
    // Regex-escaped, then escaped again for the PromQL string literal it lands in: `1.2` becomes `1\\.2` in the
    // query text (Grafana's prometheusSpecialRegexEscape does the same), which Prometheus reads as the regex `1\.2`.
    const escaped = value.map((v) => v.replace(/[\\^$.*+?()[\]{}|]/g, '\\\\$&'));
    return escaped.length === 1 ? escaped.join('') : `(${escaped.join('|')})`;
  });
}

function duration(option: string, value: string): string {
  if (!DURATION.test(value)) throw new Error(`${option} must be a Prometheus duration such as 1m or 30s, got ${JSON.stringify(value)}`);
  return value;
}
