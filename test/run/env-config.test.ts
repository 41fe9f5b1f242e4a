import { describe, expect, it } from 'vitest';
import { readRegisterConfig } from '../../src/run/env-config.js';

describe('readRegisterConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(readRegisterConfig({})).toEqual({
      enabled: true,
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
      sampleIntervalMs: undefined,
      reportDir: undefined,
      checkpointMs: 30_000,
      leak: {},
      threads: true,
      heapSnapshots: undefined,
    });
  });

  it('reads every MEMSCOPE_* variable', () => {
    const config = readRegisterConfig({
      MEMSCOPE_ENABLED: 'true',
      MEMSCOPE_METRICS_PORT: '9464',
      MEMSCOPE_METRICS_HOST: '0.0.0.0',
      MEMSCOPE_SAMPLE_INTERVAL_MS: '500',
      MEMSCOPE_REPORT_DIR: '/tmp/reports',
      MEMSCOPE_CHECKPOINT_MS: '0',
      MEMSCOPE_LEAK: '{"warmUpMs":30000}',
      MEMSCOPE_THREADS: '0',
    });
    expect(config).toEqual({ enabled: true, metricsPort: 9464, metricsHost: '0.0.0.0', sampleIntervalMs: 500, reportDir: '/tmp/reports', checkpointMs: 0, leak: { warmUpMs: 30000 }, threads: false, heapSnapshots: undefined });
    expect(readRegisterConfig({ MEMSCOPE_LEAK: 'off', MEMSCOPE_ENABLED: 'no' })).toMatchObject({ leak: false, enabled: false });
  });

  it.each([
    ['MEMSCOPE_SAMPLE_INTERVAL_MS', 'abc'],
    ['MEMSCOPE_SAMPLE_INTERVAL_MS', '5'],
    ['MEMSCOPE_METRICS_PORT', '70000'],
    ['MEMSCOPE_METRICS_PORT', '-1'],
    ['MEMSCOPE_ENABLED', 'maybe'],
    ['MEMSCOPE_CHECKPOINT_MS', '500'],
    ['MEMSCOPE_LEAK', '{warmUpMs: 1}'],
    ['MEMSCOPE_LEAK', '[1]'],
  ])('refuses %s=%s with MEMSCOPE_E_INVALID_OPTION naming the variable', (name, value) => {
    expect(() => readRegisterConfig({ [name]: value })).toThrow(expect.objectContaining({ code: 'MEMSCOPE_E_INVALID_OPTION', message: expect.stringContaining(name) as string }) as Error);
  });

  it('reads MEMSCOPE_HEAP_SNAPSHOTS as a directory or a JSON object of heapSnapshots options', () => {
    expect(readRegisterConfig({ MEMSCOPE_HEAP_SNAPSHOTS: ' /var/tmp/heap ' }).heapSnapshots).toEqual({ directory: '/var/tmp/heap' });
    expect(readRegisterConfig({ MEMSCOPE_HEAP_SNAPSHOTS: '{"directory":"/h","heapShareTrigger":0.8}' }).heapSnapshots).toEqual({ directory: '/h', heapShareTrigger: 0.8 });
  });

  it('rejects MEMSCOPE_HEAP_SNAPSHOTS without a directory, malformed, or with a callback option, naming the variable', () => {
    expect(() => readRegisterConfig({ MEMSCOPE_HEAP_SNAPSHOTS: '{"maxFiles":2}' })).toThrow(/MEMSCOPE_HEAP_SNAPSHOTS.*"directory"/);
    expect(() => readRegisterConfig({ MEMSCOPE_HEAP_SNAPSHOTS: '{oops' })).toThrow(/MEMSCOPE_HEAP_SNAPSHOTS/);
    expect(() => readRegisterConfig({ MEMSCOPE_HEAP_SNAPSHOTS: '{"directory":"/h","onEvent":1}' })).toThrow(/MEMSCOPE_HEAP_SNAPSHOTS\.onEvent/);
  });
});
