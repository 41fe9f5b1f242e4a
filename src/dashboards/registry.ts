import type { Dashboard } from '@grafana/schema';
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
