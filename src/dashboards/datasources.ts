import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * Data sources as deploy/grafana/provisioning/datasources/memscope.yaml provisions them. The dashboards never name a
 * data source directly: every query goes through the `datasource` variable, whose default is the provisioned
 * Prometheus, so the same JSON works against any Prometheus a user picks (test/dashboards checks both halves).
 */
export const PROMETHEUS_UID = 'prometheus';
export const PROMETHEUS_NAME = 'Prometheus';
export const ALERTMANAGER_UID = 'alertmanager';

/** The dashboard variable every panel, query and annotation takes its data source from. */
export const DATASOURCE_VARIABLE = 'datasource';

export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
