import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { availabilityAlerts, memoryAlerts } from '../monitoring/alert-rules.js';
import { recordingRules } from '../monitoring/recording-rules.js';
import { PRODUCTION, validateThresholds } from '../monitoring/thresholds.js';
import { appLabels, PORT_NAME, SERVICE_NAME, selectorLabels } from './labels.js';
import type { ResolvedKubernetesOptions } from './options.js';

/** The label kube-prometheus-stack's Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by. */
function releaseLabel(o: ResolvedKubernetesOptions): Record<string, string> {
  return { release: o.prometheusRelease };
}

/** Scrapes every ready replica behind the Service; the job label is the Service's name, `bms`, as the rules expect. */
export function bmsServiceMonitor(o: ResolvedKubernetesOptions): ServiceMonitor {
  return new ServiceMonitor({
    metadata: { name: SERVICE_NAME, namespace: o.namespace, labels: { ...appLabels('monitoring'), ...releaseLabel(o) } },
    spec: {
      selector: { matchLabels: selectorLabels() },
      namespaceSelector: { matchNames: [o.namespace] },
      endpoints: [{ port: PORT_NAME, path: '/metrics', interval: o.scrapeInterval, scrapeTimeout: '10s' }],
    },
  });
}

/**
 * memscope's recording and alerting rules, production profile: the same groups scripts/generate-rules.ts writes to
 * deploy/prometheus/rules/ (src/monitoring), as a PrometheusRule.
 */
export function memscopePrometheusRule(o: ResolvedKubernetesOptions): PrometheusRule {
  const t = validateThresholds(PRODUCTION);
  return new PrometheusRule({
    metadata: { name: 'memscope', namespace: o.namespace, labels: { ...appLabels('monitoring'), ...releaseLabel(o) } },
    spec: { groups: [recordingRules(t), memoryAlerts(t), availabilityAlerts(t)] },
  });
}
