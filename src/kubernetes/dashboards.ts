import { ConfigMap } from 'kubernetes-models/v1';
import { DASHBOARDS, renderDashboard } from '../dashboards/index.js';
import type { ResolvedKubernetesOptions } from './options.js';

/** Grafana's dashboard sidecar, as kube-prometheus-stack configures it, loads every ConfigMap with this label. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;
/** ... into the folder this annotation names, when the sidecar's `folderAnnotation` is set to it. */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

/** One ConfigMap per dashboard (each well under the 256 KiB a client-side `kubectl apply` can annotate). */
export function dashboardConfigMaps(o: ResolvedKubernetesOptions): ConfigMap[] {
  return DASHBOARDS.map(
    (definition) =>
      new ConfigMap({
        metadata: {
          name: `${definition.uid}-dashboard`,
          namespace: o.namespace,
          labels: { 'app.kubernetes.io/part-of': 'memscope', 'app.kubernetes.io/component': 'dashboards', ...GRAFANA_DASHBOARD_LABEL },
          annotations: { [GRAFANA_FOLDER_ANNOTATION]: 'memscope' },
        },
        data: { [definition.file]: renderDashboard(definition.build()) },
      }),
  );
}
