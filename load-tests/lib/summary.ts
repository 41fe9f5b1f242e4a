/**
 * The end-of-test summary: k6's data as JSON in a file (for the report and for comparing runs) and a short text on
 * stdout (a handleSummary replaces k6's own text summary).
 */

interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** The parts of k6's handleSummary data this module reads. */
export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number };
}

/** `export const handleSummary = summaryHandler('smoke')`: writes `${SUMMARY_DIR ?? '.'}/smoke-summary.json`. */
export function summaryHandler(script: string): (data: SummaryData) => Record<string, string> {
  return (data) => {
    const dir = (__ENV.SUMMARY_DIR ?? '.').replace(/\/+$/, '');
    return { [`${dir}/${script}-summary.json`]: `${JSON.stringify(data, null, 2)}\n`, stdout: textSummary(script, data) };
  };
}

export function textSummary(script: string, data: SummaryData): string {
  const lines = [`\n${script}: ${((data.state?.testRunDurationMs ?? 0) / 1000).toFixed(1)} s`];
  const value = (metric: string, stat: string): number | undefined => data.metrics[metric]?.values[stat];
  const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(1)} ms`);
  const pct = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 100).toFixed(2)} %`);
  lines.push(`  requests        ${value('http_reqs', 'count') ?? 0} (${(value('http_reqs', 'rate') ?? 0).toFixed(1)}/s), failed ${pct(value('http_req_failed', 'rate'))}`);
  lines.push(`  request time    p95 ${ms(value('http_req_duration', 'p(95)'))}, p99 ${ms(value('http_req_duration', 'p(99)'))}`);
  lines.push(`  job turnaround  p95 ${ms(value('onboarding_job_duration', 'p(95)'))}, max ${ms(value('onboarding_job_duration', 'max'))}`);
  lines.push(`  checks          ${pct(value('checks', 'rate'))} passed, iterations ${value('iterations', 'count') ?? 0}`);
  const thresholds = Object.entries(data.metrics).flatMap(([name, metric]) =>
    Object.entries(metric.thresholds ?? {}).map(([expr, result]) => `  ${result.ok ? 'ok  ' : 'FAIL'}  ${name}: ${expr}`),
  );
  return `${[...lines, ...thresholds].join('\n')}\n`;
}
