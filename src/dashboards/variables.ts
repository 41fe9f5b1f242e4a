import {
  AnnotationQueryBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { DATASOURCE_VARIABLE, PROMETHEUS, PROMETHEUS_NAME, PROMETHEUS_UID } from './datasources.js';
import { ALERTS, BUILD_INFO, K6_VUS, START_TIME } from './series.js';

/** The matchers every query of the service's own series carries: the job and the instances picked above the panels. */
export const SERVICE = 'job=~"$job", instance=~"$instance"';
/** The matcher every k6 query carries: k6 labels every series with the run's `--tag testid=...`. */
export const TEST_RUN = 'testid=~"$testid"';

/** Regex that matches any value: Grafana's "All" for a multi-value variable (`.*` would match a missing label too). */
const ANY = '.+';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: PROMETHEUS_NAME, value: PROMETHEUS_UID });
}

/** Jobs that run memscope: every scrape job (or OTLP service) whose targets expose memscope_build_info. */
export function jobVariable(): QueryVariableBuilder {
  return labelVariable('job', 'Job', `label_values(${BUILD_INFO}, job)`)
    .current({ text: 'bms', value: 'bms' });
}

export function instanceVariable(): QueryVariableBuilder {
  return labelVariable('instance', 'Instance', `label_values(${BUILD_INFO}{job=~"$job"}, instance)`)
    .multi(true)
    .includeAll(true)
    .allValue(ANY)
    .current({ text: 'All', value: '$__all' });
}

/** k6 test runs, newest last: `k6 run --tag testid=<id>` labels every series the run writes. */
export function testIdVariable(): QueryVariableBuilder {
  return labelVariable('testid', 'Test run', `label_values(${K6_VUS}, testid)`).sort(VariableSort.AlphabeticalDesc);
}

export function labelVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** The same multi-value-with-All shape for any label (phases, for one). */
export function multiLabelVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return labelVariable(name, label, query).multi(true).includeAll(true).allValue(ANY).current({ text: 'All', value: '$__all' });
}

/**
 * A mark at each process start: the start time's value *is* the timestamp (Grafana's "series value as timestamp"),
 * so the mark sits at the moment the process started, not at the next evaluation step, and one start is one mark.
 */
export function restartsAnnotation(): AnnotationQueryBuilder {
  return promAnnotation('Restarts', `max by (job, instance) (${START_TIME}{${SERVICE}}) * 1000`, 'orange')
    .useValueForTime(true)
    .titleFormat('Process started')
    .textFormat('{{instance}}');
}

/** Firing alerts of this job (or alerts with no job label at all, such as a whole job missing). */
export function alertsAnnotation(): AnnotationQueryBuilder {
  return promAnnotation('Firing alerts', `${ALERTS}{alertstate="firing", job=~"$job|"}`, 'red')
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}} {{instance}}')
    .tagKeys('alertname,severity');
}

export function promAnnotation(name: string, expr: string, color: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor(color)
    // Grafana's Prometheus annotation support reads the query from `target` (it migrates a top-level `expr` there).
    .target(new DataqueryBuilder().expr(expr).refId('Anno').interval('60s'));
}
