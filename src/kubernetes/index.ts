/**
 * Kubernetes manifests as code (kubernetes-models and @kubernetes-models/prometheus-operator, which type and validate
 * them): the BMS service with a memory limit, its ServiceMonitor and PrometheusRule, the dashboards for Grafana's
 * sidecar and the k6 operator's TestRuns. scripts/generate-kubernetes.ts writes them to deploy/kubernetes/.
 */
export { kubernetesManifests, renderManifestFile, validateManifests, GENERATED_MARKER } from './manifests.js';
export type { KubernetesObject, ManifestFile } from './manifests.js';
export { heapSizeMiB, resolveKubernetesOptions } from './options.js';
export { syncManifestFiles } from './sync-files.js';
export type { SyncResult } from './sync-files.js';
export type { KubernetesOptions, ResolvedKubernetesOptions } from './options.js';
export { K6_SCRIPTS_CONFIG_MAP, K6_TREND_STATS, parallelismFor, testRun } from './k6.js';
export type { K6Script, TestRun } from './k6.js';
export { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from './dashboards.js';
export { SERVICE_NAME } from './labels.js';
