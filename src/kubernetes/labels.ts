import { PRODUCTION } from '../monitoring/thresholds.js';

/**
 * The service's name in the cluster is the scrape job the alert rules select (`up{job="bms"}`): a ServiceMonitor
 * names its job after the Service it finds, so the two cannot drift apart.
 */
export const SERVICE_NAME = PRODUCTION.serviceJob;
export const HTTP_PORT = 3000;
export const PORT_NAME = 'http';

/** The recommended labels (app.kubernetes.io/*) every object carries; the first two select the pods. */
export function appLabels(component: string): Record<string, string> {
  return { ...selectorLabels(), 'app.kubernetes.io/component': component };
}

export function selectorLabels(): Record<string, string> {
  return { 'app.kubernetes.io/name': SERVICE_NAME, 'app.kubernetes.io/part-of': 'memscope' };
}
