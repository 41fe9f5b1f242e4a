// One /metrics render: memscope's default set against prom-client's default metrics and against OpenTelemetry's
// runtime instrumentation served by OpenTelemetry's Prometheus exporter — per render and per series. Then the
// serializers alone on histogram-heavy data (100 and 1,000 label sets). Target: memscope no slower per series than
// prom-client.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer as OtelSerializer } from '@opentelemetry/exporter-prometheus';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import client from 'prom-client';
import { PrometheusReader, startMemscope } from '../dist/index.js';
import { PrometheusSerializer } from '../dist/exporter/prometheus-serializer.js';
import { formatNs, measureAsync, measure } from './lib/measure.js';
import { ratio, saveResult, table } from './lib/results.js';

const samples = (text: string): number => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

// memscope, default set (event loop, GC, phases idle)
const memscope = await startMemscope({ shutdownSignals: [] });
await memscope.profiler.phase('warm', () => Promise.resolve());
const ours = await memscope.reader.render();

// prom-client default metrics
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const theirs = await registry.metrics();

// OpenTelemetry runtime instrumentation through OpenTelemetry's Prometheus exporter
const otelExporter = new PrometheusExporter({ preventServerStart: true });
const otelProvider = new MeterProvider({ readers: [otelExporter] });
const runtime = new RuntimeNodeInstrumentation();
runtime.setMeterProvider(otelProvider);
runtime.enable();
await new Promise((r) => setTimeout(r, 100));
const otelSerializer = new OtelSerializer();
const otelRender = async (): Promise<string> => otelSerializer.serialize((await otelExporter.collect()).resourceMetrics);
const otelText = await otelRender();

const renders = [
  { name: 'memscope (default set)', series: samples(ours), m: await measureAsync('memscope', () => memscope.reader.render()) },
  { name: 'prom-client collectDefaultMetrics()', series: samples(theirs), m: await measureAsync('prom-client', () => registry.metrics()) },
  { name: 'OTel instrumentation-runtime-node + exporter-prometheus', series: samples(otelText), m: await measureAsync('otel', otelRender) },
];
const perSeries = renders.map((r) => r.m.ns / r.series);

// Histogram-heavy: N phase label sets, each a 17-bucket duration histogram (+ its delta/peak gauges for memscope).
async function histogramCase(labelSets: number) {
  const reader = new PrometheusReader();
  const provider = new MeterProvider({ readers: [reader] });
  const h = provider.getMeter('bench').createHistogram('memscope.phase.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] },
  });
  for (let i = 0; i < labelSets; i++) for (let k = 0; k < 5; k++) h.record(k * 0.01 + i * 1e-4, { 'memscope.phase.name': `phase_${i}` });
  const rm = await reader.collectResourceMetrics();
  const mine = new PrometheusSerializer();
  const otel = new OtelSerializer(undefined, false, undefined, true, true);
  const promRegistry = new client.Registry();
  const ph = new client.Histogram({ name: 'memscope_phase_duration_seconds', help: 'x', labelNames: ['memscope_phase_name'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600], registers: [promRegistry] });
  for (let i = 0; i < labelSets; i++) for (let k = 0; k < 5; k++) ph.observe({ memscope_phase_name: `phase_${i}` }, k * 0.01 + i * 1e-4);
  const result = {
    labelSets,
    series: samples(mine.serialize(rm)),
    memscopeSerialize: measure('memscope serializer', () => mine.serialize(rm)).ns,
    otelSerialize: measure('OTel serializer', () => otel.serialize(rm)).ns,
    memscopeRender: (await measureAsync('memscope collect+serialize', () => reader.render())).ns,
    promClient: (await measureAsync('prom-client', () => promRegistry.metrics())).ns,
  };
  await provider.shutdown();
  return result;
}
const hist = [await histogramCase(100), await histogramCase(1000)];

runtime.disable();
await otelProvider.shutdown();
await memscope.shutdown();

saveResult({
  suite: 'render',
  title: 'One /metrics render',
  sections: [
    table(
      ['Exporter', 'Series (samples)', 'Time per render', 'Time per series', 'Per series vs prom-client'],
      renders.map((r, i) => [r.name, r.series, formatNs(r.m.ns), formatNs(perSeries[i]!), ratio(perSeries[i]!, perSeries[1]!)]),
    ),
    `memscope renders its default set at **${ratio(perSeries[0]!, perSeries[1]!)}** prom-client's cost per series ` +
      '(target: at most 1×), reading memory once per render through one batch callback.',
    table(
      ['Histogram label sets (17 buckets)', 'Samples', 'memscope serializer', 'OTel PrometheusSerializer', 'memscope collect + serialize', 'prom-client metrics()'],
      hist.map((h) => [h.labelSets, h.series, formatNs(h.memscopeSerialize), `${formatNs(h.otelSerialize)} (${ratio(h.otelSerialize, h.memscopeSerialize)})`, formatNs(h.memscopeRender), formatNs(h.promClient)]),
    ),
    'memscope writes the text format itself instead of using `@opentelemetry/exporter-prometheus`\'s serializer: the ' +
      'stock serializer adds no unit suffixes (so names would differ from what Prometheus\' OTLP ingestion produces) ' +
      'and is measured above on the same collected data. The serializer is checked by `promtool check metrics` and by ' +
      'a real Prometheus scrape in the test suite.',
  ],
  figures: {
    ...Object.fromEntries(renders.flatMap((r, i) => [[`${r.name} ns`, r.m.ns], [`${r.name} series`, r.series], [`${r.name} ns/series`, perSeries[i]!]])),
    ...Object.fromEntries(hist.flatMap((h) => [
      [`hist${h.labelSets} memscope serialize ns`, h.memscopeSerialize],
      [`hist${h.labelSets} otel serialize ns`, h.otelSerialize],
      [`hist${h.labelSets} memscope render ns`, h.memscopeRender],
      [`hist${h.labelSets} prom-client ns`, h.promClient],
    ])),
  },
});
