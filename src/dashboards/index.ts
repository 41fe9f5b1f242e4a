/**
 * memscope's Grafana dashboards as code (Grafana Foundation SDK), written to dashboards/*.json by
 * scripts/generate-dashboards.ts, and the list of their queries for tests that run them against Prometheus.
 */
export { buildDashboards, DASHBOARDS, OTEL_EXPORTER_DASHBOARDS, OTEL_EXPORTER_DIR, renderDashboard } from './registry.js';
export type { DashboardDefinition } from './registry.js';
export { GENERATED_MARKER } from './finalize.js';
export { listPanelQueries, substituteQuery } from './panel-queries.js';
export type { ListPanelQueriesOptions, PanelQuery } from './panel-queries.js';
export { ALERTMANAGER_UID, DATASOURCE_VARIABLE, PROMETHEUS_UID } from './datasources.js';
