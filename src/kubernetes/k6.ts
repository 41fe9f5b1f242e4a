import { ConfigMap } from 'kubernetes-models/v1';
import { LOAD_PROFILES, profilePeakVUs, type LoadProfileName } from '../stress/load-profiles.js';
import { HTTP_PORT, SERVICE_NAME } from './labels.js';
import type { ResolvedKubernetesOptions } from './options.js';

/** A bundled k6 scenario (scripts/k6-bundle.ts): what the runners run. */
export interface K6Script {
  profile: LoadProfileName;
  /** `smoke.js`. */
  file: string;
  text: string;
}

export const K6_SCRIPTS_CONFIG_MAP = 'memscope-k6-scripts';

/**
 * The trend statistics k6 writes into Prometheus: the same as compose.yaml's, which the Stress test dashboard reads
 * (k6_http_req_duration_p95 ...).
 */
export const K6_TREND_STATS = 'p(50),p(95),p(99),min,max';

/**
 * The part of the k6 operator's TestRun (k6.io/v1alpha1) these manifests use; the tests validate the whole object
 * against the CRD's own schema (test/fixtures/k6-operator/).
 */
export interface TestRun {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments: string;
    initializer: { image: string };
    scuttle: { enabled: string };
    runner: {
      image: string;
      env: Array<{ name: string; value: string }>;
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
      containerSecurityContext: { allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } };
    };
  };
}

export function k6ScriptsConfigMap(o: ResolvedKubernetesOptions, scripts: readonly K6Script[]): ConfigMap {
  return new ConfigMap({
    metadata: { name: K6_SCRIPTS_CONFIG_MAP, namespace: o.namespace, labels: { 'app.kubernetes.io/part-of': 'memscope', 'app.kubernetes.io/component': 'load-tests' } },
    data: Object.fromEntries(scripts.map((s) => [s.file, s.text])),
  });
}

/** Runner pods for a profile: its peak VUs shared out, at most `vusPerRunner` each (k6 splits them by segment). */
export function parallelismFor(o: ResolvedKubernetesOptions, profile: LoadProfileName): number {
  return Math.max(1, Math.ceil(profilePeakVUs(LOAD_PROFILES[profile]) / o.vusPerRunner));
}

/**
 * A distributed run of one scenario by the k6 operator: `parallelism` runner pods, each a segment of the VUs, all
 * remote-writing into Prometheus under one test id.
 */
export function testRun(o: ResolvedKubernetesOptions, profile: LoadProfileName): TestRun {
  const name = `memscope-${profile}`;
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name, namespace: o.namespace, labels: { 'app.kubernetes.io/part-of': 'memscope', 'app.kubernetes.io/component': 'load-tests' } },
    spec: {
      parallelism: parallelismFor(o, profile),
      script: { configMap: { name: K6_SCRIPTS_CONFIG_MAP, file: `${profile}.js` } },
      // The operator adds `--tag instance_id=N --tag testrun_name=...` to each runner's `k6 run`, and command-line
      // tags replace the script's own test-wide ones (its TESTID default among them): so the test id is a --tag
      // too, the same for every runner. The initializer's `k6 archive` gets the --tag; the operator drops --out and
      // --no-usage-report for it, which `k6 archive` does not take.
      arguments: `--out experimental-prometheus-rw --no-usage-report --tag testid=${name}`,
      // The initializer (`k6 archive` and `k6 inspect --execution-requirements`) reads the script with the same k6
      // that runs it, not the operator's latest.
      initializer: { image: o.k6Image },
      // Plain k6 images have no `scuttle` (the Istio sidecar helper): never wrap k6 in it.
      scuttle: { enabled: 'false' },
      runner: {
        image: o.k6Image,
        env: [
          { name: 'BASE_URL', value: `http://${SERVICE_NAME}.${o.namespace}.svc:${HTTP_PORT}` },
          { name: 'SUMMARY_DIR', value: '/tmp' },
          { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: o.prometheusRemoteWriteUrl },
          { name: 'K6_PROMETHEUS_RW_TREND_STATS', value: K6_TREND_STATS },
          { name: 'K6_PROMETHEUS_RW_STALE_MARKERS', value: 'true' },
        ],
        // Measured with k6 v0.48 (max RSS of a whole shortened run): 20 VUs of `average` ~60 MiB, 60 of `stress`
        // ~135 MiB, the leak hunt's 10 VUs ~300 MiB (its 20,000-point batches). A runner has at most 25 VUs.
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        // The k6 image runs as uid 12345 (user k6).
        securityContext: { runAsNonRoot: true, runAsUser: 12345, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    },
  };
}
