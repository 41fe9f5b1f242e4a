import { describe, expect, it } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { captureWarnings } from '../helpers/fake-sources.js';

describe('PrometheusReader', () => {
  it('serves what it can when a callback hangs, within collectTimeoutMs, and warns once', async () => {
    const reader = new PrometheusReader({ collectTimeoutMs: 200, targetInfo: false });
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter('test');
    meter.createObservableGauge('stuck').addCallback(() => new Promise<void>(() => undefined));
    meter.createCounter('bms_points_received').add(5);
    let bodies: string[] = [];
    const t0 = performance.now();
    const warnings = await captureWarnings(async () => {
      bodies = [await reader.render(), await reader.render()];
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    for (const body of bodies) expect(body).toMatch(/^bms_points_received_total 5$/m);
    expect(reader.collectionErrors).toBe(2);
    expect(warnings.filter((w) => w.code === 'MEMSCOPE_W_COLLECT')).toHaveLength(1);
    await provider.shutdown();
    expect(reader.isShutdown).toBe(true);
  });

  it('rejects a collectTimeoutMs that is not a positive integer', () => {
    expect(() => new PrometheusReader({ collectTimeoutMs: 0 })).toThrow(/collectTimeoutMs must be an integer from 1/);
  });
});
