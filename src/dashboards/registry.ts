import type { Dashboard } from '@grafana/schema';
import { renameSeries, seriesRenames } from '../exporter/metric-naming.js';
import { MEMORY_OVERVIEW_UID, memoryOverviewDashboard } from './memory-overview.js';
import { PHASES_UID, phasesDashboard } from './phases.js';
import { STRESS_TEST_UID, stressTestDashboard } from './stress-test.js';

export interface DashboardDefinition {
  /** The file under dashboards/: the uid plus `.json`. */
  readonly file: string;
  readonly uid: string;
  readonly build: () => Dashboard;
}

/** Every generated dashboard. A uid is an address (links, bookmarks): never change one. */
export const DASHBOARDS: readonly DashboardDefinition[] = [
  { file: `${MEMORY_OVERVIEW_UID}.json`, uid: MEMORY_OVERVIEW_UID, build: memoryOverviewDashboard },
  { file: `${PHASES_UID}.json`, uid: PHASES_UID, build: phasesDashboard },
  { file: `${STRESS_TEST_UID}.json`, uid: STRESS_TEST_UID, build: stressTestDashboard },
];

export function buildDashboards(): Dashboard[] {
  return DASHBOARDS.map((definition) => definition.build());
}

/** The exact text written to dashboards/<file>: two-space JSON and a final newline. */
export function renderDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/**
 * The folder under dashboards/ (and deploy/prometheus/rules/) holding the same dashboards for a service scraped through
 * `@opentelemetry/exporter-prometheus`, whose names carry no unit suffix (metric-naming.ts). Only the series names,
 * the uid (`-otel` appended, so both sets can live in one Grafana) and the title differ.
 */
export const OTEL_EXPORTER_DIR = 'otel-prometheus-exporter';

/** The dashboards of DASHBOARDS with `otel-prometheus-exporter` naming, written to dashboards/otel-prometheus-exporter/. */
export const OTEL_EXPORTER_DASHBOARDS: readonly DashboardDefinition[] = DASHBOARDS.map((definition) => {
  const uid = `${definition.uid}-otel`;
  return { file: `${OTEL_EXPORTER_DIR}/${uid}.json`, uid, build: () => withExporterNaming(definition.build(), uid) };
});

function withExporterNaming(dashboard: Dashboard, uid: string): Dashboard {
  const renamed = JSON.parse(renameSeries(JSON.stringify(dashboard), seriesRenames('otel-prometheus-exporter'))) as Dashboard;
  return {
    ...renamed,
    title: `${renamed.title ?? ''} (OpenTelemetry exporter names)`,
    uid,
    description: `${renamed.description ?? ''} Series named as @opentelemetry/exporter-prometheus names them (no unit suffixes).`,
  };
}
