import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { PrometheusSerializer } from '../../src/exporter/prometheus-serializer.js';
import { memscopeViews } from '../../src/exporter/views.js';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { PhaseMetricProducer } from '../../src/sdk/instruments/phase-metric-producer.js';

// A render with 1,000 phase names (~24,000 samples) ran as one synchronous task of 30-50 ms: every request of the
// service waited behind it. It is now serialized in pieces with the event loop let in between.

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const stop of stops.splice(0)) await stop();
});

function manyPhases(names: number): PrometheusReader {
  const phaseMetrics = new PhaseMetricProducer();
  const reader = new PrometheusReader({ metricProducers: [phaseMetrics] });
  const provider = new MeterProvider({ readers: [reader], views: memscopeViews({ maxPhaseNames: names }) });
  const profiler = new MemoryProfiler({ meter: provider.getMeter('memscope'), phaseMetrics, maxPhaseNames: names, gc: false, eventLoop: false, phaseSnapshots: false });
  for (let i = 0; i < names; i++) profiler.phase(`phase_${i}`, () => i);
  stops.push(async () => {
    profiler.stop();
    await provider.shutdown();
  });
  return reader;
}

describe('a large render', () => {
  it('is the same text whether serialized whole or in pieces of any size', async () => {
    const reader = manyPhases(50);
    const rm = await reader.collectResourceMetrics();
    const serializer = new PrometheusSerializer();
    const whole = serializer.serialize(rm);
    for (const size of [1, 2, 7, 64, 1000]) expect([...serializer.chunks(rm, size)].join('')).toBe(whole);
  });

  it('lets the event loop run between slices while it serializes 1,000 phase names', async () => {
    const reader = manyPhases(1000);
    const whole = await reader.render();
    // An injected clock that advances 1 ms at every reading: every few pieces of serializing, a slice is used up.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => ++clock);
    let turns = 0;
    let rendering = true;
    const spin = (): void => {
      if (!rendering) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const text = await reader.render();
    rendering = false;
    expect(text.match(/^memscope_phase_duration_seconds_count/gm)).toHaveLength(1000);
    expect(text.split('\n')).toHaveLength(whole.split('\n').length);
    // One synchronous render would let the loop turn at most once or twice (collection's own awaits).
    expect(turns).toBeGreaterThan(10);
  });
});
