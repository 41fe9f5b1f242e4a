import { describe, expect, it } from 'vitest';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { memscopeViews } from '../../src/exporter/views.js';
import { fakeMemory, fakeSources } from '../helpers/fake-sources.js';

// Way (b): the service already runs an OpenTelemetry SDK. memscope registers on a Meter of that provider; the service
// adds memscope's PrometheusReader (or keeps only its own exporter) in the provider's constructor.
describe('memscope on an existing OpenTelemetry SDK', () => {
  it("records on the host's Meter and reaches both the host's exporter and memscope's reader", async () => {
    const hostExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const hostReader = new PeriodicExportingMetricReader({ exporter: hostExporter, exportIntervalMillis: 3_600_000 });
    const prometheus = new PrometheusReader();
    const provider = new MeterProvider({ readers: [hostReader, prometheus], views: [...memscopeViews()] });
    provider.getMeter('bms').createCounter('bms.jobs', { unit: '{job}' }).add(2);

    const memory = fakeMemory({ rss: 100 * 2 ** 20 });
    const profiler = new MemoryProfiler({ meter: provider.getMeter('memscope'), eventLoop: false, sources: fakeSources(memory) }).start();
    profiler.phase('classify', () => undefined);

    const text = await prometheus.render();
    expect(text).toMatch(/^bms_jobs_total 2$/m);
    expect(text).toMatch(/^memscope_phase_duration_seconds_count\{memscope_phase_name="classify"\} 1$/m);

    await hostReader.forceFlush();
    const names = hostExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
    expect(names).toEqual(expect.arrayContaining(['bms.jobs', 'process.memory.usage', 'memscope.phase.duration', 'v8js.memory.heap.used']));

    profiler.stop();
    // A stopped profiler no longer observes. (sdk-metrics 2.x keeps repeating an asynchronous instrument's last
    // cumulative value; docs/guides/existing-otel-sdk.md says so.) The host's metrics are untouched.
    memory.rss = 999 * 2 ** 20;
    const after = await prometheus.render();
    expect(after).not.toMatch(/^process_memory_usage_bytes 1047527424$/m);
    expect(after).toMatch(/^bms_jobs_total 2$/m);
    await provider.shutdown();
  });
});
