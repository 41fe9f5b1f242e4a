import { describe, expect, it } from 'vitest';
import { resolveKubernetesOptions } from '../../src/kubernetes/index.js';

describe('resolveKubernetesOptions', () => {
  it('fills in every default', () => {
    expect(resolveKubernetesOptions()).toEqual({
      namespace: 'memscope',
      image: 'memscope/bms:local',
      replicas: 2,
      memoryLimitMiB: 512,
      heapRatio: 0.5,
      cpuRequestMilli: 250,
      prometheusRelease: 'kube-prometheus-stack',
      scrapeInterval: '15s',
      k6Image: 'grafana/k6:0.48.0',
      vusPerRunner: 25,
      prometheusRemoteWriteUrl: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write',
    });
  });

  it('refuses a bad option with MEMSCOPE_E_INVALID_OPTION, naming the field', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ namespace: 'Memscope' }, /^namespace must be/],
      [{ namespace: 'a'.repeat(64) }, /^namespace must be/],
      [{ image: 'has space' }, /^image must be/],
      [{ replicas: 0 }, /^replicas must be an integer from 1/],
      [{ memoryLimitMiB: 512.5 }, /^memoryLimitMiB must be an integer/],
      [{ heapRatio: 1 }, /^heapRatio must be a number from 0.1 to 0.9/],
      [{ prometheusRelease: 'kube_prometheus' }, /^prometheusRelease must be/],
      [{ scrapeInterval: '15' }, /^scrapeInterval must be/],
      [{ vusPerRunner: 0 }, /^vusPerRunner must be/],
      [{ prometheusRemoteWriteUrl: 'prometheus:9090' }, /^prometheusRemoteWriteUrl must be an http\(s\) URL/],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveKubernetesOptions(options), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'MEMSCOPE_E_INVALID_OPTION', message: expect.stringMatching(message) as unknown }));
    }
  });
});
