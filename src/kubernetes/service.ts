import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Namespace, Service } from 'kubernetes-models/v1';
import { appLabels, HTTP_PORT, PORT_NAME, SERVICE_NAME, selectorLabels } from './labels.js';
import { heapSizeMiB, type ResolvedKubernetesOptions } from './options.js';

/** The service drains accepted jobs for up to 30 s on SIGTERM (memscope serve --drain-timeout); 5 s more to exit. */
const TERMINATION_GRACE_SECONDS = 35;
/** The image's `node` user (node:*-slim): numeric, so the kubelet can check runAsNonRoot without reading the image. */
const NODE_UID = 1000;

export function namespace(o: ResolvedKubernetesOptions): Namespace {
  return new Namespace({
    metadata: {
      name: o.namespace,
      // Warn (do not enforce): the BMS pods meet the restricted profile, pods the k6 operator starts may not.
      labels: { 'app.kubernetes.io/part-of': 'memscope', 'pod-security.kubernetes.io/warn': 'restricted' },
    },
  });
}

/**
 * The BMS onboarding service (the image compose.yaml builds, CMD `memscope serve --host 0.0.0.0 --port 3000`) with
 * a memory limit and the V8 heap sized from it, so the container-limit series and alerts have a real limit.
 */
export function bmsDeployment(o: ResolvedKubernetesOptions): Deployment {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: PORT_NAME },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return new Deployment({
    metadata: { name: SERVICE_NAME, namespace: o.namespace, labels: appLabels('service') },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: selectorLabels() },
      // One new pod before an old one goes: capacity never drops during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: appLabels('service') },
        spec: {
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID, runAsGroup: NODE_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: SERVICE_NAME,
              image: o.image,
              // A locally built or `kind load`ed image is used as it is; a registry tag is pulled once per node.
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: PORT_NAME, containerPort: HTTP_PORT, protocol: 'TCP' }],
              env: [{ name: 'NODE_OPTIONS', value: `--max-old-space-size=${heapSizeMiB(o)}` }],
              resources: {
                // Request = limit for memory: the scheduler reserves what the process may use, no overcommit.
                requests: { cpu: `${o.cpuRequestMilli}m`, memory: `${o.memoryLimitMiB}Mi` },
                limits: { memory: `${o.memoryLimitMiB}Mi` },
              },
              // Liveness on /healthz, readiness on /readyz (503 while draining, so no new jobs reach a stopping pod).
              startupProbe: probe('/healthz', 1, 30),
              livenessProbe: probe('/healthz', 10, 3),
              readinessProbe: probe('/readyz', 5, 2),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              // As compose gives it a tmpfs: the root file system is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  });
}

export function bmsService(o: ResolvedKubernetesOptions): Service {
  return new Service({
    metadata: { name: SERVICE_NAME, namespace: o.namespace, labels: appLabels('service') },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(),
      ports: [{ name: PORT_NAME, port: HTTP_PORT, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  });
}

/** Voluntary disruptions (node drains, upgrades) take one replica at a time. */
export function bmsDisruptionBudget(o: ResolvedKubernetesOptions): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: SERVICE_NAME, namespace: o.namespace, labels: appLabels('service') },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels() } },
  });
}
