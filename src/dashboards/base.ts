// The classic (v1) dashboard model, which the SDK marks deprecated in favour of v2: Grafana's file provisioning
// reads v1 JSON in every version the stack runs (Grafana 13 migrates it to v2 on load), v2 files need its newer,
// experimental provisioning.
/* eslint-disable @typescript-eslint/no-deprecated */
import { DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable } from './variables.js';

/**
 * What every memscope dashboard shares: a stable uid (links and bookmarks point at it), the `memscope` tag that the
 * cross-dashboard links list, read-only (they are provisioned from files: edit src/dashboards, not the UI), a shared
 * crosshair, the last hour refreshed every 30 s, and the data source variable first.
 */
export function memscopeDashboard(title: string, uid: string): DashboardBuilder {
  return new DashboardBuilder(`memscope / ${title}`)
    .uid(uid)
    .tags(['memscope', 'generated'])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .link(new DashboardLinkBuilder('memscope').type(DashboardLinkType.Dashboards).tags(['memscope']).asDropdown(true).includeVars(true).keepTime(true))
    .withVariable(datasourceVariable());
}
