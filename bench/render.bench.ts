// One /metrics render: memscope's default set against prom-client's default metrics and against OpenTelemetry's
// runtime instrumentation served by OpenTelemetry's Prometheus exporter — per render and per series. Then the
// serializers alone on histogram-heavy data (100 and 1,000 label sets), a real render at 100 and 1,000 phase names
// against prom-client serving the same series, the longest event-loop block per render, and gzip levels. Targets:
// memscope no slower per series than prom-client; at 1,000 names, <= 0.5x prom-client and no block of 10 ms or more.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer as OtelSerializer } from '@opentelemetry/exporter-prometheus';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import client from 'prom-client';
import { gzipSync } from 'node:zlib';
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

// The serializers alone, on the same collected data (a bare provider holding N phase histograms): memscope's against
// OpenTelemetry's PrometheusSerializer.
async function serializerCase(labelSets: number) {
  const reader = new PrometheusReader();
  const provider = new MeterProvider({ readers: [reader] });
  const h = provider.getMeter('bench').createHistogram('memscope.phase.duration', { unit: 's', advice: { explicitBucketBoundaries: [...BUCKETS] } });
  for (let i = 0; i < labelSets; i++) for (let k = 0; k < 5; k++) h.record(k * 0.01 + i * 1e-4, { 'memscope.phase.name': `phase_${i}` });
  const rm = await reader.collectResourceMetrics();
  const mine = new PrometheusSerializer();
  const otel = new OtelSerializer(undefined, false, undefined, true, true);
  const result = {
    labelSets,
    series: samples(mine.serialize(rm)),
    memscopeSerialize: measure('memscope serializer', () => mine.serialize(rm)).ns,
    otelSerialize: measure('OTel serializer', () => otel.serialize(rm)).ns,
  };
  await provider.shutdown();
  return result;
}
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** The longest the event loop went without a turn while `render` ran, over `times` renders, in ms. */
async function longestBlock(render: () => Promise<unknown>, times: number): Promise<number> {
  let longest = 0;
  for (let i = 0; i < times; i++) {
    let last = performance.now();
    let spinning = true;
    const spin = (): void => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    await render();
    spinning = false;
    longest = Math.max(longest, performance.now() - last);
    await new Promise((r) => setImmediate(r));
  }
  return longest;
}

// A real render at N phase names: memscope's own exporter (startMemscope, its producer, serializer and reader),
// against prom-client serving the same series (default metrics, and a phase histogram, running gauge, delta and peak
// gauges per name).
async function realCase(names: number) {
  const m = await startMemscope({ shutdownSignals: [], maxPhaseNames: names });
  for (let k = 0; k < 5; k++) for (let i = 0; i < names; i++) m.profiler.phase(`phase_${i}`, () => i);
  const promRegistry = new client.Registry();
  client.collectDefaultMetrics({ register: promRegistry });
  const ph = new client.Histogram({ name: 'memscope_phase_duration_seconds', help: 'x', labelNames: ['memscope_phase_name'], buckets: BUCKETS, registers: [promRegistry] });
  const active = new client.Gauge({ name: 'memscope_phase_active', help: 'x', labelNames: ['memscope_phase_name'], registers: [promRegistry] });
  const delta = new client.Gauge({ name: 'memscope_phase_memory_delta_bytes', help: 'x', labelNames: ['memscope_phase_name', 'memscope_memory_type'], registers: [promRegistry] });
  const peak = new client.Gauge({ name: 'memscope_phase_memory_peak_bytes', help: 'x', labelNames: ['memscope_phase_name', 'memscope_memory_type'], registers: [promRegistry] });
  for (let i = 0; i < names; i++) {
    const name = `phase_${i}`;
    for (let k = 0; k < 5; k++) ph.observe({ memscope_phase_name: name }, k * 0.01 + i * 1e-4);
    active.set({ memscope_phase_name: name }, 0);
    for (const type of ['heap', 'rss']) {
      delta.set({ memscope_phase_name: name, memscope_memory_type: type }, 1000 + i);
      peak.set({ memscope_phase_name: name, memscope_memory_type: type }, 5e7 + i);
    }
  }
  const body = await m.reader.render();
  const theirs = await promRegistry.metrics();
  const rounds = names >= 1000 ? 9 : 15;
  const result = {
    names,
    series: samples(body),
    promSeries: samples(theirs),
    memscope: (await measureAsync('memscope render', () => m.reader.render(), { rounds })).ns,
    promClient: (await measureAsync('prom-client', () => promRegistry.metrics(), { rounds })).ns,
    memscopeBlockMs: await longestBlock(() => m.reader.render(), 10),
    promBlockMs: await longestBlock(() => promRegistry.metrics(), 10),
    gzip: gzipCase(body),
  };
  await m.shutdown();
  return result;
}

