import { invalidOption } from '../internal/errors.js';
import { intOption, numberOption, stringOption } from '../internal/validate.js';

/**
 * What the generated manifests can be told. Every field is optional: the committed files under deploy/kubernetes/
 * are the defaults; `npm run generate:kubernetes -- --image ... --namespace ... --out ...` writes a variant.
 */
export interface KubernetesOptions {
  /** Namespace of every object (created by the manifests). @default 'memscope' */
  namespace?: string;
  /**
   * The BMS service image: compose.yaml builds it as memscope/bms:local; push it to a registry the cluster pulls
   * from and give that name here (docs/guides/kubernetes.md).
   * @default 'memscope/bms:local'
   */
  image?: string;
  /** @default 2 */
  replicas?: number;
  /** The container's memory limit (and request), MiB. @default 512 */
  memoryLimitMiB?: number;
  /**
   * V8's old space (`--max-old-space-size`) as a share of the memory limit, from 0.1 to 0.9. Half: Node 24 adds its
   * young generation on top (192 MiB at these sizes), so V8's whole heap limit stays at 7/8 of a 512 MiB container,
   * below MemscopeHeapLimitAboveContainerLimit; 75 % would put it at 112 %.
   * @default 0.5
   */
  heapRatio?: number;
  /** CPU request, millicores (no CPU limit: throttling a GC-heavy process only stretches its pauses). @default 250 */
  cpuRequestMilli?: number;
  /**
   * The label a Prometheus of the Prometheus Operator selects ServiceMonitors and PrometheusRules by:
   * kube-prometheus-stack's `release: <its Helm release>`.
   * @default 'kube-prometheus-stack'
   */
  prometheusRelease?: string;
  /** How often Prometheus scrapes each replica: the 15 s the rules and dashboards are tuned for. @default '15s' */
  scrapeInterval?: string;
  /** The k6 image the operator's runners use: the k6 the bundles are tested under. @default 'grafana/k6:0.48.0' */
  k6Image?: string;
  /** Each k6 runner pod drives at most this many VUs (the TestRun's parallelism follows). @default 25 */
  vusPerRunner?: number;
  /**
   * Where the k6 runners remote-write their metrics: the Prometheus Operator's `prometheus-operated` service of a
   * Prometheus started with `enableRemoteWriteReceiver: true`.
   * @default 'http://prometheus-operated.monitoring.svc:9090/api/v1/write'
   */
  prometheusRemoteWriteUrl?: string;
}

export type ResolvedKubernetesOptions = Readonly<Required<KubernetesOptions>>;

/** A DNS-1123 label: what a namespace name (and a label-safe release name) must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IMAGE = /^[a-z0-9][a-z0-9._/:@-]*$/;
const DURATION = /^[1-9]\d*(s|m)$/;

export function resolveKubernetesOptions(options: KubernetesOptions = {}): ResolvedKubernetesOptions {
  const url = stringOption('prometheusRemoteWriteUrl', options.prometheusRemoteWriteUrl, 'http://prometheus-operated.monitoring.svc:9090/api/v1/write');
  if (!/^https?:\/\/[^/\s]+\/\S*$/.test(url)) throw invalidOption('prometheusRemoteWriteUrl', 'an http(s) URL', url);
  return {
    namespace: stringOption('namespace', options.namespace, 'memscope', DNS_LABEL),
    image: stringOption('image', options.image, 'memscope/bms:local', IMAGE),
    replicas: intOption('replicas', options.replicas, 2, 1, 100),
    memoryLimitMiB: intOption('memoryLimitMiB', options.memoryLimitMiB, 512, 128, 65_536),
    heapRatio: numberOption('heapRatio', options.heapRatio, 0.5, 0.1, 0.9),
    cpuRequestMilli: intOption('cpuRequestMilli', options.cpuRequestMilli, 250, 10, 64_000),
    prometheusRelease: stringOption('prometheusRelease', options.prometheusRelease, 'kube-prometheus-stack', DNS_LABEL),
    scrapeInterval: stringOption('scrapeInterval', options.scrapeInterval, '15s', DURATION),
    k6Image: stringOption('k6Image', options.k6Image, 'grafana/k6:0.48.0', IMAGE),
    vusPerRunner: intOption('vusPerRunner', options.vusPerRunner, 25, 1, 10_000),
    prometheusRemoteWriteUrl: url,
  };
}

/** `--max-old-space-size` for a memory limit: `heapRatio` of it, whole MiB. */
export function heapSizeMiB(options: Pick<ResolvedKubernetesOptions, 'memoryLimitMiB' | 'heapRatio'>): number {
  return Math.floor(options.memoryLimitMiB * options.heapRatio);
}
