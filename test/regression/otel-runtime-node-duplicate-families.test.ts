import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { RUNTIME_METRIC_NAMES } from '../../src/sdk/instruments/profiler-instruments.js';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { memscopeViews } from '../../src/exporter/views.js';
import { memscopeMetricShapes, toOtelExporterMetricName } from '../../src/exporter/metric-naming.js';
import { forceGc } from '../../src/sdk/gc/force-gc.js';
import { checkMetrics } from '../helpers/promtool.js';

// Finding [11/11] #2: memscope and @opentelemetry/instrumentation-runtime-node on one MeterProvider exported the
// v8js_* heap, GC and event-loop families twice (promtool: "second HELP line for metric name v8js_gc_duration"; every
// heap space counted twice), and memscope's own reader dropped the copy without a word. `runtimeMetrics: false`
// leaves those instruments to runtime-node.

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The user's setup: exporter-prometheus (no server here) and runtime-node on a provider, memscope on it too. */
async function exposition(profilerOptions: { runtimeMetrics?: boolean }): Promise<string> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter], views: memscopeViews() });
  const runtime = new RuntimeNodeInstrumentation();
  runtime.setMeterProvider(provider);
  const profiler = new MemoryProfiler({ meter: provider.getMeter('memscope'), ...profilerOptions }).start();
  stops.push(() => provider.shutdown(), () => { runtime.disable(); }, () => { profiler.stop(); });
  // A GC for both observers to see (their histograms exist from the first pause on), and a few event-loop turns for
  // both delay monitors (10 ms and 20 ms resolution: each reports once it has samples).
  forceGc();
  await new Promise((resolve) => setTimeout(resolve, 250));
  const { resourceMetrics } = await exporter.collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

const helpNames = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2]!);
const twice = (names: string[]): string[] => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].sort();

describe('memscope beside @opentelemetry/instrumentation-runtime-node on one provider', () => {
  it('without runtimeMetrics: false, exports exactly the runtime families twice (the finding, and what the option leaves out)', async () => {
    const text = await exposition({});
    const expected = RUNTIME_METRIC_NAMES.map((name) => name.replace(/\./g, '_')).sort();
    expect(twice(helpNames(text))).toEqual(expected);
    expect(checkMetrics(text).findings.join('\n')).toMatch(/second HELP line for metric name/);
  });

  it('with runtimeMetrics: false, exports every family once, runtime ones from runtime-node, and promtool finds nothing', async () => {
    const text = await exposition({ runtimeMetrics: false });
    expect(twice(helpNames(text))).toEqual([]);
    expect(checkMetrics(text).findings).toEqual([]);
    const oldSpace = text.split('\n').filter((l) => l.startsWith('v8js_memory_heap_used{') && l.includes('"old_space"'));
    expect(oldSpace).toHaveLength(1);
    expect(oldSpace[0]).toContain('otel_scope_name="@opentelemetry/instrumentation-runtime-node"');
    expect(text).toMatch(/^v8js_gc_duration_count\{v8js_gc_type="\w+",otel_scope_name="@opentelemetry\/instrumentation-runtime-node"/m);
    // memscope's own series stay, under the names metric-naming.ts predicts for this exporter.
    const exported = new Set(helpNames(text));
    const predicted = memscopeMetricShapes()
      .filter((shape) => !(RUNTIME_METRIC_NAMES as readonly string[]).includes(shape.name))
      .map((shape) => toOtelExporterMetricName(shape.name, shape.type, shape.monotonic));
    const missing = predicted.filter((name) => !exported.has(name));
    // Absent until they have something to say: the verdict's per-kind series, the forecast, the container limit.
    expect(missing.filter((n) => !/leak_slope|leak_suspected|exhaustion_forecast|container_memory_limit|heap_measurements|phase_/.test(n))).toEqual([]);
    expect(exported).toContain('process_memory_usage');
    expect(exported).toContain('memscope_sampler_time_total');
  });

  it("warns once on memscope's own reader instead of dropping the copy silently", async () => {
    const reader = new PrometheusReader();
    const provider = new MeterProvider({ readers: [reader] });
    const runtime = new RuntimeNodeInstrumentation();
    runtime.setMeterProvider(provider);
    const profiler = new MemoryProfiler({ meter: provider.getMeter('memscope') }).start();
    stops.push(() => provider.shutdown(), () => { runtime.disable(); }, () => { profiler.stop(); });
    const warnings: Array<{ code?: string; message: string }> = [];
    const onWarning = (w: Error & { code?: string }): void => { warnings.push({ code: w.code, message: w.message }); };
    process.on('warning', onWarning);
    stops.push(() => { process.off('warning', onWarning); });

    const first = await reader.render();
    await reader.render();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.split('\n').filter((l) => l.startsWith('v8js_memory_heap_used_bytes{') && l.includes('"old_space"'))).toHaveLength(1);
    const conflicts = warnings.filter((w) => w.code === 'MEMSCOPE_W_METRIC_CONFLICT');
    expect(conflicts.map((w) => w.message)).toContainEqual(expect.stringMatching(/v8js_memory_heap_used_bytes.*runtimeMetrics: false/));
    expect(new Set(conflicts.map((w) => w.message)).size).toBe(conflicts.length);
  });
});