/** The body as sent: identity, gzip at level 1 (what memscope uses) and at zlib's default level 6. */
function gzipCase(body: string) {
  return {
    identityBytes: Buffer.byteLength(body),
    fastBytes: gzipSync(body, { level: 1 }).length,
    fastNs: measure('gzip level 1', () => gzipSync(body, { level: 1 }), { rounds: 9 }).ns,
    defaultBytes: gzipSync(body).length,
    defaultNs: measure('gzip level 6', () => gzipSync(body), { rounds: 9 }).ns,
  };
}

const serializers = [await serializerCase(100), await serializerCase(1000)];
const real = [await realCase(100), await realCase(1000)];
const defaultGzip = gzipCase(ours);

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
      ['Phase names', 'memscope samples', 'memscope render (collect + serialize)', 'prom-client, same series', 'memscope ÷ prom-client', 'Longest event-loop block: memscope', 'prom-client'],
      real.map((r) => [r.names, r.series, formatNs(r.memscope), `${formatNs(r.promClient)} (${r.promSeries} samples)`, ratio(r.memscope, r.promClient), `${r.memscopeBlockMs.toFixed(1)} ms`, `${r.promBlockMs.toFixed(1)} ms`]),
    ),
    'A real render through memscope\'s exporter (`startMemscope({ maxPhaseNames })`, every name completed 5 times): the ' +
      'phase series come from memscope\'s phase table through its metric producer at collection time. The reader ' +
      'serializes in pieces and lets the event loop run after every 4 ms of work; the block column is the longest the ' +
      'event loop went without a turn over 10 renders (targets at 1,000 names: render ≤ 0.5× prom-client, block < 10 ms).',
    table(
      ['Body', 'Identity', 'gzip level 1 (memscope)', 'gzip level 6 (zlib default)'],
      [['default set', defaultGzip], ...real.map((r) => [`${r.names} phase names`, r.gzip] as const)].map(([label, g]) => [
        label as string,
        `${((g as typeof defaultGzip).identityBytes / 1024).toFixed(1)} KiB`,
        `${((g as typeof defaultGzip).fastBytes / 1024).toFixed(1)} KiB in ${formatNs((g as typeof defaultGzip).fastNs)}`,
        `${((g as typeof defaultGzip).defaultBytes / 1024).toFixed(1)} KiB in ${formatNs((g as typeof defaultGzip).defaultNs)}`,
      ]),
    ),
    'gzip runs on libuv\'s thread pool, not the event loop, but on the same cores as the service: memscope compresses ' +
      'only when the scraper accepts gzip and the body is over `gzipMinBytes` (1 KiB), at level 1.',
    table(
      ['Histogram label sets (17 buckets)', 'Samples', 'memscope serializer', 'OTel PrometheusSerializer'],
      serializers.map((h) => [h.labelSets, h.series, formatNs(h.memscopeSerialize), `${formatNs(h.otelSerialize)} (${ratio(h.otelSerialize, h.memscopeSerialize)})`]),
    ),
    'The serializers alone on the same collected data (a bare provider\'s). ' +
    'memscope writes the text format itself instead of using `@opentelemetry/exporter-prometheus`\'s serializer: the ' +
      'stock serializer adds no unit suffixes (so names would differ from what Prometheus\' OTLP ingestion produces) ' +
      'and is measured above on the same collected data. The serializer is checked by `promtool check metrics` and by ' +
      'a real Prometheus scrape in the test suite.',
  ],
  figures: {
    ...Object.fromEntries(renders.flatMap((r, i) => [[`${r.name} ns`, r.m.ns], [`${r.name} series`, r.series], [`${r.name} ns/series`, perSeries[i]!]])),
    ...Object.fromEntries(serializers.flatMap((h) => [
      [`hist${h.labelSets} memscope serialize ns`, h.memscopeSerialize],
      [`hist${h.labelSets} otel serialize ns`, h.otelSerialize],
    ])),
    ...Object.fromEntries(real.flatMap((r) => [
      [`names${r.names} memscope render ns`, r.memscope],
      [`names${r.names} prom-client ns`, r.promClient],
      [`names${r.names} memscope block ms`, r.memscopeBlockMs],
      [`names${r.names} prom-client block ms`, r.promBlockMs],
      [`names${r.names} gzip1 ns`, r.gzip.fastNs],
      [`names${r.names} gzip6 ns`, r.gzip.defaultNs],
    ])),
  },
});
